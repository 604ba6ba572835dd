/**
 * Period views over the hospital's HIS data (issue 15): per month, quarter or year and per
 * hospital, department or doctor, split by patient category, the figures the insurance office
 * monitors — 人数, 人次, total cost, fund-paid, self-paid, 次均费用, 人均住院天数, 药占比, 耗占比,
 * 检查检验占比 — read from the same contract views the batch audits read (`pa_encounter`,
 * `pa_order`, through the source's mapping file), with every aggregation pushed down to the
 * database in one GROUP BY per view (knex; date expressions per dialect: PostgreSQL, MySQL/MariaDB,
 * SQLite). Other databases are refused with a clear message.
 *
 * Definitions (codes: NHSA 医疗保障信息业务编码规范 dictionaries, as DOMAIN.md lists them —
 * `med_type` 医疗类别 11 普通门诊, 13 急诊, 14x 门诊慢特病, 21 普通住院, 28 日间手术, 5x 生育
 * (51 生育门诊, 52 生育住院); `med_mdtrt_type` 1 门诊, 2 住院; `insutype` 510 生育保险;
 * `hilist_type` 101 西药中成药, 102 中药饮片, 301 医用耗材; `chrg_type` 医疗收费项目类别
 * 03 检查费, 04 化验费):
 * - category, first match wins: maternity (insutype 510 or med_type 5x), inpatient
 *   (med_mdtrt_type 2 or med_type 2x), chronic_outpatient (med_type 14x), general_outpatient
 *   (med_mdtrt_type 1 or med_type 1x), other (pharmacy purchases and the rest);
 * - an encounter belongs to the period of its settlement: discharge date when it has one, else
 *   admission date; department = discharge department, else admission department; doctor = dr_codg;
 * - 人数 = distinct patn_id, 人次 = encounters, total = Σ medfee_sumamt, fund = Σ hifp_payamt
 *   (统筹基金), account = Σ acct_payamt, self = Σ ownpay_amt + selfpay_amt;
 * - 次均费用 = total / 人次; 人均住院天数 = inpatient bed-days / inpatient 人次 (a same-day stay counts 1);
 * - 药占比, 耗占比, 检查检验占比 = Σ order sumamt of drugs (101, 102), consumables (301),
 *   exams and lab tests (chrg_type 03, 04) / Σ order sumamt of the same encounters.
 */
import type { Knex } from 'knex';
import { viewLocation, type DbSourceConfig, type ViewKey } from '@preaudit/his-adapter';
import { cellText, money, ratio } from './period.js';

/** Period buckets. */
export type Granularity = 'month' | 'quarter' | 'year';
/** Grouping. */
export type GroupBy = 'hospital' | 'department' | 'doctor';
/** Patient categories. */
export const CATEGORIES = ['general_outpatient', 'chronic_outpatient', 'inpatient', 'maternity', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
/** Chinese labels of the categories. */
export const CATEGORY_LABEL: Record<Category, string> = {
  general_outpatient: '普通门诊',
  chronic_outpatient: '门诊慢特病',
  inpatient: '住院',
  maternity: '生育',
  other: '其他',
};

/** What to analyse. */
export interface PeriodQuery {
  /** First and last day, yyyy-MM-dd, inclusive. */
  from: string;
  to: string;
  granularity: Granularity;
  by: GroupBy;
  /** Only this category (undefined: every category, one row each). */
  category?: Category;
  /** Only these departments. */
  departments?: readonly string[];
}

/** One row of the view. */
export interface PeriodRow {
  period: string;
  key: string;
  name: string | null;
  /** The department: the key when grouped by department; a doctor's (the greatest code of their visits' departments) when by doctor. */
  department: string | null;
  category: Category;
  patients: number;
  visits: number;
  total_cost: number;
  fund_paid: number;
  account_paid: number;
  self_paid: number;
  cost_per_visit: number | null;
  bed_days: number;
  avg_stay_days: number | null;
  order_total: number;
  drug_amt: number;
  material_amt: number;
  exam_lab_amt: number;
  drug_ratio: number | null;
  material_ratio: number | null;
  exam_lab_ratio: number | null;
}

type Dialect = 'pg' | 'mysql' | 'sqlite';

function dialectOf(knex: Knex): Dialect {
  const client = String((knex.client as { config: { client: string } }).config.client);
  if (client === 'pg' || client === 'postgres' || client === 'postgresql') return 'pg';
  if (client === 'mysql2' || client === 'mysql') return 'mysql';
  if (client === 'better-sqlite3' || client === 'sqlite3') return 'sqlite';
  throw new Error(`period views are pushed down on PostgreSQL, MySQL/MariaDB and SQLite; not on ${client}`);
}

/** A contract column as the view spells it, qualified by `alias`. */
function column(config: DbSourceConfig, view: ViewKey, national: string, alias: string): string {
  const mapping = config.views[view];
  const name = (mapping && mapping.columns?.[national]) ?? national;
  return `${alias}.${name}`;
}

function from(knex: Knex, config: DbSourceConfig, view: ViewKey, alias: string, dialect: Dialect): Knex.QueryBuilder {
  const loc = viewLocation(config, view, dialect !== 'sqlite');
  if (!loc) throw new Error(`the source has no ${view} view`);
  const q = knex.from(`${loc.name} as ${alias}`);
  return loc.schema ? q.withSchema(loc.schema) : q;
}

/** SQL pieces for one dialect (identifiers are bound with ??). */
function expressions(knex: Knex, d: Dialect, c: (national: string) => string, g: Granularity) {
  const r = (sql: string, ids: string[]) => knex.raw(sql, ids).toQuery();
  const settle = r('coalesce(??, ??)', [c('dscg_date'), c('adm_date')]);
  let bucket: string;
  if (d === 'pg') {
    const ts = `cast(${settle} as timestamp)`;
    bucket = g === 'month' ? `to_char(${ts}, 'YYYY-MM')` : g === 'year' ? `to_char(${ts}, 'YYYY')` : `to_char(${ts}, 'YYYY-"Q"Q')`;
  } else if (d === 'mysql') {
    bucket = g === 'month' ? `date_format(${settle}, '%Y-%m')` : g === 'year' ? `date_format(${settle}, '%Y')` : `concat(year(${settle}), '-Q', quarter(${settle}))`;
  } else {
    bucket =
      g === 'month' ? `substr(${settle}, 1, 7)` : g === 'year' ? `substr(${settle}, 1, 4)` : `substr(${settle}, 1, 4) || '-Q' || ((cast(substr(${settle}, 6, 2) as integer) + 2) / 3)`;
  }
  const [insutype, medType, mdtrtType] = [c('insutype'), c('med_type'), c('med_mdtrt_type')].map((x) => r('??', [x]));
  const category =
    `case when ${insutype} = '510' or ${medType} like '5%' then 'maternity'` +
    ` when ${mdtrtType} = '2' or ${medType} like '2%' then 'inpatient'` +
    ` when ${medType} like '14%' then 'chronic_outpatient'` +
    ` when ${mdtrtType} = '1' or ${medType} like '1%' then 'general_outpatient'` +
    ` else 'other' end`;
  const [adm, dscg] = [r('??', [c('adm_date')]), r('??', [c('dscg_date')])];
  const rawDays =
    d === 'pg'
      ? `(cast(${dscg} as date) - cast(${adm} as date))`
      : d === 'mysql'
        ? `datediff(${dscg}, ${adm})`
        : `cast(julianday(substr(${dscg}, 1, 10)) - julianday(substr(${adm}, 1, 10)) as integer)`;
  const stay = `case when ${dscg} is null then 0 when ${rawDays} < 1 then 1 else ${rawDays} end`;
  return { settle, bucket, category, stay };
}

/** Runs the analysis; rows sorted by period, key, category. */
export async function periodView(knex: Knex, config: DbSourceConfig, q: PeriodQuery): Promise<PeriodRow[]> {
  const d = dialectOf(knex);
  const ce = (n: string) => column(config, 'encounters', n, 'e');
  const co = (n: string) => column(config, 'orders', n, 'o');
  const x = expressions(knex, d, ce, q.granularity);
  const r = (sql: string, ids: string[]) => knex.raw(sql, ids).toQuery();
  const deptExpr = r('coalesce(??, ??)', [ce('dscg_dept_codg'), ce('adm_dept_codg')]);
  const deptName = r('coalesce(??, ??)', [ce('dscg_dept_name'), ce('adm_dept_name')]);
  const keyExpr = q.by === 'hospital' ? r('??', [ce('medins_id')]) : q.by === 'department' ? deptExpr : r('??', [ce('dr_codg')]);
  const nameExpr = q.by === 'hospital' ? r('max(??)', [ce('medins_name')]) : q.by === 'department' ? `max(${deptName})` : 'null';
  // The period: settlement date in [from, to + 1 day).
  const end = nextDay(q.to);
  const scope = (b: Knex.QueryBuilder) => {
    b.whereRaw(`${x.settle} >= ?`, [q.from]).andWhereRaw(`${x.settle} < ?`, [end]);
    if (q.departments) b.whereRaw(`${deptExpr} in (${q.departments.map(() => '?').join(', ') || 'null'})`, [...q.departments]);
    if (q.category) b.whereRaw(`(${x.category}) = ?`, [q.category]);
  };
  const enc = from(knex, config, 'encounters', 'e', d);
  scope(enc);
  const num = (n: string) => r('coalesce(??, 0)', [ce(n)]);
  const encRows: Array<Record<string, unknown>> = await enc
    .select(
      knex.raw(`${x.bucket} as period`),
      knex.raw(`${keyExpr} as k`),
      knex.raw(`${nameExpr} as name`),
      knex.raw(`${q.by === 'hospital' ? 'null' : `max(${deptExpr})`} as dept`),
      knex.raw(`${x.category} as category`),
      knex.raw(`count(distinct ${r('??', [ce('patn_id')])}) as patients`),
      knex.raw('count(*) as visits'),
      knex.raw(`sum(${num('medfee_sumamt')}) as total_cost`),
      knex.raw(`sum(${num('hifp_payamt')}) as fund_paid`),
      knex.raw(`sum(${num('acct_payamt')}) as account_paid`),
      knex.raw(`sum(${num('ownpay_amt')} + ${num('selfpay_amt')}) as self_paid`),
      knex.raw(`sum(case when (${x.category}) = 'inpatient' then ${x.stay} else 0 end) as bed_days`),
    )
    .groupByRaw(`${x.bucket}, ${keyExpr}, ${x.category}`);
  // Orders of the same encounters, summed by cost class.
  const ord = from(knex, config, 'orders', 'o', d).join(
    knex.raw(`${viewRef(knex, config, 'encounters', d)} as e`),
    knex.raw('??', [co('mdtrt_id')]) as never,
    '=',
    knex.raw('??', [ce('mdtrt_id')]) as never,
  );
  scope(ord);
  const amt = r('coalesce(??, 0)', [co('sumamt')]);
  const [hilistType, chrgType] = [r('??', [co('hilist_type')]), r('??', [co('chrg_type')])];
  const ordRows: Array<Record<string, unknown>> = await ord
    .select(
      knex.raw(`${x.bucket} as period`),
      knex.raw(`${keyExpr} as k`),
      knex.raw(`${x.category} as category`),
      knex.raw(`sum(${amt}) as order_total`),
      knex.raw(`sum(case when ${hilistType} in ('101', '102') then ${amt} else 0 end) as drug_amt`),
      knex.raw(`sum(case when ${hilistType} = '301' then ${amt} else 0 end) as material_amt`),
      knex.raw(`sum(case when ${chrgType} in ('03', '04') then ${amt} else 0 end) as exam_lab_amt`),
    )
    .groupByRaw(`${x.bucket}, ${keyExpr}, ${x.category}`);
  const k = (row: Record<string, unknown>) => `${cellText(row.period)}\u0001${cellText(row.k)}\u0001${cellText(row.category)}`;
  const orders = new Map(ordRows.map((o) => [k(o), o]));
  const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const rows = encRows.map((e): PeriodRow => {
    const o = orders.get(k(e)) ?? {};
    const visits = n(e.visits);
    const total = n(e.total_cost);
    const orderTotal = n(o.order_total);
    const category = cellText(e.category) as Category;
    return {
      period: cellText(e.period),
      key: cellText(e.k),
      name: e.name === null || e.name === undefined ? null : cellText(e.name),
      department: e.dept === null || e.dept === undefined ? null : cellText(e.dept),
      category,
      patients: n(e.patients),
      visits,
      total_cost: money(total),
      fund_paid: money(n(e.fund_paid)),
      account_paid: money(n(e.account_paid)),
      self_paid: money(n(e.self_paid)),
      cost_per_visit: visits > 0 ? money(total / visits) : null,
      bed_days: n(e.bed_days),
      avg_stay_days: category === 'inpatient' && visits > 0 ? Math.round((n(e.bed_days) / visits) * 100) / 100 : null,
      order_total: money(orderTotal),
      drug_amt: money(n(o.drug_amt)),
      material_amt: money(n(o.material_amt)),
      exam_lab_amt: money(n(o.exam_lab_amt)),
      drug_ratio: ratio(n(o.drug_amt), orderTotal),
      material_ratio: ratio(n(o.material_amt), orderTotal),
      exam_lab_ratio: ratio(n(o.exam_lab_amt), orderTotal),
    };
  });
  rows.sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key) || a.category.localeCompare(b.category));
  return rows;
}

/** `schema.view` quoted, for a join. */
function viewRef(knex: Knex, config: DbSourceConfig, view: ViewKey, d: Dialect): string {
  const loc = viewLocation(config, view, d !== 'sqlite');
  if (!loc) throw new Error(`the source has no ${view} view`);
  return loc.schema ? knex.raw('??.??', [loc.schema, loc.name]).toQuery() : knex.raw('??', [loc.name]).toQuery();
}

/** yyyy-MM-dd of the day after. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
