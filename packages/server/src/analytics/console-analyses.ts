/**
 * The analyses behind the console's 总览, 科室/医生 drill-down and 遵从率 pages, over the
 * service's own tables (real-time checks, findings and 3103 feedback; batch jobs for their totals).
 * 遵从率 is the compliance report's: modified (dspo_way 2, 返回修改) / warnings (findings).
 */
import type { Knex } from 'knex';
import { cellText, money, previousPeriod, ratio, type Period } from './period.js';
import { Rollup, zeroMeasures, type Filters, type Measures } from './rollup.js';

/** What the analyses need. */
export interface AnalysisDeps {
  db: Knex;
  rollup: Rollup;
}

/** Compliance figures of a group. */
function compliance(m: Measures) {
  return { warnings: m.findings, continued: m.continued, modified: m.modified, no_answer: m.findings - m.continued - m.modified, compliance_rate: ratio(m.modified, m.findings) };
}

const BUCKETS = [
  ['le_10', 10],
  ['le_50', 50],
  ['le_100', 100],
  ['le_300', 300],
  ['le_1000', 1000],
  ['over_1000', null],
] as const;

/** The upper bound (ms) of the latency bucket holding the 95th percentile; null above 1 s or without checks. */
function p95(m: Measures): number | null {
  if (m.checks === 0) return null;
  let seen = 0;
  for (const [b, bound] of BUCKETS) {
    seen += m[b];
    if (seen >= 0.95 * m.checks) return bound;
  }
  return null;
}

const byFindings =
  <T extends { findings: number; vola_amt: number }>(key: (r: T) => string) =>
  (a: T, b: T) =>
    b.findings - a.findings || b.vola_amt - a.vola_amt || key(a).localeCompare(key(b));

/** 总览. */
export async function overview(deps: AnalysisDeps, period: Period, filters: Filters, top: number) {
  const { rollup, db } = deps;
  const [totals, days, rules, depts, docs] = await rollup.aggregateMany(period, [[], ['day'], ['rule_id'], ['department'], ['department', 'doctor']], filters);
  const t = totals[0] ?? { ...zeroMeasures() };
  const dayMap = new Map(days.map((d) => [d.day, d]));
  const trend = Rollup.days(period).map((day) => {
    const d = dayMap.get(day);
    return { day, checks: d?.checks ?? 0, findings: d?.findings ?? 0, vola_amt: money(d?.vola_amt ?? 0), modified: d?.modified ?? 0, continued: d?.continued ?? 0 };
  });
  const batchQ = db('audit_jobs').where('created_at', '>=', period.from).andWhere('created_at', '<', period.to).andWhere('state', 'done');
  // Batch totals are per job: a department head's scope does not apply to them, so they see none.
  const batch = filters.departments || filters.doctor ? null : await batchQ.count({ jobs: '*' }).sum({ findings: 'findings' }).sum({ vola_amt: 'vola_amt' }).first();
  return {
    checks: {
      checks: t.checks,
      orders: t.orders,
      flagged_checks: t.flagged_checks,
      engine_errors: t.engine_errors,
      latency: {
        avg_ms: t.checks > 0 ? Math.round((t.ana_sum / t.checks) * 100) / 100 : null,
        max_ms: t.checks > 0 ? Math.round(t.ana_max * 100) / 100 : null,
        p95_ms: p95(t),
        buckets: { le_10: t.le_10, le_50: t.le_50, le_100: t.le_100, le_300: t.le_300, le_1000: t.le_1000, over_1000: t.over_1000 },
      },
      fail_open: null,
    },
    findings: { findings: t.findings, vola_amt: money(t.vola_amt), ...compliance(t) },
    top_rules: rules
      .filter((r) => r.findings > 0)
      .sort(byFindings((r) => r.rule_id))
      .slice(0, top)
      .map((r) => ({
        rule_id: r.rule_id,
        rule_name: r.rule_name,
        findings: r.findings,
        vola_amt: money(r.vola_amt),
        modified: r.modified,
        continued: r.continued,
        compliance_rate: ratio(r.modified, r.findings),
      })),
    top_departments: depts
      .filter((r) => r.findings > 0)
      .sort(byFindings((r) => r.department))
      .slice(0, top)
      .map((r) => ({
        department: r.department,
        findings: r.findings,
        vola_amt: money(r.vola_amt),
        checks: r.checks,
        modified: r.modified,
        continued: r.continued,
        compliance_rate: ratio(r.modified, r.findings),
      })),
    top_doctors: docs
      .filter((r) => r.findings > 0)
      .sort(byFindings((r) => r.doctor))
      .slice(0, top)
      .map((r) => ({
        department: r.department,
        doctor: r.doctor,
        findings: r.findings,
        vola_amt: money(r.vola_amt),
        checks: r.checks,
        modified: r.modified,
        continued: r.continued,
        compliance_rate: ratio(r.modified, r.findings),
      })),
    trend,
    batch: batch ? { jobs: Number(batch.jobs ?? 0), findings: Number(batch.findings ?? 0), vola_amt: money(Number(batch.vola_amt ?? 0)) } : null,
  };
}

/** Sort keys of the rankings. */
export type RankSort = 'findings' | 'vola_amt' | 'checks' | 'compliance_rate';

/** Rankings of departments or doctors with the previous period beside them. */
export async function ranking(deps: AnalysisDeps, level: 'department' | 'doctor', period: Period, filters: Filters, sort: RankSort, compare: boolean) {
  const dims = level === 'department' ? (['department'] as const) : (['department', 'doctor'] as const);
  const prev = compare ? previousPeriod(period) : null;
  const [now, before] = await Promise.all([deps.rollup.aggregate(period, dims, filters), prev ? deps.rollup.aggregate(prev, dims, filters) : Promise.resolve([])]);
  const keyOf = (r: { department: string; doctor: string }) => (level === 'department' ? r.department : `${r.department}\u0001${r.doctor}`);
  const earlier = new Map(before.map((r) => [keyOf(r), r]));
  const rows = now
    .filter((r) => r.checks > 0 || r.findings > 0)
    .map((r) => {
      const p = earlier.get(keyOf(r));
      const change = (a: number, b: number | undefined) => (b ? Math.round(((a - b) / b) * 10_000) / 10_000 : null);
      return {
        department: r.department,
        ...(level === 'doctor' ? { doctor: r.doctor } : {}),
        checks: r.checks,
        findings: r.findings,
        vola_amt: money(r.vola_amt),
        modified: r.modified,
        continued: r.continued,
        compliance_rate: ratio(r.modified, r.findings),
        previous: prev ? { checks: p?.checks ?? 0, findings: p?.findings ?? 0, vola_amt: money(p?.vola_amt ?? 0), compliance_rate: p ? ratio(p.modified, p.findings) : null } : null,
        change: prev ? { findings: change(r.findings, p?.findings), vola_amt: change(r.vola_amt, p?.vola_amt) } : null,
      };
    });
  const value = (r: (typeof rows)[number]) => (sort === 'compliance_rate' ? (r.compliance_rate ?? -1) : r[sort]);
  rows.sort(
    (a, b) =>
      value(b) - value(a) ||
      b.findings - a.findings ||
      keyOf({ department: a.department, doctor: a.doctor ?? '' }).localeCompare(keyOf({ department: b.department, doctor: b.doctor ?? '' })),
  );
  return { previous: prev, rows: rows.map((r, i) => ({ rank: i + 1, ...r })) };
}

/** 遵从率 by rule, department or doctor, with the reasons doctors gave for continuing. */
export async function complianceBy(deps: AnalysisDeps, by: 'rule' | 'department' | 'doctor', period: Period, filters: Filters) {
  const dims = by === 'rule' ? (['rule_id'] as const) : by === 'department' ? (['department'] as const) : (['department', 'doctor'] as const);
  const groups = (await deps.rollup.aggregate(period, dims, filters)).filter((r) => r.findings > 0);
  // Reasons: 继续执行 feedback in the period (raw rows via the feedback time index, bounded by a cap).
  const reasons = await reasonCounts(deps.db, period, filters, by);
  const total = zeroMeasures();
  const rows = groups.map((g) => {
    total.findings += g.findings;
    total.continued += g.continued;
    total.modified += g.modified;
    const k = by === 'rule' ? g.rule_id : by === 'department' ? g.department : `${g.department}\u0001${g.doctor}`;
    const keys = by === 'rule' ? { rule_id: g.rule_id, rule_name: g.rule_name } : by === 'department' ? { department: g.department } : { department: g.department, doctor: g.doctor };
    return { ...keys, ...compliance(g), reasons: reasons.get(k) ?? [] };
  });
  rows.sort((a, b) => b.warnings - a.warnings || JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { rows, total: compliance(total) };
}

/**
 * Reasons are free text: each group's five most given are counted over the most recent
 * REASON_SAMPLE 继续执行 dispositions of the period's findings (the findings time index read
 * backwards), so the cost does not grow with the period; the full list is paged by /v1/compliance/reasons.
 */
const REASON_SAMPLE = 5000;

async function reasonCounts(db: Knex, period: Period, f: Filters, by: 'rule' | 'department' | 'doctor'): Promise<Map<string, Array<{ reason: string; count: number }>>> {
  const q = db('feedback as fb')
    .join('findings as f', 'f.jr_id', 'fb.jr_id')
    .where('fb.dspo_way', '1')
    .andWhere('f.time', '>=', period.from)
    .andWhere('f.time', '<', period.to)
    .select('f.rule_id', 'f.department', 'f.doctor', 'fb.dspo_way_rea')
    .orderBy('f.time', 'desc')
    .limit(REASON_SAMPLE);
  filterFindings(q, f);
  const rows = (await q) as Array<Record<string, unknown>>;
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const k = by === 'rule' ? cellText(r.rule_id) : by === 'department' ? cellText(r.department) : `${cellText(r.department)}\u0001${cellText(r.doctor)}`;
    const reason = cellText(r.dspo_way_rea).trim();
    if (!reason) continue;
    let m = counts.get(k);
    if (!m) counts.set(k, (m = new Map<string, number>()));
    m.set(reason, (m.get(reason) ?? 0) + 1);
  }
  const out = new Map<string, Array<{ reason: string; count: number }>>();
  for (const [k, m] of counts) {
    out.set(
      k,
      [...m]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([reason, count]) => ({ reason, count })),
    );
  }
  return out;
}

/** Applies the filters to a query over `findings as f`. */
function filterFindings(q: Knex.QueryBuilder, f: Filters): void {
  if (f.hospital !== undefined) q.andWhere('f.hospital', f.hospital);
  if (f.departments !== undefined) q.whereIn('f.department', f.departments as string[]);
  if (f.doctor !== undefined) q.andWhere('f.doctor', f.doctor);
  if (f.rule_id !== undefined) q.andWhere('f.rule_id', f.rule_id);
}

/** The feedback given (both ways) with its reason, newest first, one page. */
export async function reasonsPage(deps: AnalysisDeps, period: Period, f: Filters, page: number, pageSize: number) {
  const { db, rollup } = deps;
  const base = db('findings as f').join('feedback as fb', 'fb.jr_id', 'f.jr_id').where('f.time', '>=', period.from).andWhere('f.time', '<', period.to);
  filterFindings(base, f);
  // The total from the summaries (dispositions of the period's findings), not a count over the join.
  const [sum] = await rollup.aggregate(period, [], f);
  const n = (sum?.modified ?? 0) + (sum?.continued ?? 0);
  const rows = (await base
    .select('f.time as finding_time', 'fb.time', 'f.jr_id', 'f.rule_id', 'f.rule_name', 'f.department', 'f.doctor', 'fb.dspo_way', 'fb.dspo_way_rea')
    .orderBy('f.time', 'desc')
    .orderBy('f.jr_id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)) as Array<Record<string, unknown>>;
  return { total: n, page, page_size: pageSize, rows };
}

/** Checks (encounters) with findings of a department/doctor in the period, newest first, one page. */
export async function encountersPage(db: Knex, period: Period, f: Filters, page: number, pageSize: number) {
  const base = db('findings as f').where('f.time', '>=', period.from).andWhere('f.time', '<', period.to);
  filterFindings(base, f);
  const [{ n }] = await db.from(base.clone().distinct('f.check_id').as('x')).count<Array<{ n: number | string }>>({ n: '*' });
  const grouped = await base
    .clone()
    .groupBy('f.check_id')
    .select('f.check_id')
    .count({ findings_count: '*' })
    .sum({ vola_amt: 'f.vola_amt' })
    .max({ time: 'f.time' })
    .orderBy('time', 'desc')
    .orderBy('f.check_id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const ids = grouped.map((g: Record<string, unknown>) => String(g.check_id));
  const checks: Array<Record<string, unknown>> =
    ids.length === 0
      ? []
      : await db('checks').whereIn('check_id', ids).select('check_id', 'time', 'channel', 'infno', 'hospital', 'department', 'doctor', 'patient', 'task_id', 'orders');
  const byId = new Map(checks.map((c) => [String(c.check_id), c]));
  const rows = grouped.map((g: Record<string, unknown>) => {
    const c = byId.get(String(g.check_id)) ?? {};
    return { ...c, check_id: String(g.check_id), time: c.time ?? g.time, findings_count: Number(g.findings_count), vola_amt: money(Number(g.vola_amt ?? 0)) };
  });
  return { total: Number(n), page, page_size: pageSize, rows };
}

/** One check: its findings with their feedback, and its orders (from the stored, de-identified request) with the offending ones marked. */
export async function checkDetail(db: Knex, checkId: string) {
  const check: Record<string, unknown> | undefined = await db('checks')
    .where({ check_id: checkId })
    .first('check_id', 'time', 'channel', 'infno', 'hospital', 'department', 'doctor', 'patient', 'task_id', 'orders', 'findings_count', 'rulebook', 'ana_dura', 'request');
  if (!check) return undefined;
  const findings: Array<Record<string, unknown>> = await db('findings as f')
    .leftJoin('feedback as fb', 'fb.jr_id', 'f.jr_id')
    .where('f.check_id', checkId)
    .orderBy('f.id')
    .select('f.jr_id', 'f.rule_id', 'f.rule_name', 'f.sev_deg', 'f.rx_id', 'f.hilist_code', 'f.vola_amt', 'f.department', 'f.doctor', 'fb.dspo_way', 'fb.dspo_way_rea');
  const orders: Array<Record<string, unknown>> = [];
  const request = check.request ? safeJson(cellText(check.request)) : undefined;
  for (const p of asArray((request as { patient_dtos?: unknown })?.patient_dtos)) {
    for (const e of asArray((p as { fsi_encounter_dtos?: unknown }).fsi_encounter_dtos)) {
      for (const o of asArray((e as { fsi_order_dtos?: unknown }).fsi_order_dtos) as Array<Record<string, unknown>>) {
        const mine = findings.filter((f) => f.rx_id !== null && f.rx_id !== undefined && f.rx_id === o.rx_id);
        orders.push({
          mdtrt_id: (e as Record<string, unknown>).mdtrt_id ?? null,
          rx_id: o.rx_id ?? null,
          hilist_code: o.hilist_code ?? null,
          hilist_name: o.hilist_name ?? null,
          cnt: o.cnt ?? null,
          pric: o.pric ?? null,
          sumamt: o.sumamt ?? null,
          drord_dept_codg: o.drord_dept_codg ?? null,
          drord_dr_codg: o.drord_dr_codg ?? null,
          flagged: mine.length > 0,
          findings: mine.map((f) => ({
            jr_id: f.jr_id,
            rule_id: f.rule_id,
            rule_name: f.rule_name,
            sev_deg: f.sev_deg,
            vola_amt: f.vola_amt,
            dspo_way: f.dspo_way ?? null,
            dspo_way_rea: f.dspo_way_rea ?? null,
          })),
        });
      }
    }
  }
  const { request: _omit, ...info } = check;
  void _omit;
  return { check: info, orders, findings };
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
