/**
 * What one check may cost. A check is evaluated synchronously on the service's one event loop,
 * so its size must be bounded: the orders of a request are capped (beyond the cap the request is
 * refused, naming the field), and the engine caps the 涉及项 per finding and the findings per rule
 * (the reply's warn_msg says when findings were left out). Every door (3101/3102, SOAP, /v1/check,
 * CDS Hooks) and the shadow runs use the same limits.
 */
import type { CheckData, EvaluateOptions, EvaluationResult } from '@preaudit/core-rules';
import { DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_MAX_INVOLVED } from '@preaudit/core-rules';
import { badInput, type PreauditError } from '../platform/errors.js';
import type { Channel } from './check-record.js';

/** The limits of one check. */
export interface CheckLimits {
  /** Most orders (fsi_order_dtos, every encounter of every patient, history included) per request. */
  maxOrders: number;
  /** Most 涉及项 listed per finding (the rest are counted in vola_evid). */
  maxInvolved: number;
  /** Most findings per rule per request (the rest are counted in warn_msg). */
  maxFindingsPerRule: number;
}

/** Defaults of {@link CheckLimits} (environment: PA_MAX_ORDERS, PA_MAX_INVOLVED, PA_MAX_FINDINGS_PER_RULE). */
export const DEFAULT_CHECK_LIMITS: Readonly<CheckLimits> = Object.freeze({
  maxOrders: 1000,
  maxInvolved: DEFAULT_MAX_INVOLVED,
  maxFindingsPerRule: DEFAULT_MAX_FINDINGS_PER_RULE,
});

/** The limits with defaults filled in; a value that is not a whole number in range names its option. */
export function resolveCheckLimits(limits: Partial<CheckLimits> = {}): CheckLimits {
  const pick = (name: keyof CheckLimits, min: number): number => {
    const v = limits[name];
    if (v === undefined) return DEFAULT_CHECK_LIMITS[name];
    if (!Number.isInteger(v) || v < min) throw new Error(`checkLimits.${name} must be a whole number ≥ ${min}, got ${String(v)}`);
    return v;
  };
  return { maxOrders: pick('maxOrders', 1), maxInvolved: pick('maxInvolved', 0), maxFindingsPerRule: pick('maxFindingsPerRule', 1) };
}

/** The engine's share of the limits. */
export function evaluateLimits(limits: CheckLimits): Pick<EvaluateOptions, 'maxInvolved' | 'maxFindingsPerRule'> {
  return { maxInvolved: limits.maxInvolved, maxFindingsPerRule: limits.maxFindingsPerRule };
}

/** Where each door's caller put the orders (the field an over-sized request is refused on). */
const ORDERS_FIELD: Readonly<Record<Channel, string>> = {
  nhsa: 'input.data.patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos',
  soap: 'input.data.patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos',
  v1: 'patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos',
  cds: 'context.draftOrders.entry',
};

/** Orders of every encounter of every patient. */
export function countOrders(data: CheckData): number {
  let n = 0;
  for (const p of data.patient_dtos) for (const e of p.fsi_encounter_dtos ?? []) n += e.fsi_order_dtos?.length ?? 0;
  return n;
}

/** The refusal of a request with more orders than the cap, naming the field as the door's caller knows it; undefined when it fits. */
export function tooManyOrders(data: CheckData, limits: CheckLimits, channel: Channel): PreauditError | undefined {
  const n = countOrders(data);
  if (n <= limits.maxOrders) return undefined;
  return badInput([{ field: ORDERS_FIELD[channel], message: `医嘱（处方）共 ${n} 条，超过单次审核上限 ${limits.maxOrders} 条，请分批提交` }]);
}

/**
 * warn_msg of a check: request values the rules could not read (each field named once, e.g. a
 * medins_lv outside the national table), rules that failed while evaluating (the others still
 * ran) and rules whose findings were cut at the cap. Empty when none of these happened.
 */
export function evaluationWarning(evaluation: EvaluationResult): string {
  const parts: string[] = [];
  const { errors, truncated } = evaluation;
  for (const w of evaluation.warnings) parts.push(`${w.field}：${w.message}`);
  if (errors.length > 0) {
    const list = errors
      .slice(0, 5)
      .map((e) => `${e.rule_id}(${e.rule_name})`)
      .join('、');
    parts.push(`以下规则执行异常，未参与本次审核：${list}${errors.length > 5 ? ` 等 ${errors.length} 条` : ''}`);
  }
  if (truncated.length > 0) {
    const list = truncated
      .slice(0, 5)
      .map((r) => `${r.rule_id}(${r.rule_name}) 返回 ${r.kept} 条，另有 ${r.dropped} 条未返回`)
      .join('、');
    parts.push(`以下规则违规结果超过单次上限：${list}${truncated.length > 5 ? ` 等 ${truncated.length} 条规则` : ''}`);
  }
  return parts.join('；');
}
