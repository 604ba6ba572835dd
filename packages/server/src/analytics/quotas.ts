/**
 * 科室定额 (department quotas): the insurance office sets, per department, patient category and
 * period, a 次均费用 (cost per visit) or 人均定额 (cost per patient) quota. Every change is a new
 * row (the previous one gets `superseded_at`), so the history stays; the route writes the trail.
 * A proposal derives a quota from the department's same period in past years (period views);
 * the excess analysis gives 超定额比例 per department or doctor and the cost classes driving it.
 */
import type { Knex } from 'knex';
import type { DbSourceConfig } from '@preaudit/his-adapter';
import { badInput } from '../platform/errors.js';
import { periodView, type Category, type Granularity, type PeriodRow } from './his-periods.js';
import { cellText, money, ratio } from './period.js';

/** Quota metrics. */
export const METRICS = ['cost_per_visit', 'cost_per_patient'] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_LABEL: Record<Metric, string> = { cost_per_visit: '次均费用', cost_per_patient: '人均定额' };

/** A period key: yyyy, yyyy-Qn or yyyy-MM. */
export const PERIOD_PATTERN = '^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$';

/** A period key's days and granularity. */
export function periodDays(period: string): { from: string; to: string; granularity: Granularity; year: number } {
  const year = Number(period.slice(0, 4));
  const last = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  if (period.length === 4) return { from: `${year}-01-01`, to: `${year}-12-31`, granularity: 'year', year };
  if (period[5] === 'Q') {
    const q = Number(period[6]);
    const m0 = (q - 1) * 3 + 1;
    return { from: `${year}-${pad(m0)}-01`, to: `${year}-${pad(m0 + 2)}-${last(year, m0 + 2)}`, granularity: 'quarter', year };
  }
  const m = Number(period.slice(5, 7));
  return { from: `${year}-${pad(m)}-01`, to: `${year}-${pad(m)}-${last(year, m)}`, granularity: 'month', year };
}

/** The same period `years` earlier. */
function earlierPeriod(period: string, years: number): string {
  return `${Number(period.slice(0, 4)) - years}${period.slice(4)}`;
}

/** A quota as stored. */
export interface Quota {
  id: number;
  department: string;
  category: Category | 'all';
  metric: Metric;
  period: string;
  amount: number;
  method: string | null;
  basis: unknown;
  reason: string | null;
  set_by: string;
  set_at: string;
  superseded_at: string | null;
}

function fromRow(r: Record<string, unknown>): Quota {
  return {
    id: Number(r.id),
    department: String(r.department),
    category: String(r.category) as Quota['category'],
    metric: String(r.metric) as Metric,
    period: String(r.period),
    amount: Number(r.amount),
    method: (r.method as string | null) ?? null,
    basis: r.basis ? (JSON.parse(cellText(r.basis)) as unknown) : null,
    reason: (r.reason as string | null) ?? null,
    set_by: String(r.set_by),
    set_at: String(r.set_at),
    superseded_at: (r.superseded_at as string | null) ?? null,
  };
}

/** What a caller sets. */
export interface QuotaInput {
  department: string;
  category: Category | 'all';
  metric: Metric;
  period: string;
  amount: number;
  method?: string;
  basis?: unknown;
  reason?: string;
}

/** Sets a quota (a new version); returns it and the one it replaced. */
export async function setQuota(db: Knex, input: QuotaInput, actor: string, now: Date): Promise<{ quota: Quota; replaced: Quota | null }> {
  const at = now.toISOString();
  return db.transaction(async (trx) => {
    const key = { department: input.department, category: input.category, metric: input.metric, period: input.period };
    const current = (await trx('analytics_quotas').where(key).whereNull('superseded_at').first()) as Record<string, unknown> | undefined;
    if (current) await trx('analytics_quotas').where({ id: current.id }).update({ superseded_at: at });
    const row = {
      ...key,
      amount: money(input.amount),
      method: input.method ?? 'manual',
      basis: input.basis === undefined ? null : JSON.stringify(input.basis),
      reason: input.reason ?? null,
      set_by: actor.slice(0, 80),
      set_at: at,
      superseded_at: null,
    };
    await trx('analytics_quotas').insert(row);
    const stored = (await trx('analytics_quotas').where(key).whereNull('superseded_at').first()) as Record<string, unknown>;
    return { quota: fromRow(stored), replaced: current ? fromRow({ ...current, superseded_at: at }) : null };
  });
}

/** Current quotas (optionally of a period / departments). */
export async function currentQuotas(db: Knex, f: { period?: string; departments?: readonly string[] }): Promise<Quota[]> {
  const q = db('analytics_quotas').whereNull('superseded_at').orderBy(['period', 'department', 'category', 'metric']);
  if (f.period) q.where('period', f.period);
  if (f.departments) q.whereIn('department', f.departments as string[]);
  return (await q).map(fromRow);
}

/** Every version, newest first, bounded. */
export async function quotaHistory(db: Knex, f: { department?: string; period?: string; departments?: readonly string[] }, limit: number): Promise<Quota[]> {
  const q = db('analytics_quotas').orderBy('id', 'desc').limit(limit);
  if (f.department) q.where('department', f.department);
  if (f.period) q.where('period', f.period);
  if (f.departments) q.whereIn('department', f.departments as string[]);
  return (await q).map(fromRow);
}

/** The metric's value for a period-view row. */
function metricOf(r: Pick<PeriodRow, 'total_cost' | 'visits' | 'patients'>, metric: Metric): number | null {
  const den = metric === 'cost_per_visit' ? r.visits : r.patients;
  return den > 0 ? money(r.total_cost / den) : null;
}

/** Sums rows of one key over categories (or keeps one category). Patients are summed per category (a patient in two categories counts twice). */
function merge(rows: PeriodRow[], category: Category | 'all'): Map<string, PeriodRow> {
  const out = new Map<string, PeriodRow>();
  for (const r of rows) {
    if (category !== 'all' && r.category !== category) continue;
    const m = out.get(r.key);
    if (!m) {
      out.set(r.key, { ...r });
      continue;
    }
    for (const f of ['patients', 'visits', 'total_cost', 'order_total', 'drug_amt', 'material_amt', 'exam_lab_amt', 'bed_days'] as const) m[f] += r[f];
  }
  return out;
}

/**
 * A proposal from the department's same period in the `years` past years: `mean` = the average
 * of their values; `trend` = the last year's value × (1 + the average year-on-year growth).
 */
export async function proposeQuota(
  his: { knex: Knex; config: DbSourceConfig },
  q: { department: string; category: Category | 'all'; metric: Metric; period: string; years: number; method: 'mean' | 'trend' },
) {
  const basis: Array<{ period: string; value: number | null; visits: number; patients: number; total_cost: number }> = [];
  for (let y = q.years; y >= 1; y--) {
    const p = earlierPeriod(q.period, y);
    const d = periodDays(p);
    const rows = await periodView(his.knex, his.config, { from: d.from, to: d.to, granularity: d.granularity, by: 'department', departments: [q.department] });
    const r = merge(rows, q.category).get(q.department);
    basis.push({ period: p, value: r ? metricOf(r, q.metric) : null, visits: r?.visits ?? 0, patients: r?.patients ?? 0, total_cost: r ? money(r.total_cost) : 0 });
  }
  const values = basis.map((b) => b.value).filter((v): v is number => v !== null);
  if (values.length === 0) throw badInput([{ field: 'query.department', message: `科室在过去 ${q.years} 年同期没有就诊数据，无法测算` }]);
  let amount = values.reduce((s, v) => s + v, 0) / values.length;
  if (q.method === 'trend' && values.length >= 2) {
    const growth: number[] = [];
    for (let i = 1; i < values.length; i++) if (values[i - 1] > 0) growth.push(values[i] / values[i - 1] - 1);
    const g = growth.length ? growth.reduce((s, v) => s + v, 0) / growth.length : 0;
    amount = values[values.length - 1] * (1 + g);
  }
  return { department: q.department, category: q.category, metric: q.metric, period: q.period, method: q.method, amount: money(amount), basis };
}

/** Cost classes the excess is explained by (per visit). */
const CLASSES = [
  ['drug', '药品'],
  ['material', '耗材'],
  ['exam_lab', '检查检验'],
  ['other', '其他'],
] as const;

function perVisitByClass(r: PeriodRow | undefined): Record<string, number> {
  const v = r && r.visits > 0 ? r.visits : 0;
  const per = (x: number) => (v > 0 ? x / v : 0);
  if (!r) return { drug: 0, material: 0, exam_lab: 0, other: 0 };
  return { drug: per(r.drug_amt), material: per(r.material_amt), exam_lab: per(r.exam_lab_amt), other: per(r.order_total - r.drug_amt - r.material_amt - r.exam_lab_amt) };
}

/**
 * 超定额比例 per department (or per doctor against their department's quota) for a quota period:
 * actual value, quota, (actual − quota) / quota, the amount above quota (excess per unit × units),
 * and the cost classes whose per-visit amount grew most against the same period a year before.
 */
export async function quotaExcess(
  db: Knex,
  his: { knex: Knex; config: DbSourceConfig },
  q: { period: string; by: 'department' | 'doctor'; metric: Metric; category: Category | 'all'; departments?: readonly string[] },
) {
  const quotas = (await currentQuotas(db, { period: q.period, departments: q.departments })).filter((x) => x.metric === q.metric && x.category === q.category);
  const quotaOf = new Map(quotas.map((x) => [x.department, x]));
  const d = periodDays(q.period);
  const before = periodDays(earlierPeriod(q.period, 1));
  const scope = q.departments ?? (quotas.length ? quotas.map((x) => x.department) : undefined);
  const [nowDept, prevDept] = await Promise.all([
    periodView(his.knex, his.config, { from: d.from, to: d.to, granularity: d.granularity, by: 'department', departments: scope }),
    periodView(his.knex, his.config, { from: before.from, to: before.to, granularity: before.granularity, by: 'department', departments: scope }),
  ]);
  const cur = merge(nowDept, q.category);
  const prev = merge(prevDept, q.category);
  let units: Map<string, PeriodRow> = cur;
  let doctorDept = new Map<string, string>();
  void doctorDept;
  if (q.by === 'doctor') {
    const docs = await periodView(his.knex, his.config, { from: d.from, to: d.to, granularity: d.granularity, by: 'doctor', departments: scope });
    units = merge(docs, q.category);
    doctorDept = new Map(docs.map((r) => [r.key, r.department ?? '']));
  }
  const rows = [];
  for (const [key, r] of units) {
    const department = q.by === 'doctor' ? (doctorDept.get(key) ?? '') : key;
    const quota = quotaOf.get(department);
    const actual = metricOf(r, q.metric);
    const units_ = q.metric === 'cost_per_visit' ? r.visits : r.patients;
    const excessRatio = quota && actual !== null ? ratio(actual - quota.amount, quota.amount) : null;
    const nowC = perVisitByClass(r);
    const prevC = perVisitByClass(prev.get(department));
    const drivers = CLASSES.map(([c, label]) => ({ class: c, label, per_visit: money(nowC[c]), per_visit_last_year: money(prevC[c]), change: money(nowC[c] - prevC[c]) })).sort(
      (a, b) => b.change - a.change,
    );
    rows.push({
      department,
      ...(q.by === 'doctor' ? { doctor: key } : {}),
      name: r.name,
      visits: r.visits,
      patients: r.patients,
      total_cost: money(r.total_cost),
      actual,
      quota: quota?.amount ?? null,
      excess_ratio: excessRatio,
      excess_amount: quota && actual !== null && actual > quota.amount ? money((actual - quota.amount) * units_) : 0,
      over: excessRatio !== null && excessRatio > 0,
      drivers,
    });
  }
  rows.sort((a, b) => (b.excess_ratio ?? -Infinity) - (a.excess_ratio ?? -Infinity) || a.department.localeCompare(b.department));
  return { period: q.period, metric: q.metric, category: q.category, compared_with: earlierPeriod(q.period, 1), rows };
}
