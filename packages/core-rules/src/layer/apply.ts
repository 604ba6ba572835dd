import type { CheckData } from '../model/request.js';
import type { EvaluationResult, FindingSource, ResultDto } from '../model/result.js';
import { toWallClock } from '../model/dates.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { CompiledLayer, LayeredEvaluation, LayerEvaluateOptions, SuppressedFinding } from './types.js';
import { candidates, FindingKeys, type ExemptionIndex, type ReadyExemption } from './exemptions.js';

const identity = (id: string): string => id;

/**
 * Evaluates a request with a layer: the layered rulebook in force at `options.now`, then the
 * exemptions split the findings into shown (`result`) and `suppressed`.
 */
export function evaluateWithLayer(layer: CompiledLayer, data: CheckData, options: LayerEvaluateOptions): LayeredEvaluation {
  const rb = layer.rulebookAt(options.now);
  const { usage, patientKey, ...evalOptions } = options;
  const out = evaluate(rb, data, { ...evalOptions, withSources: true });
  return applyExemptions(layer, out, { now: options.now, usage, patientKey, withSources: options.withSources });
}

/**
 * Applies a layer's exemptions to an evaluation made with `withSources: true` (on
 * `layer.rulebookAt(now)`): splits the findings into shown and suppressed. Expiry is judged
 * against `now`; a capped exemption suppresses while its uses (before: `usage`, plus those made
 * here) are below its cap. The first matching exemption in file order wins.
 */
export function applyExemptions(layer: CompiledLayer, out: EvaluationResult, options: Pick<LayerEvaluateOptions, 'now' | 'usage' | 'patientKey' | 'withSources'>): LayeredEvaluation {
  const index = layer.exemptionIndex as ExemptionIndex;
  const sources = out.sources;
  const base = {
    ...out,
    layer: layer.digest,
    base: layer.base.digest,
    suppressed: [] as SuppressedFinding[],
    exemption_uses: {} as Record<string, number>,
    cap_reached: [] as string[],
  };
  if (index.size === 0 || out.result.length === 0) {
    if (!options.withSources) delete base.sources;
    return base;
  }
  if (!sources || sources.length !== out.result.length) throw new TypeError('applyExemptions needs an evaluation made with withSources: true');
  const nowMs = toWallClock(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`options.now is not a date: ${String(options.now)}`);
  const patientKey = options.patientKey ?? identity;
  const uses = base.exemption_uses;
  const capReached = new Set<string>();
  const shown: ResultDto[] = [];
  const shownSources: FindingSource[] = [];
  for (let i = 0; i < out.result.length; i++) {
    const keys = new FindingKeys(out.result[i], sources[i], patientKey);
    let best: ReadyExemption | undefined;
    candidates(index, keys, (e) => {
      if (best && best.pos <= e.pos) return;
      if (nowMs < e.fromMs || nowMs >= e.toMs) return;
      if (!keys.matches(e)) return;
      if (e.cap !== Number.POSITIVE_INFINITY) {
        const used = (options.usage?.(e.ex.id) ?? 0) + (uses[e.ex.id] ?? 0);
        if (used >= e.cap) {
          capReached.add(e.ex.id);
          return;
        }
      }
      best = e;
    });
    if (best) {
      const id = best.ex.id;
      uses[id] = (uses[id] ?? 0) + 1;
      base.suppressed.push({ finding: out.result[i], exemption_id: id, source: sources[i] });
    } else {
      shown.push(out.result[i]);
      shownSources.push(sources[i]);
    }
  }
  base.result = shown;
  if (options.withSources) base.sources = shownSources;
  else delete base.sources;
  base.cap_reached = [...capReached];
  return base;
}
