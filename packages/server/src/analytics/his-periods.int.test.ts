/**
 * Period views over a generated hospital on SQLite, PostgreSQL and MariaDB: the pushed-down
 * GROUP BYs against the same figures computed here from the raw rows (a plain SELECT of the
 * views) and against plain SQL totals.
 */
import t from 'tap';
import { testDatabases, withHospital } from '@preaudit/his-fixtures/testing';
import { periodView, type Category, type Granularity } from './his-periods.js';

const FROM = '2025-01-01';
const TO = '2025-06-30';

const pad = (n: number) => String(n).padStart(2, '0');
/** A date cell as yyyy-MM-dd (drivers give Date objects for timestamps, local wall time). */
function day(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  return typeof v === 'string' ? v.slice(0, 10) : JSON.stringify(v).slice(0, 10);
}
function bucket(d: string, g: Granularity): string {
  if (g === 'year') return d.slice(0, 4);
  if (g === 'month') return d.slice(0, 7);
  return `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) + 2) / 3)}`;
}
function category(e: Record<string, unknown>): Category {
  const mt = typeof e.med_type === 'string' ? e.med_type : '';
  if (e.insutype === '510' || mt.startsWith('5')) return 'maternity';
  if (e.med_mdtrt_type === '2' || mt.startsWith('2')) return 'inpatient';
  if (mt.startsWith('14')) return 'chronic_outpatient';
  if (e.med_mdtrt_type === '1' || mt.startsWith('1')) return 'general_outpatient';
  return 'other';
}
const n = (v: unknown) => Number(v ?? 0);
const close = (a: number, b: number) => Math.abs(a - b) < 0.011;

for (const db of testDatabases()) {
  t.test(`period views on ${db.name}`, async (t) => {
    await withHospital(db, { orderLines: 4000, seed: 15, from: FROM, months: 6 }, async (his) => {
      const k = his.knex;
      const view = (name: string) => (his.schema ? k.withSchema(his.schema).from(name) : k.from(name));
      const encounters: Array<Record<string, unknown>> = await view('pa_encounter').select('*');
      const orders: Array<Record<string, unknown>> = await view('pa_order').select('mdtrt_id', 'sumamt', 'hilist_type', 'chrg_type');
      t.ok(encounters.length > 100, `${encounters.length} encounters generated`);
      const categories = new Set(encounters.map(category));
      for (const c of ['general_outpatient', 'inpatient', 'maternity', 'chronic_outpatient'] as const) t.ok(categories.has(c), `the generator makes ${c} encounters`);

      for (const g of ['month', 'quarter'] as Granularity[]) {
        const rows = await periodView(k, his.config, { from: FROM, to: TO, granularity: g, by: 'department' });
        // The oracle: the same figures computed from the raw rows.
        const expected = new Map<
          string,
          { patients: Set<string>; visits: number; total: number; fund: number; self: number; bedDays: number; orderTotal: number; drug: number; material: number; exam: number }
        >();
        const groupOf = new Map<string, string>();
        for (const e of encounters) {
          const settle = day(e.dscg_date) ?? day(e.adm_date)!;
          if (settle < FROM || settle > TO) continue;
          const key = `${bucket(settle, g)}|${String(e.dscg_dept_codg ?? e.adm_dept_codg)}|${category(e)}`;
          groupOf.set(String(e.mdtrt_id), key);
          let x = expected.get(key);
          if (!x) expected.set(key, (x = { patients: new Set(), visits: 0, total: 0, fund: 0, self: 0, bedDays: 0, orderTotal: 0, drug: 0, material: 0, exam: 0 }));
          x.patients.add(String(e.patn_id));
          x.visits++;
          x.total += n(e.medfee_sumamt);
          x.fund += n(e.hifp_payamt);
          x.self += n(e.ownpay_amt) + n(e.selfpay_amt);
          if (category(e) === 'inpatient' && e.dscg_date) {
            const days = Math.round((Date.parse(`${day(e.dscg_date)}T00:00:00Z`) - Date.parse(`${day(e.adm_date)}T00:00:00Z`)) / 86_400_000);
            x.bedDays += Math.max(1, days);
          }
        }
        for (const o of orders) {
          const key = groupOf.get(String(o.mdtrt_id));
          if (!key) continue;
          const x = expected.get(key)!;
          x.orderTotal += n(o.sumamt);
          if (o.hilist_type === '101' || o.hilist_type === '102') x.drug += n(o.sumamt);
          if (o.hilist_type === '301') x.material += n(o.sumamt);
          if (o.chrg_type === '03' || o.chrg_type === '04') x.exam += n(o.sumamt);
        }
        t.equal(rows.length, expected.size, `${g}: one row per period, department and category`);
        let bad = 0;
        for (const r of rows) {
          const x = expected.get(`${r.period}|${r.key}|${r.category}`);
          if (!x) {
            bad++;
            t.fail(`unexpected group ${r.period} ${r.key} ${r.category}`);
            continue;
          }
          const ok =
            r.patients === x.patients.size &&
            r.visits === x.visits &&
            close(r.total_cost, x.total) &&
            close(r.fund_paid, x.fund) &&
            close(r.self_paid, x.self) &&
            r.bed_days === x.bedDays &&
            close(r.order_total, x.orderTotal) &&
            close(r.drug_amt, x.drug) &&
            close(r.material_amt, x.material) &&
            close(r.exam_lab_amt, x.exam) &&
            close(r.cost_per_visit!, x.total / x.visits);
          if (!ok) {
            bad++;
            t.fail(`${g} ${r.period} ${r.key} ${r.category}`, { found: r, wanted: { ...x, patients: x.patients.size } });
          }
        }
        t.equal(bad, 0, `${g}: every group's figures match`);
      }

      // Plain SQL totals over the whole period (no date functions: every generated encounter is in it).
      const [plain] = await view('pa_encounter').count({ c: '*' }).sum({ total: 'medfee_sumamt' });
      const years = await periodView(k, his.config, { from: FROM, to: TO, granularity: 'year', by: 'hospital' });
      t.equal(
        years.reduce((s, r) => s + r.visits, 0),
        n(plain.c),
        'visits over the year = count(*)',
      );
      t.ok(
        close(
          years.reduce((s, r) => s + r.total_cost, 0),
          n(plain.total),
        ),
        'total cost over the year = sum(medfee_sumamt)',
      );
      t.ok(years.every((r) => r.period === '2025' && r.key === 'H43010200001'));
      const inpatient = years.find((r) => r.category === 'inpatient')!;
      t.ok(inpatient.avg_stay_days! >= 1, '人均住院天数 of inpatients');
      t.ok(inpatient.drug_ratio! > 0 && inpatient.drug_ratio! < 1, '药占比 is a share');

      // Filters: one category, some departments.
      const dept = encounters[0].adm_dept_codg as string;
      const only = await periodView(k, his.config, { from: FROM, to: TO, granularity: 'year', by: 'doctor', category: 'inpatient', departments: [dept] });
      const wanted = encounters.filter((e) => category(e) === 'inpatient' && (e.dscg_dept_codg ?? e.adm_dept_codg) === dept).length;
      t.equal(
        only.reduce((s, r) => s + r.visits, 0),
        wanted,
        'one category of one department, by doctor',
      );
    });
  });
}
