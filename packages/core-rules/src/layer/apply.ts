import type { CheckData } from '../model/request.js';
import type { EvaluationResult, FindingSource, ResultDto } from '../model/result.js';
import { toWallClock } from '../model/dates.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { CompiledLayer, LayeredEvaluation, LayerEvaluateOptions, SuppressedFinding } from './types.js';
import { findExemption, FindingKeys, type ExemptionIndex, type MatchState } from './exemptions.js';

const identity = (id: string): string => id;
/** Reused by every evaluation (synchronous: one at a time). */
const KEYS = new FindingKeys();
let keysBusy = false;

/**
 * Evaluates a request with a layer: the layered rulebook in force at `options.now`, then the
 * exemptions split the findings into shown (`result`) and `suppressed`.
 */
export function evaluateWithLayer(layer: CompiledLayer, data: CheckData, options: LayerEvaluateOptions): LayeredEvaluation {
  const nowMs = toWallClock(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`options.now is not a date: ${String(options.now)}`);
  // Options spelt out (an object rest would copy through the slow generic path on every request).
  const out = evaluate(layer.rulebookAt(nowMs), data, {
    now: nowMs,
    withSources: true,
    scenes: options.scenes,
    phase: options.phase,
    ruleIds: options.ruleIds,
    idPrefix: options.idPrefix,
    maxInvolved: options.maxInvolved,
    maxFindingsPerRule: options.maxFindingsPerRule,
    conditionBudget: options.conditionBudget,
  });
  return split(layer, out, nowMs, options.usage, options.patientKey, options.withSources === true);
}

/**
 * Applies a layer's exemptions to an evaluation made with `withSources: true` (on
 * `layer.rulebookAt(now)`): splits the findings into shown and suppressed. Expiry is judged
 * against `now`; a capped exemption suppresses while its uses (before: `usage`, plus those made
 * here) are below its cap. The first matching exemption in file order wins.
 */
export function applyExemptions(layer: CompiledLayer, out: EvaluationResult, options: Pick<LayerEvaluateOptions, 'now' | 'usage' | 'patientKey' | 'withSources'>): LayeredEvaluation {
  const nowMs = toWallClock(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`options.now is not a date: ${String(options.now)}`);
  return split(layer, out, nowMs, options.usage, options.patientKey, options.withSources === true);
}

function split(
  layer: CompiledLayer,
  out: EvaluationResult,
  nowMs: number,
  usage: ((id: string) => number) | undefined,
  patientKey: ((id: string) => string) | undefined,
  withSources: boolean,
): LayeredEvaluation {
  const index = layer.exemptionIndex as ExemptionIndex;
  const result = out.result;
  const sources = out.sources;
  let shown: ResultDto[] = result;
  let shownSources: FindingSource[] | undefined = sources;
  const suppressed: SuppressedFinding[] = [];
  const uses: Record<string, number> = {};
  let st: MatchState | undefined;
  if (index.size > 0 && result.length > 0) {
    if (!sources || sources.length !== result.length) throw new TypeError('applyExemptions needs an evaluation made with withSources: true');
    // A usage or patientKey callback that evaluates again (re-entrance) gets its own keys object.
    const keys = keysBusy ? new FindingKeys() : KEYS;
    const own = keys === KEYS;
    keysBusy = true;
    keys.begin(patientKey ?? identity);
    try {
      st = { nowMs, usage, uses, capReached: undefined };
      for (let i = 0; i < result.length; i++) {
        keys.reset(result[i], sources[i]);
        const best = findExemption(index, keys, st);
        if (best) {
          // Copy on the first suppression only: most evaluations suppress nothing.
          if (shown === result) {
            shown = result.slice(0, i);
            shownSources = sources.slice(0, i);
          }
          const id = best.ex.id;
          uses[id] = (uses[id] ?? 0) + 1;
          suppressed.push({ finding: result[i], exemption_id: id, source: sources[i] });
        } else if (shown !== result) {
          shown.push(result[i]);
          shownSources!.push(sources[i]);
        }
      }
    } finally {
      if (own) keysBusy = false;
    }
  }
  const layered: LayeredEvaluation = {
    result: shown,
    errors: out.errors,
    truncated: out.truncated,
    warnings: out.warnings,
    rules_considered: out.rules_considered,
    suppressed,
    exemption_uses: uses,
    cap_reached: st?.capReached ? [...st.capReached] : [],
    layer: layer.digest,
    base: layer.base.digest,
  };
  if (withSources) layered.sources = shownSources ?? [];
  return layered;
}
