import type { Phase, RuleCase } from '../rulebook/types.js';
import type { LoadedRulebook } from '../rulebook/load.js';
import type { KnowledgeTable } from '../knowledge/table.js';
import type { CompiledRule } from './compile-rules.js';
/**
 * One entry of the code index: this code belongs to point `point` of `rule`, in `role`, for
 * orders whose service time is in [fromMs, toMs) (the point's effective dates). A code re-issued
 * by a revision has one hit per version of its point, so the look-up stays one map access and a
 * scan of a few hits per order.
 */
export interface CodeHit {
    rule: CompiledRule;
    point: number;
    role: number;
    fromMs: number;
    toMs: number;
}
/** Public description of a compiled rule. */
export interface RuleInfo {
    id: string;
    name: string;
    sev_deg: '1' | '2' | '3';
    category: string;
    template?: string;
    knowledge?: string;
    scenes?: string[];
    phases?: Phase[];
    points: number;
}
/** A rulebook compiled once for evaluation: rules, a code → rule index, cached scene masks. */
export interface CompiledRulebook {
    id: string;
    version: string;
    name: string;
    issuer: string;
    effective_from: string;
    effective_to: string | null;
    /** effective_from / effective_to as wall-clock ms (to = +Infinity when open). */
    effectiveFromMs: number;
    effectiveToMs: number;
    /** "id@version". */
    digest: string;
    /** Public view of the rules. */
    rules: readonly RuleInfo[];
    /** Distinct national codes the rules refer to: the index's, and those of encounter templates. */
    codeCount: number;
    /** The rulebook's own test cases. */
    cases: RuleCase[];
    /** Internals used by evaluate. */
    readonly compiled: {
        rules: readonly CompiledRule[];
        index: ReadonlyMap<string, readonly CodeHit[]>;
        /** Condition rules without a table: evaluated for every order (scope order) or encounter. */
        orderRules: readonly CompiledRule[];
        encounterRules: readonly CompiledRule[];
        /** Encounter templates (checkEncounter): judged once per encounter, not in the code index. */
        encounterTemplateRules: readonly CompiledRule[];
        tables: ReadonlyMap<string, KnowledgeTable>;
        masks: Map<string, Uint8Array>;
    };
}
/** Builds the code index of a loaded rulebook: per order, only rules whose knowledge holds its code run. */
export declare function compileRulebook(rb: LoadedRulebook): CompiledRulebook;
//# sourceMappingURL=compile.d.ts.map