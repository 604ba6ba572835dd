import { chargeSteps, OperatorRegistry } from '../logic/index.js';
import type { KnowledgeTable } from '../knowledge/types.js';
import { dayOf, fullYears, parseDateTime } from '../model/dates.js';
import type { EncounterFact, OrderFact, PatientFact } from '../model/facts.js';

/** What a condition's custom operators see of the request (passed as the logic `env`). */
export interface ConditionEnv {
  patient: PatientFact;
  encounter: EncounterFact;
  order?: OrderFact;
  nowMs: number;
}

function codeSetOf(tables: ReadonlyMap<string, KnowledgeTable>, cache: Map<string, ReadonlySet<string>>, id: string): ReadonlySet<string> | undefined {
  let set = cache.get(id);
  if (!set) {
    const table = tables.get(id);
    if (!table) return undefined;
    set = new Set(table.rows.flatMap((r) => r.codes ?? []));
    cache.set(id, set);
  }
  return set;
}

/** A knowledge row with the span its effective_from / effective_to give it (ms, to exclusive). */
interface DatedRow {
  row: KnowledgeTable['rows'][number];
  fromMs: number;
  toMs: number;
}

/** A row date cell as ms; `open` when empty (an unreadable date was refused when the rule compiled). */
function rowDate(v: unknown, open: number): number {
  if (v === undefined || v === null || v === '') return open;
  const ms = typeof v === 'string' ? parseDateTime(v.trim()) : NaN;
  return Number.isNaN(ms) ? open : ms;
}

/**
 * The rows listing each code, per table, in table order with their effective spans: table_value
 * and in_table are a lookup and a scan of the code's few rows, not of the table.
 */
function rowIndexOf(table: KnowledgeTable, cache: WeakMap<KnowledgeTable, Map<string, DatedRow[]>>) {
  let index = cache.get(table);
  if (!index) {
    index = new Map();
    for (const row of table.rows) {
      const dated: DatedRow = { row, fromMs: rowDate(row.effective_from, Number.NEGATIVE_INFINITY), toMs: rowDate(row.effective_to, Number.POSITIVE_INFINITY) };
      for (const c of row.codes ?? []) {
        const list = index.get(c);
        if (list) list.push(dated);
        else index.set(c, [dated]);
      }
    }
    cache.set(table, index);
  }
  return index;
}

/**
 * The first row listing `code` that is in force at `ms` (its effective_from ≤ ms < effective_to),
 * so a dated (revised) knowledge row answers only for orders of its own dates.
 */
function rowAt(rows: readonly DatedRow[] | undefined, ms: number): KnowledgeTable['rows'][number] | undefined {
  if (!rows) return undefined;
  for (const r of rows) if (ms >= r.fromMs && ms < r.toMs) return r.row;
  return undefined;
}

/** The service time a condition judges by: the order's begin, else the admission, else now. */
function serviceMs(e: ConditionEnv): number {
  if (e.order) return e.order.beginMs;
  return Number.isNaN(e.encounter.admMs) ? e.nowMs : e.encounter.admMs;
}

/** First index in the sorted `days` whose day is greater than `day`. */
function upperBound(days: readonly number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] > day) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function toMs(v: unknown): number {
  return typeof v === 'string' ? parseDateTime(v) : typeof v === 'number' ? v : NaN;
}

/**
 * The standard JsonLogic operators plus the domain operators a bureau writes rules with:
 * age_at, days_between, in_table, table_value, count_orders, has_diagnosis, starts_with.
 */
export function domainOperators(tables: ReadonlyMap<string, KnowledgeTable>): OperatorRegistry {
  const tableSets = new Map<string, ReadonlySet<string>>();
  const listSets = new WeakMap<object, ReadonlySet<string>>();
  const rowIndexes = new WeakMap<KnowledgeTable, Map<string, DatedRow[]>>();
  // Per patient (of one request) and code set: the begin days of the matching orders, in order.
  // count_orders runs once per order, so each call is a binary search, not a walk of every order.
  const orderDays = new WeakMap<PatientFact, Map<ReadonlySet<string>, number[]>>();
  const daysOf = (patient: PatientFact, set: ReadonlySet<string>): number[] => {
    let bySet = orderDays.get(patient);
    if (!bySet) orderDays.set(patient, (bySet = new Map<ReadonlySet<string>, number[]>()));
    let days = bySet.get(set);
    if (!days) {
      chargeSteps(patient.orders.length);
      days = [];
      // patient.orders is sorted by begin time, so the days come out sorted.
      for (const o of patient.orders) if (set.has(o.code)) days.push(o.beginDay);
      bySet.set(set, days);
    }
    return days;
  };
  const registry = OperatorRegistry.standard();

  registry.register('age_at', (args) => {
    const age = fullYears(toMs(args[0]), toMs(args[1]));
    return Number.isNaN(age) ? null : age;
  });
  registry.register('days_between', (args) => {
    const a = toMs(args[0]),
      b = toMs(args[1]);
    return Number.isNaN(a) || Number.isNaN(b) ? null : dayOf(b) - dayOf(a);
  });
  // Both read only rows in force at the service time (see rowAt); without a request (a bare
  // condition test) every row counts.
  registry.register('in_table', (args, _data, env) => {
    const table = tables.get(String(args[1]));
    if (!table) return false;
    const rows = rowIndexOf(table, rowIndexes).get(String(args[0]));
    return env ? rowAt(rows, serviceMs(env as ConditionEnv)) !== undefined : rows !== undefined;
  });
  registry.register('table_value', (args, _data, env) => {
    const table = tables.get(String(args[1]));
    const rows = table ? rowIndexOf(table, rowIndexes).get(String(args[0])) : undefined;
    const row = env ? rowAt(rows, serviceMs(env as ConditionEnv)) : rows?.[0]?.row;
    return row ? (row[String(args[2])] ?? null) : null;
  });
  registry.register('count_orders', (args, _data, env) => {
    const e = env as ConditionEnv | undefined;
    if (!e) return 0;
    const spec = args[0];
    let set: ReadonlySet<string> | undefined;
    if (typeof spec === 'string') set = codeSetOf(tables, tableSets, spec) ?? new Set([spec]);
    else if (Array.isArray(spec)) {
      set = listSets.get(spec);
      if (!set) listSets.set(spec, (set = new Set(spec.map(String))));
    }
    if (!set) return 0;
    const windowDays = Number(args[1] ?? Infinity);
    const refDay = e.order ? e.order.beginDay : dayOf(e.nowMs);
    // Orders with refDay - windowDays < beginDay <= refDay (none when windowDays is NaN).
    const days = daysOf(e.patient, set);
    const n = upperBound(days, refDay) - upperBound(days, refDay - windowDays);
    return Number.isNaN(windowDays) || n < 0 ? 0 : n;
  });
  registry.register('has_diagnosis', (args, _data, env) => {
    const e = env as ConditionEnv | undefined;
    if (!e) return false;
    // The encounter's diagnoses: every entry the HIS sent for its mdtrt_id (facts merge them).
    const enc = e.encounter.dto;
    const codes = (enc.fsi_diagnose_dtos ?? []).map((d) => d.dise_codg ?? '');
    if (enc.dscg_main_dise_codg) codes.push(enc.dscg_main_dise_codg);
    const prefixes = args.flat().map(String);
    chargeSteps(codes.length * prefixes.length);
    return codes.some((c) => prefixes.some((p) => c.startsWith(p)));
  });
  registry.register('starts_with', (args) => typeof args[0] === 'string' && args[0].startsWith(String(args[1])));
  return registry;
}
