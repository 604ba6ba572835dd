/**
 * Day summaries of the real-time checks and findings (`analytics_day`), so that the overview,
 * the drill-down and the compliance pages answer from a few thousand rows at any number of findings.
 *
 * A local day is summed once it is settled (ended `settleMs` ago: findings are written behind the
 * request by a few seconds), the first time a request needs it, at five grains: department, doctor,
 * rule, department×rule, doctor×rule (hospital is part of every key). Days not settled, and
 * the partial days at the edges of a period given as times, are summed live from the raw tables
 * with the same query. 3103 feedback arriving after its day was summed makes that day stale: every
 * read first looks for feedback newer than the last seen (the feedback time index) and drops the
 * summaries of the days their findings fall on. One service instance per database (as for the
 * trail): summing is serialised in-process.
 */
import type { Knex } from 'knex';
import { cellText, dayEnd, dayStart, localDay, nextDay, type Period } from './period.js';

/** The summed figures. */
export interface Measures {
  checks: number;
  flagged_checks: number;
  orders: number;
  engine_errors: number;
  ana_sum: number;
  ana_max: number;
  le_10: number;
  le_50: number;
  le_100: number;
  le_300: number;
  le_1000: number;
  over_1000: number;
  findings: number;
  vola_amt: number;
  continued: number;
  modified: number;
}

/** Key columns. */
export type Dim = 'day' | 'hospital' | 'department' | 'doctor' | 'rule_id';

/** A summary row: keys and figures. */
export interface SummaryRow extends Measures {
  day: string;
  grain: Grain;
  hospital: string;
  department: string;
  doctor: string;
  rule_id: string;
  rule_name: string;
}

/** The grains stored and the keys each carries besides day and hospital. */
export const GRAINS = {
  dept: ['department'],
  doc: ['department', 'doctor'],
  rule: ['rule_id'],
  dept_rule: ['department', 'rule_id'],
  doc_rule: ['department', 'doctor', 'rule_id'],
} as const satisfies Record<string, readonly Dim[]>;

/** A grouped row: the dims asked (others ''), the figures, the rule name when grouped by rule. */
export type AggregateRow = Record<Dim, string> & Measures & { rule_name: string };

/** A grain name. */
export type Grain = keyof typeof GRAINS;

const MEASURES: Array<keyof Measures> = [
  'checks',
  'flagged_checks',
  'orders',
  'engine_errors',
  'ana_sum',
  'ana_max',
  'le_10',
  'le_50',
  'le_100',
  'le_300',
  'le_1000',
  'over_1000',
  'findings',
  'vola_amt',
  'continued',
  'modified',
];

/** Figures all zero. */
export function zeroMeasures(): Measures {
  return {
    checks: 0,
    flagged_checks: 0,
    orders: 0,
    engine_errors: 0,
    ana_sum: 0,
    ana_max: 0,
    le_10: 0,
    le_50: 0,
    le_100: 0,
    le_300: 0,
    le_1000: 0,
    over_1000: 0,
    findings: 0,
    vola_amt: 0,
    continued: 0,
    modified: 0,
  };
}

/** Adds `b` into `a` (max for ana_max). */
function addInto(a: Measures, b: Measures): void {
  for (const m of MEASURES) a[m] = m === 'ana_max' ? Math.max(a[m], b[m]) : a[m] + b[m];
}

/** Filters every analysis takes. */
export interface Filters {
  hospital?: string;
  /** Departments (undefined = all). */
  departments?: readonly string[];
  doctor?: string;
  rule_id?: string;
}

/** The grain that can answer `dims` under `filters`. */
function grainFor(dims: readonly Dim[], f: Filters): Grain {
  const rule = dims.includes('rule_id') || f.rule_id !== undefined;
  const doctor = dims.includes('doctor') || f.doctor !== undefined;
  const dept = dims.includes('department') || f.departments !== undefined;
  if (rule) return doctor ? 'doc_rule' : dept ? 'dept_rule' : 'rule';
  return doctor ? 'doc' : 'dept';
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const key = cellText;

/** Options of the summaries. */
export interface RollupOptions {
  now: () => Date;
  /** A day is summed once it ended this long ago (default 15 minutes). */
  settleMs?: number;
}

/** See the file comment. */
export class Rollup {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly settleMs: number;

  constructor(
    private readonly db: Knex,
    private readonly opts: RollupOptions,
  ) {
    this.settleMs = opts.settleMs ?? 15 * 60_000;
  }

  /** Runs `fn` after every earlier summing step (one at a time per process). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Rows of every grain for [from, to), labelled `day`, summed live from checks, findings and feedback. */
  async live(from: string, to: string, day: string): Promise<SummaryRow[]> {
    const db = this.db;
    const [findings, checks] = await Promise.all([
      db('findings as f')
        .leftJoin('feedback as fb', 'fb.jr_id', 'f.jr_id')
        .where('f.time', '>=', from)
        .andWhere('f.time', '<', to)
        .groupBy('f.hospital', 'f.department', 'f.doctor', 'f.rule_id')
        .select('f.hospital', 'f.department', 'f.doctor', 'f.rule_id')
        .select(db.raw('max(f.rule_name) as rule_name'))
        .count({ findings: '*' })
        .select(db.raw('sum(f.vola_amt) as vola_amt'))
        .select(db.raw("sum(case when fb.dspo_way = '1' then 1 else 0 end) as continued"))
        .select(db.raw("sum(case when fb.dspo_way = '2' then 1 else 0 end) as modified")),
      db('checks')
        .where('time', '>=', from)
        .andWhere('time', '<', to)
        .groupBy('hospital', 'department', 'doctor')
        .select('hospital', 'department', 'doctor')
        .count({ checks: '*' })
        .select(
          db.raw('sum(case when findings_count > 0 then 1 else 0 end) as flagged_checks'),
          db.raw('sum(orders) as orders'),
          db.raw('sum(case when errors is not null then 1 else 0 end) as engine_errors'),
          db.raw('sum(ana_dura) as ana_sum'),
          db.raw('max(ana_dura) as ana_max'),
          db.raw('sum(case when ana_dura <= 10 then 1 else 0 end) as le_10'),
          db.raw('sum(case when ana_dura > 10 and ana_dura <= 50 then 1 else 0 end) as le_50'),
          db.raw('sum(case when ana_dura > 50 and ana_dura <= 100 then 1 else 0 end) as le_100'),
          db.raw('sum(case when ana_dura > 100 and ana_dura <= 300 then 1 else 0 end) as le_300'),
          db.raw('sum(case when ana_dura > 300 and ana_dura <= 1000 then 1 else 0 end) as le_1000'),
          db.raw('sum(case when ana_dura > 1000 then 1 else 0 end) as over_1000'),
        ),
    ]);
    const out = new Map<string, SummaryRow>();
    const at = (grain: Grain, hospital: string, department: string, doctor: string, ruleId: string, ruleName: string): SummaryRow => {
      const k = `${grain}\u0001${hospital}\u0001${department}\u0001${doctor}\u0001${ruleId}`;
      let row = out.get(k);
      if (!row) out.set(k, (row = { day, grain, hospital, department, doctor, rule_id: ruleId, rule_name: ruleName, ...zeroMeasures() }));
      return row;
    };
    for (const r of findings as Array<Record<string, unknown>>) {
      const [h, dep, doc, rid, rname] = [key(r.hospital), key(r.department), key(r.doctor), key(r.rule_id), key(r.rule_name)];
      const m = { ...zeroMeasures(), findings: num(r.findings), vola_amt: num(r.vola_amt), continued: num(r.continued), modified: num(r.modified) };
      addInto(at('dept', h, dep, '', '', ''), m);
      addInto(at('doc', h, dep, doc, '', ''), m);
      addInto(at('rule', h, '', '', rid, rname), m);
      addInto(at('dept_rule', h, dep, '', rid, rname), m);
      addInto(at('doc_rule', h, dep, doc, rid, rname), m);
    }
    for (const r of checks as Array<Record<string, unknown>>) {
      const [h, dep, doc] = [key(r.hospital), key(r.department), key(r.doctor)];
      const m = zeroMeasures();
      for (const f of ['checks', 'flagged_checks', 'orders', 'engine_errors', 'ana_sum', 'ana_max', 'le_10', 'le_50', 'le_100', 'le_300', 'le_1000', 'over_1000'] as const)
        m[f] = num(r[f]);
      addInto(at('dept', h, dep, '', '', ''), m);
      addInto(at('doc', h, dep, doc, '', ''), m);
    }
    return [...out.values()];
  }

  /** Drops the summaries of days that 3103 feedback received since the last look refers to. */
  private async invalidateForFeedback(): Promise<void> {
    const db = this.db;
    const latest = await db('feedback').max({ m: 'time' }).first();
    const m = latest?.m ? String(latest.m) : undefined;
    if (!m) return;
    const state = (await db('analytics_state').where({ key: 'feedback_seen' }).first()) as { value: string } | undefined;
    const seen = state ? state.value : '';
    if (m <= seen) return;
    if (seen) {
      // Bounded: feedback since the last look, and only their findings' times.
      const times: Array<{ time: string }> = await db('feedback as fb')
        .join('findings as f', 'f.jr_id', 'fb.jr_id')
        .where('fb.time', '>', seen)
        .andWhere('fb.time', '<=', m)
        .select('f.time');
      const days = [...new Set(times.map((t) => localDay(String(t.time))))];
      for (let i = 0; i < days.length; i += 200) {
        const chunk = days.slice(i, i + 200);
        await db.transaction(async (trx) => {
          await trx('analytics_day').whereIn('day', chunk).delete();
          await trx('analytics_days').whereIn('day', chunk).delete();
        });
      }
    } else {
      // First look ever: summaries made before any feedback was seen are all suspect.
      await db.transaction(async (trx) => {
        await trx('analytics_day').delete();
        await trx('analytics_days').delete();
      });
    }
    await db('analytics_state').insert({ key: 'feedback_seen', value: m }).onConflict('key').merge();
  }

  /** Sums and stores the settled days of `days` not yet summed. */
  private async ensureDays(days: string[]): Promise<void> {
    if (days.length === 0) return;
    const have = new Set<string>();
    for (let i = 0; i < days.length; i += 500) {
      const rows: Array<{ day: string }> = await this.db('analytics_days')
        .whereIn('day', days.slice(i, i + 500))
        .select('day');
      for (const r of rows) have.add(r.day);
    }
    for (const day of days) {
      if (have.has(day)) continue;
      const rows = await this.live(dayStart(day), dayEnd(day), day);
      await this.db.transaction(async (trx) => {
        await trx('analytics_day').where({ day }).delete();
        for (let i = 0; i < rows.length; i += 300) await trx('analytics_day').insert(rows.slice(i, i + 300));
        await trx('analytics_days').insert({ day, rolled_at: this.opts.now().toISOString() }).onConflict('day').merge();
      });
    }
  }

  /** Whether the whole local day has ended at least settleMs ago. */
  private settled(day: string): boolean {
    return Date.parse(dayEnd(day)) <= this.opts.now().getTime() - this.settleMs;
  }

  /**
   * Figures over `period`, grouped by `dims`, at the grain that can answer them under `filters`.
   * Stored days are summed in SQL; the rest live. Rows carry only the dims asked (others '').
   */
  async aggregate(period: Period, dims: readonly Dim[], filters: Filters): Promise<AggregateRow[]> {
    return (await this.aggregateMany(period, [dims], filters))[0];
  }

  /** Several groupings of one period: the summaries are brought up to date once, live pieces summed once. */
  async aggregateMany(period: Period, dimSets: ReadonlyArray<readonly Dim[]>, filters: Filters): Promise<AggregateRow[][]> {
    // Split the period: whole settled days (stored) and pieces summed live.
    const stored: string[] = [];
    const live: Array<{ from: string; to: string; day: string }> = [];
    let cursor = period.from;
    while (cursor < period.to) {
      const day = localDay(cursor);
      const end = dayEnd(day) < period.to ? dayEnd(day) : period.to;
      if (cursor === dayStart(day) && end === dayEnd(day) && this.settled(day)) stored.push(day);
      else live.push({ from: cursor, to: end, day });
      cursor = end;
    }
    await this.serial(async () => {
      await this.invalidateForFeedback();
      await this.ensureDays(stored);
    });
    const liveRows: SummaryRow[] = [];
    for (const piece of live) for (const r of await this.live(piece.from, piece.to, piece.day)) if (matches(r, filters)) liveRows.push(r);
    const out: AggregateRow[][] = [];
    for (const dims of dimSets) out.push(await this.group(stored, live, liveRows, dims, filters));
    return out;
  }

  private async group(stored: string[], live: Array<{ day: string }>, liveRows: SummaryRow[], dims: readonly Dim[], filters: Filters): Promise<AggregateRow[]> {
    const grain = grainFor(dims, filters);
    const out = new Map<string, AggregateRow>();
    const put = (r: Record<string, unknown>) => {
      const k = dims.map((d) => key(r[d])).join('\u0001');
      let row = out.get(k);
      if (!row) {
        row = { day: '', hospital: '', department: '', doctor: '', rule_id: '', rule_name: key(r.rule_name), ...zeroMeasures() };
        for (const d of dims) row[d] = key(r[d]);
        out.set(k, row);
      }
      const m = zeroMeasures();
      for (const f of MEASURES) m[f] = num(r[f]);
      addInto(row, m);
      if (!row.rule_name && r.rule_name) row.rule_name = key(r.rule_name);
    };
    // Stored days: contiguous ranges of day keys.
    if (stored.length > 0) {
      const q = this.db('analytics_day')
        .where('grain', grain)
        .andWhere('day', '>=', stored[0])
        .andWhere('day', '<=', stored[stored.length - 1]);
      // Days inside the range that are not stored (live ones in the middle) are excluded.
      const skip = live.map((l) => l.day).filter((d) => d >= stored[0] && d <= stored[stored.length - 1]);
      if (skip.length > 0) q.whereNotIn('day', skip);
      applyFilters(q, filters, grain);
      const sums = MEASURES.map((m) => this.db.raw(m === 'ana_max' ? 'max(??) as ??' : 'sum(??) as ??', [m, m]));
      if (dims.length > 0) q.groupBy(dims as Dim[]).select(dims as Dim[]);
      const rows: Array<Record<string, unknown>> = await q.select(this.db.raw('max(rule_name) as rule_name')).select(sums);
      for (const r of rows) put(r);
    }
    for (const r of liveRows) if (r.grain === grain) put(r as unknown as Record<string, unknown>);
    return [...out.values()];
  }

  /** The days of a period, for trends (local days). */
  static days(period: Period): string[] {
    const days: string[] = [];
    for (let d = localDay(period.from); dayStart(d) < period.to; d = nextDay(d)) days.push(d);
    return days;
  }
}

function applyFilters(q: Knex.QueryBuilder, f: Filters, grain: Grain): void {
  if (f.hospital !== undefined) q.andWhere('hospital', f.hospital);
  if (f.departments !== undefined && grain !== 'rule') q.whereIn('department', f.departments as string[]);
  if (f.doctor !== undefined && (grain === 'doc' || grain === 'doc_rule')) q.andWhere('doctor', f.doctor);
  if (f.rule_id !== undefined && grain.includes('rule')) q.andWhere('rule_id', f.rule_id);
}

function matches(r: SummaryRow, f: Filters): boolean {
  if (f.hospital !== undefined && r.hospital !== f.hospital) return false;
  if (f.departments !== undefined && r.grain !== 'rule' && !f.departments.includes(r.department)) return false;
  if (f.doctor !== undefined && (r.grain === 'doc' || r.grain === 'doc_rule') && r.doctor !== f.doctor) return false;
  if (f.rule_id !== undefined && r.grain.includes('rule') && r.rule_id !== f.rule_id) return false;
  return true;
}
