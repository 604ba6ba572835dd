import type { CheckData } from '../model/request.js';
import type { EvaluationResult } from '../model/result.js';
import type { Phase } from '../rulebook/types.js';
import type { CompiledRulebook } from './compile.js';
/** How to evaluate one request. */
export interface EvaluateOptions {
    /** Evaluation time (stands in for missing order/admission dates). */
    now: string | Date | number;
    /** Scenes to run (overrides the request's trig_scen). */
    scenes?: string[];
    /** Phase to run; default derived from the scenes (1–5 事前, 6–10 事中), else every phase. */
    phase?: Phase;
    /** Only these rules (overrides the request's rule_ids). */
    ruleIds?: string[];
    /** Prefix of jr_id; give one unique per check (default: task_id + "-"). */
    idPrefix?: string;
    /**
     * Most 涉及项 listed per finding (default {@link DEFAULT_MAX_INVOLVED}): the first ones in time
     * order; `vola_evid` counts the rest. Bounds a finding's size whatever the number of orders.
     */
    maxInvolved?: number;
    /**
     * Most findings per rule per request (default {@link DEFAULT_MAX_FINDINGS_PER_RULE}); the rest
     * are counted in `truncated`. Infinity for no cap (batch audits that want every finding).
     */
    maxFindingsPerRule?: number;
    /**
     * Steps each condition rule may spend on one request (default {@link DEFAULT_CONDITION_BUDGET}):
     * one per call, plus the elements its map/filter/reduce/… walk and the collections and strings
     * it builds (see logic/budget.ts). Deterministic: a rule past it fails as an entry in `errors`
     * and is not evaluated again for this request; the other rules still run.
     */
    conditionBudget?: number;
    /**
     * Hand out, in `EvaluationResult.sources`, the records each finding is about (aligned with
     * `result[]`): the offending order as sent, its encounter and patient, so a caller can decide
     * attribution (see model/attribution.ts) without rebuilding an index from rx_id. References,
     * not copies; nothing is built when false (the default).
     */
    withSources?: boolean;
}
/** Default of {@link EvaluateOptions.maxInvolved}. */
export declare const DEFAULT_MAX_INVOLVED = 20;
/** Default of {@link EvaluateOptions.maxFindingsPerRule}. */
export declare const DEFAULT_MAX_FINDINGS_PER_RULE = 200;
/**
 * Default of {@link EvaluateOptions.conditionBudget}: room for a condition that walks every order
 * of the patient for each of 1,000 orders (10⁶ steps) several times over, while a runaway one
 * stops within tens of milliseconds.
 */
export declare const DEFAULT_CONDITION_BUDGET = 5000000;
/** Splits "1,2" (or an array) into trimmed non-empty items. */
export declare function splitList(v: string | string[] | undefined): string[];
/** 1–5 are 事前 scenes, 6–10 事中; mixed or unknown scenes give undefined (every phase). */
export declare function phaseOfScenes(scenes: readonly string[]): Phase | undefined;
/**
 * Audits one request against a compiled rulebook. Synchronous and pure: the time comes in the
 * options; a rule that fails becomes an entry in `errors` and the other rules still run.
 * Findings come one per offending order in the national output.result shape. Time and memory
 * are linear in the request: each finding lists at most `maxInvolved` 涉及项 and each rule keeps
 * at most `maxFindingsPerRule` findings (the rest are counted in `truncated`).
 */
export declare function evaluate(rb: CompiledRulebook, data: CheckData, options: EvaluateOptions): EvaluationResult;
//# sourceMappingURL=evaluate.d.ts.map