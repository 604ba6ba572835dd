import type { Phase, RuleDef, RulebookProblem, KnowledgeRow } from '../rulebook/types.js';
import type { KnowledgeTable } from '../knowledge/table.js';
import { type EncounterRuleView, type PointBase, type TemplateDef } from '../templates/index.js';
import { type CompiledMessage } from './message.js';
import { type CompiledCondition } from './condition.js';
/**
 * When a point is in force, as wall-clock ms: from `fromMs` (inclusive) to `toMs` (exclusive).
 * An order is judged by a point only when its service time (drord_begn_date, else the
 * encounter's adm_date, else the evaluation time) falls inside.
 */
export interface PointSpan {
    fromMs: number;
    toMs: number;
}
/** In force at all times: no effective_from / effective_to on the row or the rule. */
export declare const ALWAYS: PointSpan;
/**
 * Reads an optional effective_from / effective_to pair (a rule's, or a knowledge row's) into a
 * span; an unreadable date or an empty span is a problem naming the field.
 */
export declare function readSpan(from: unknown, to: unknown, problem: (field: string, message: string) => void): PointSpan | undefined;
/** A rule ready to evaluate. */
export interface CompiledRule {
    /** Position in the rulebook (stable key for masks and buckets). */
    index: number;
    id: string;
    name: string;
    sevDeg: '1' | '2' | '3';
    category: string;
    /** Scenes the rule runs in; null = all. */
    scenes: ReadonlySet<string> | null;
    /** Phases the rule runs in; null = all. */
    phases: ReadonlySet<Phase> | null;
    message: CompiledMessage;
    def: RuleDef;
    /** Template rules: the template, its checked params and compiled points. */
    template?: TemplateDef<PointBase, unknown>;
    params: unknown;
    points: PointBase[];
    /** When each point is in force (parallel to `points`): the row's dates within the rule's. */
    spans: PointSpan[];
    /** Knowledge rows behind the points (condition rules with a table read them as `point`). */
    rows: KnowledgeRow[];
    /** Encounter templates: the lookup their template built from all points (see buildLookup). */
    lookup?: unknown;
    /** Encounter templates: what checkEncounter sees of the rule, built once (see compileRulebook). */
    encounterView?: EncounterRuleView<PointBase, unknown, unknown>;
    /** Condition rules: the compiled condition. */
    condition?: CompiledCondition;
    scope: 'order' | 'encounter';
}
/** Compiles every rule; problems name the rule id and the field. Disabled rules are skipped. */
export declare function compileRules(defs: RuleDef[], tables: ReadonlyMap<string, KnowledgeTable>, problems: RulebookProblem[]): CompiledRule[];
//# sourceMappingURL=compile-rules.d.ts.map