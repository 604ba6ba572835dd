import type { KnowledgeRow, TemplateName } from '../rulebook/types.js';
import type { EncounterFact, OrderFact } from '../evaluate/facts.js';
/** Orders in time order. */
export type OrderFactList = OrderFact[];
/** Values a message template may name ({point}, {limit}, {actual} …). */
export type Vars = Record<string, string | number>;
/** Reports a problem with one field of a knowledge row or of the params. */
export type Problem = (field: string, message: string) => void;
/** An order that hit a point, with its role (0 the point's item, 1 main item, 2 sub item). */
export interface GroupEntry {
    order: OrderFact;
    role: number;
}
/**
 * Emits one finding: the offending (current) order, the orders involved (`involved[from..to)`,
 * default all of it), message values. The emitter reads the involved orders before it returns
 * and keeps at most a few of them, so a template passes one shared, growing list with a range
 * rather than a copy per finding: a finding costs the same whatever the number of orders.
 */
export type Emitter = (offending: OrderFact, involved: readonly OrderFact[], vars: Vars, from?: number, to?: number) => void;
/** Emits one finding of an encounter template: like {@link Emitter}, naming the point. */
export type PointEmitter = (pointName: string, offending: OrderFact, involved: readonly OrderFact[], vars: Vars, from?: number, to?: number) => void;
/**
 * Emits one finding about the encounter itself (a diagnosis), with no offending order: the
 * evidence names `item` (e.g. the diagnosis code).
 */
export type VisitEmitter = (pointName: string, vars: Vars, item: string) => void;
/** What an encounter template sees of its rule: every point, the params and its lookup. */
export interface EncounterRuleView<P, Params, L> {
    points: readonly P[];
    params: Params;
    lookup: L;
    /** Whether point `p` is in force at `ms` (its row's and its rule's effective dates). */
    inForce(p: number, ms: number): boolean;
}
/** Per-request context a template may read. */
export interface TemplateContext {
    /** Evaluation time, wall-clock ms. */
    nowMs: number;
}
/** A compiled knowledge point. */
export interface PointBase {
    /** Display name: the generic drug or the item. */
    name: string;
    /** National codes of the point. */
    codes: string[];
}
/**
 * A rule template: how its knowledge rows compile into points, which codes index them, and how a
 * point judges either one order (order templates) or a patient's orders of the point in time
 * order (group templates: windows, pairs, groups).
 */
export interface TemplateDef<P extends PointBase = PointBase, Params = Record<string, unknown>, L = unknown> {
    readonly name: TemplateName;
    /** Columns every row must have (besides name and codes, unless pairTable). */
    readonly columns: readonly string[];
    /** A pair table (main_code/sub_code rows) instead of name/codes points. */
    readonly pairTable?: boolean;
    /** Regroups rows before compiling (e.g. one point per surgery group). */
    prepareRows?(rows: KnowledgeRow[]): KnowledgeRow[];
    /** Checks and fills defaults of the rule's params. */
    compileParams(params: Record<string, unknown>, problem: Problem): Params;
    /** Checks one row and turns it into a point; undefined (with problems) when the row is bad. */
    compilePoint(row: KnowledgeRow, params: Params, problem: Problem): P | undefined;
    /** Codes under which the point is indexed, with the role of each (default: codes, role 0). */
    indexCodes?(point: P): Array<[string, number]>;
    /** Order templates: judges one current order; message values when it violates. */
    checkOrder?(order: OrderFact, point: P, params: Params, ctx: TemplateContext): Vars | undefined;
    /** Group templates: judges the patient's orders of the point (time order) and emits findings. */
    checkGroup?(entries: readonly GroupEntry[], point: P, params: Params, ctx: TemplateContext, emit: Emitter): void;
    /** Encounter templates: a lookup built once from all points at compile time (e.g. code → point). */
    buildLookup?(points: readonly P[], params: Params): L;
    /**
     * Encounter templates: judges one encounter (one mdtrt_id) with every point of the rule at once:
     * a prescription's composition, its herb pairs, the encounter's diagnoses. Their points are not
     * in the order code index; the template must stay linear in the encounter's orders.
     */
    checkEncounter?(enc: EncounterFact, rule: EncounterRuleView<P, Params, L>, ctx: TemplateContext, emit: PointEmitter, emitVisit: VisitEmitter): void;
}
/** Reads a non-negative number from a cell or param; undefined when empty. */
export declare function readNumber(v: unknown, field: string, problem: Problem, opts?: {
    integer?: boolean;
    min?: number;
}): number | undefined;
/** Reads a list cell: an array, or a `|`-separated string (empty → []). */
export declare function readList(v: unknown): string[];
/** Name and codes every point row carries. */
export declare function basePoint(row: KnowledgeRow, problem: Problem): PointBase | undefined;
/** No params: anything given is reported. */
export declare function noParams(params: Record<string, unknown>, problem: Problem): Record<string, never>;
//# sourceMappingURL=template.d.ts.map