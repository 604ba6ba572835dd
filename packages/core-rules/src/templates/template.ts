import type { TemplateName } from '../rulebook/types.js';
import type { KnowledgeRow } from '../knowledge/types.js';
import type { EncounterFact, OrderFact } from '../model/facts.js';

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
  /**
   * The version of the point the order hit, when the template groups dated versions of one point
   * (see {@link TemplateDef.versionKey}) and it is not the group's own point.
   */
  version?: PointBase;
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
  /**
   * Reads the hospital level (medins_lv): a level outside the national table never fires the rule,
   * and the evaluation warns once per request when such a rule is active.
   */
  readonly readsHospitalLevel?: boolean;
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
  /**
   * Group templates: points of one rule with the same key are dated versions of one knowledge
   * point (a revision re-issued it): their orders are judged as one group, by the first version's
   * point, each entry carrying its own version. Without it every point is its own group.
   */
  versionKey?(point: P): string;
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
export function readNumber(v: unknown, field: string, problem: Problem, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    problem(field, `must be a${opts.integer ? 'n integer' : ' number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return n;
}

/**
 * Reads a text cell: a string as it is, a number or boolean printed, '' when null/absent. Anything
 * else (an object in a text column of a hand-written table) is printed as JSON, so a message shows
 * what was there rather than "[object Object]".
 */
export function readText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/** Reads a list cell: an array, or a `|`-separated string (empty → []). */
export function readList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map((x) => readText(x).trim()).filter(Boolean);
  return readText(v)
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Name and codes every point row carries. */
export function basePoint(row: KnowledgeRow, problem: Problem): PointBase | undefined {
  const name = typeof row.name === 'string' ? row.name.trim() : '';
  if (!name) problem('name', 'is required');
  const codes = row.codes ?? [];
  if (codes.length === 0) problem('codes', 'must list at least one national code');
  if (!name || codes.length === 0) return undefined;
  return { name, codes };
}

/** No params: anything given is reported. */
export function noParams(params: Record<string, unknown>, problem: Problem): Record<string, never> {
  for (const k of Object.keys(params)) problem(k, 'is not a parameter of this template');
  return {};
}
