/**
 * Audit reports for the insurance office: by department, by doctor and by rule — encounters,
 * orders, findings, amount involved (vola_amt), its share of the period's total fee, and the
 * most frequent offending items. Built from stored findings and the volume figures gathered
 * while auditing.
 */
import type { Finding } from '../audit/judge.js';
import type { StatRow } from '../audit/stats.js';
import type { UnmappedCode } from '../mapping/code-mapper.js';

/** The fields of a finding a report needs. */
export type ReportFinding = Pick<
  Finding,
  'rule_id' | 'rule_name' | 'sev_deg' | 'mdtrt_id' | 'rx_id' | 'hilist_code' | 'hilist_name' | 'hosplist_code' | 'dept_codg' | 'dept_name' | 'dr_codg' | 'dr_name' | 'vola_amt'
>;

/** One offending item in a top list. */
export interface TopItem {
  /** National code (else the hospital code). */
  code: string;
  /** Item name. */
  name: string;
  /** Findings on it. */
  findings: number;
  /** Amount involved. */
  vola_amt: number;
}

/** What the findings of a department, doctor or rule add up to. */
export interface FindingTotals {
  /** Findings. */
  findings: number;
  /** Amount involved. */
  vola_amt: number;
  /** vola_amt / the period's total fee. */
  vola_share: number;
  /** Most frequent offending items. */
  top_items: TopItem[];
}

/** A department or doctor line. */
export interface GroupRow extends FindingTotals {
  /** Department or doctor code. */
  code: string;
  /** Name. */
  name: string;
  /** Doctors: department name. */
  dept_name?: string;
  /** Encounters with orders from it. */
  encounters: number;
  /** Order lines. */
  orders: number;
  /** Total fee of those lines. */
  fee: number;
  /** Encounters with at least one finding. */
  finding_encounters: number;
}

/** A rule line. */
export interface RuleRow extends FindingTotals {
  /** Rule id. */
  rule_id: string;
  /** Official rule name. */
  rule_name: string;
  /** Severity. */
  sev_deg: string;
  /** Encounters with a finding of this rule. */
  encounters: number;
  /** Distinct offending orders. */
  orders: number;
}

/** Where a report comes from. */
export interface ReportMeta {
  /** Source name. */
  source: string;
  /** 事中 / 事后. */
  phase: string;
  /** Period start. */
  from?: string;
  /** Period end. */
  to?: string;
  /** Rulebooks used ("id@version"). */
  rulebooks: string[];
  /** When the report was built (ISO). */
  generated_at: string;
  /** Job id, for the service. */
  job_id?: string;
}

/** Totals of the period. */
export interface ReportSummary {
  encounters: number;
  orders: number;
  fee: number;
  findings: number;
  finding_encounters: number;
  vola_amt: number;
  vola_share: number;
  unmapped_orders: number;
  unmapped_codes: number;
}

/** A whole report. */
export interface AuditReport {
  meta: ReportMeta;
  summary: ReportSummary;
  by_department: GroupRow[];
  by_doctor: GroupRow[];
  by_rule: RuleRow[];
  unmapped: UnmappedCode[];
}

const TOP = 5;
const money = (n: number) => Math.round(n * 100) / 100;
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : 0);

class Acc {
  findings = 0;
  vola = 0;
  encounters = new Set<string>();
  orders = new Set<string>();
  items = new Map<string, TopItem>();
  name = '';
  extra = '';
  add(f: ReportFinding): void {
    this.findings++;
    this.vola += f.vola_amt;
    this.encounters.add(f.mdtrt_id);
    if (f.rx_id) this.orders.add(`${f.mdtrt_id}\u0000${f.rx_id}`);
    const code = f.hilist_code || f.hosplist_code || '';
    let it = this.items.get(code);
    if (!it) this.items.set(code, (it = { code, name: f.hilist_name, findings: 0, vola_amt: 0 }));
    it.findings++;
    it.vola_amt += f.vola_amt;
  }
  top(): TopItem[] {
    return [...this.items.values()]
      .sort((a, b) => b.findings - a.findings || b.vola_amt - a.vola_amt || a.code.localeCompare(b.code))
      .slice(0, TOP)
      .map((t) => ({ ...t, vola_amt: money(t.vola_amt) }));
  }
}

function acc<K>(map: Map<K, Acc>, key: K): Acc {
  let a = map.get(key);
  if (!a) map.set(key, (a = new Acc()));
  return a;
}

const byImpact = <T extends { vola_amt: number; findings: number }>(a: T, b: T) => b.vola_amt - a.vola_amt || b.findings - a.findings;

/** Builds the report (pure). Departments and doctors without findings are listed too. */
export function buildReport(findings: Iterable<ReportFinding>, stats: readonly StatRow[], unmapped: readonly UnmappedCode[], meta: ReportMeta): AuditReport {
  const depts = new Map<string, Acc>();
  const doctors = new Map<string, Acc>();
  const rules = new Map<string, Acc & { sev?: string }>();
  const all = new Acc();
  for (const f of findings) {
    all.add(f);
    const d = acc(depts, f.dept_codg);
    d.add(f);
    if (!d.name) d.name = f.dept_name;
    const dr = acc(doctors, f.dr_codg);
    dr.add(f);
    if (!dr.name) dr.name = f.dr_name;
    if (!dr.extra) dr.extra = f.dept_name;
    const r = acc(rules, f.rule_id) as Acc & { sev?: string };
    r.add(f);
    if (!r.name) {
      r.name = f.rule_name;
      r.sev = f.sev_deg;
    }
  }
  const total = stats
    .filter((s) => s.dim === 'total')
    .reduce((t, s) => ({ encounters: t.encounters + s.encounters, orders: t.orders + s.orders, fee: t.fee + s.fee }), { encounters: 0, orders: 0, fee: 0 });
  const group = (dim: 'dept' | 'doctor', accs: Map<string, Acc>): GroupRow[] => {
    const keys = new Set<string>([...accs.keys(), ...stats.filter((s) => s.dim === dim).map((s) => s.key)]);
    const figures = new Map<string, StatRow>();
    for (const s of stats) {
      if (s.dim !== dim) continue;
      const f = figures.get(s.key);
      if (!f) figures.set(s.key, { ...s });
      else {
        f.encounters += s.encounters;
        f.orders += s.orders;
        f.fee += s.fee;
        if (!f.name) f.name = s.name;
        if (!f.parent) f.parent = s.parent;
      }
    }
    return [...keys]
      .map((key) => {
        const a = accs.get(key);
        const s = figures.get(key);
        const row: GroupRow = {
          code: key,
          name: s?.name || a?.name || '',
          encounters: s?.encounters ?? 0,
          orders: s?.orders ?? 0,
          fee: money(s?.fee ?? 0),
          findings: a?.findings ?? 0,
          finding_encounters: a?.encounters.size ?? 0,
          vola_amt: money(a?.vola ?? 0),
          vola_share: share(a?.vola ?? 0, total.fee),
          top_items: a?.top() ?? [],
        };
        if (dim === 'doctor') row.dept_name = s?.parent || a?.extra || '';
        return row;
      })
      .sort((x, y) => byImpact(x, y) || x.code.localeCompare(y.code));
  };
  const byRule: RuleRow[] = [...rules.entries()]
    .map(([id, a]) => ({
      rule_id: id,
      rule_name: a.name,
      sev_deg: a.sev ?? '',
      findings: a.findings,
      encounters: a.encounters.size,
      orders: a.orders.size,
      vola_amt: money(a.vola),
      vola_share: share(a.vola, total.fee),
      top_items: a.top(),
    }))
    .sort((x, y) => byImpact(x, y) || x.rule_id.localeCompare(y.rule_id));
  return {
    meta,
    summary: {
      encounters: total.encounters,
      orders: total.orders,
      fee: money(total.fee),
      findings: all.findings,
      finding_encounters: all.encounters.size,
      vola_amt: money(all.vola),
      vola_share: share(all.vola, total.fee),
      unmapped_orders: unmapped.reduce((n, u) => n + u.count, 0),
      unmapped_codes: unmapped.length,
    },
    by_department: group('dept', depts),
    by_doctor: group('doctor', doctors),
    by_rule: byRule,
    unmapped: [...unmapped],
  };
}
