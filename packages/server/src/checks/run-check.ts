/**
 * One check, whichever door it came through (3101/3102, /v1/check, SOAP, CDS Hooks):
 * read the active rulebook once, evaluate synchronously, count it, queue its record.
 */
import { performance } from 'node:perf_hooks';
import {
  evaluate,
  type CheckData,
  type CompiledLayer,
  type CompiledRulebook,
  type EvaluateOptions,
  type EvaluationResult,
  type LayeredEvaluation,
  type Phase,
  type SuppressedFinding,
} from '@preaudit/core-rules';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import type { Metrics } from '../platform/metrics.js';
import type { Channel } from './check-record.js';
import type { CheckStore } from './check-store.js';
import { evaluateLimits, tooManyOrders, type CheckLimits } from './check-limits.js';

/** What a check needs of the service, and nothing more. */
export interface CheckDeps {
  /** Limits of one check (orders, engine budget). */
  limits: CheckLimits;
  /** The service clock. */
  now: () => Date;
  /** Hands out the active rulebook (read once per check). */
  rulebooks: { active(): CompiledRulebook };
  /** Check ids and the write-behind record queue. */
  checkStore: Pick<CheckStore, 'nextId' | 'record'>;
  /** Counters of checks, engine time, findings and rule errors. */
  metrics: Pick<Metrics, 'checks' | 'analysis' | 'findings' | 'ruleErrors'>;
  /** Where an engine failure is logged. */
  log: Pick<FastifyBaseLogger, 'error'>;
  /** The hospital's own layer (../layer): the compiled layer for a rulebook (undefined: none), and its evaluation. */
  layer?: {
    effective(base: CompiledRulebook): CompiledLayer | undefined;
    evaluate(layer: CompiledLayer, data: CheckData, options: EvaluateOptions): LayeredEvaluation;
  };
}

/** The dependencies of `runCheck`, taken from the app once (when a door's routes register). */
export function checkDeps(app: FastifyInstance): CheckDeps {
  return { limits: app.config.checkLimits, now: app.config.now, rulebooks: app.rulebooks, checkStore: app.checkStore, metrics: app.metrics, log: app.log, layer: app.layer };
}

/** Where a check came from. */
export interface CheckContext {
  channel: Channel;
  /** 3101, 3102 (legacy 3660/3661 as sent), or null outside the national interface. */
  infno: string | null;
  msgid: string | null;
  /** fixmedins_code of the envelope, when there is one. */
  hospital: string | null;
  /** The caller (`request.identity.actor`): the owner of the check's warnings. */
  actor: string;
  /** Phase to use when the data names no scene (3101 → 事前, 3102 → 事中). */
  phase?: Phase;
}

/** What a check produced. */
export interface CheckOutcome {
  checkId: string;
  evaluation: EvaluationResult;
  /** Engine time, ms. */
  anaDura: number;
  /** The rulebook used (the one read at the start of the request). */
  rulebook: CompiledRulebook;
  /** `evaluation.result` as JSON, serialised once for the reply. */
  resultJson: string;
}

/**
 * Evaluates and records one check, within the app's check limits. Throws PreauditError
 * (PA_BAD_INPUT naming the field) for more orders than the cap, PA_ENGINE_FAILURE if the engine
 * itself throws.
 */
export function runCheck(deps: CheckDeps, data: CheckData, ctx: CheckContext): CheckOutcome {
  const limits = deps.limits;
  const tooMany = tooManyOrders(data, limits, ctx.channel);
  if (tooMany) throw tooMany;
  const rulebook = deps.rulebooks.active();
  const checkId = deps.checkStore.nextId();
  const time = deps.now();
  const hasScene = data.trig_scen !== undefined && data.trig_scen !== null && String(data.trig_scen).trim() !== '';
  const phase = hasScene ? undefined : ctx.phase;
  // The hospital's layer, compiled for this rulebook (read once, like the rulebook).
  const layer = deps.layer?.effective(rulebook);
  let evaluation: EvaluationResult;
  let suppressed: readonly SuppressedFinding[] | undefined;
  const started = performance.now();
  try {
    const options: EvaluateOptions = { now: time, idPrefix: `${checkId}-`, ...evaluateLimits(limits), ...(phase ? { phase } : {}), withSources: true };
    if (layer) {
      const layered = deps.layer!.evaluate(layer, data, options);
      evaluation = layered;
      if (layered.suppressed.length > 0) suppressed = layered.suppressed;
    } else evaluation = evaluate(rulebook, data, options);
  } catch (err) {
    deps.log.error({ err, checkId }, 'engine failure');
    // The engine's text (rule internals, values) stays in the log.
    throw new PreauditError(ErrorCode.engineFailure, `check_id ${checkId}，详情见服务日志`, [], err);
  }
  const anaDura = performance.now() - started;
  const m = deps.metrics;
  m.checks.inc({ channel: ctx.channel, infno: ctx.infno ?? '' });
  m.analysis.observe(anaDura / 1000);
  for (const r of evaluation.result) m.findings.inc({ rule_id: r.rule_id });
  for (const e of evaluation.errors) m.ruleErrors.inc({ rule_id: e.rule_id });
  const resultJson = evaluation.result.length === 0 ? '[]' : JSON.stringify(evaluation.result);
  deps.checkStore.record({
    checkId,
    time,
    channel: ctx.channel,
    infno: ctx.infno,
    msgid: ctx.msgid,
    hospital: ctx.hospital,
    actor: ctx.actor,
    scene: hasScene ? String(data.trig_scen) : null,
    phase: phase ?? null,
    data,
    evaluation,
    anaDura,
    rulebook: `${rulebook.id}@${rulebook.version}`,
    ...(suppressed ? { suppressed } : {}),
  });
  return { checkId, evaluation, anaDura, rulebook, resultJson };
}

/**
 * The national reply as JSON text around an already serialised result list, so the findings
 * are serialised once for the reply.
 */
export function nationalReplyJson(resultJson: string, warnMsg: string): string {
  return `{"infcode":0,"err_msg":"","warn_msg":${JSON.stringify(warnMsg)},"output":{"result":${resultJson}}}`;
}
