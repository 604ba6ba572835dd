/**
 * 科室定额 end to end on a generated hospital (SQLite HIS, SQLite service): a proposal from the
 * past year equals the figure computed from the raw rows, quotas are versioned and in the trail,
 * a planted excess (a quota set 20 % under the actual) shows as 超定额比例 0.25, roles and bad input.
 */
import t from 'tap';
import { withHospital } from '@preaudit/his-fixtures/testing';
import { testApp } from '../test-support/helpers.js';

const pad = (n: number) => String(n).padStart(2, '0');
function day(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  return typeof v === 'string' ? v.slice(0, 10) : JSON.stringify(v).slice(0, 10);
}

t.test('quotas: proposal, versions, trail, excess', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 5000, seed: 5, from: '2023-01-01', months: 24 }, async (his) => {
    const app = await testApp({ auditJobs: { sources: { his: his.config } }, apiKeys: { office: 'insurance-office', dept: 'department' } });
    t.teardown(() => app.close());
    const call = (method: 'GET' | 'PUT', url: string, key = 'office', payload?: unknown) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload: payload } : {}) });
    const encounters: Array<Record<string, unknown>> = await his.knex('pa_encounter').select('*');
    const dept = String(encounters[0].adm_dept_codg);
    const costPerVisit = (year: string) => {
      const mine = encounters.filter((e) => String(e.dscg_dept_codg ?? e.adm_dept_codg) === dept && (day(e.dscg_date) ?? day(e.adm_date))!.startsWith(year));
      return { visits: mine.length, value: mine.reduce((s, e) => s + Number(e.medfee_sumamt), 0) / mine.length };
    };

    const proposal = (await call('GET', `/v1/quotas/proposal?source=his&department=${dept}&metric=cost_per_visit&period=2024&years=1`)).json();
    t.equal(proposal.basis[0].period, '2023');
    t.equal(proposal.basis[0].visits, costPerVisit('2023').visits);
    t.ok(Math.abs(proposal.amount - costPerVisit('2023').value) < 0.011, 'mean of one past year = that year’s 次均费用');

    const first = await call('PUT', '/v1/quotas', 'office', {
      department: dept,
      metric: 'cost_per_visit',
      period: '2024',
      amount: proposal.amount,
      method: 'mean',
      basis: proposal.basis,
    });
    t.equal(first.statusCode, 200, first.body);
    t.equal(first.json().replaced, null);
    // Plant an excess: the quota 20 % under what the department really cost in 2024.
    const actual = costPerVisit('2024').value;
    const quota = Math.round(actual * 0.8 * 100) / 100;
    const second = (await call('PUT', '/v1/quotas', 'office', { department: dept, metric: 'cost_per_visit', period: '2024', amount: quota, reason: '院务会调整' })).json();
    t.equal(second.replaced.amount, proposal.amount, 'the earlier version is returned as replaced');
    const current = (await call('GET', '/v1/quotas?period=2024')).json().quotas;
    t.equal(current.length, 1);
    t.equal(current[0].amount, quota);
    const history = (await call('GET', `/v1/quotas/history?department=${dept}`)).json().versions;
    t.equal(history.length, 2, 'both versions kept');
    t.ok(history[1].superseded_at && !history[0].superseded_at);

    const excess = (await call('GET', '/v1/analytics/quota-excess?source=his&period=2024')).json();
    const row = excess.rows.find((r: { department: string }) => r.department === dept);
    t.equal(row.quota, quota);
    t.ok(Math.abs(row.actual - actual) < 0.011);
    t.ok(Math.abs(row.excess_ratio - 0.25) < 0.001, `超定额比例 ${row.excess_ratio} ≈ 0.25`);
    t.ok(row.over);
    t.equal(row.drivers.length, 4, 'cost classes compared with the year before');
    const doctors = (await call('GET', `/v1/analytics/quota-excess?source=his&period=2024&by=doctor&department=${dept}`)).json();
    t.ok(
      doctors.rows.length > 0 && doctors.rows.every((r: { department: string; quota: number }) => r.department === dept && r.quota === quota),
      "doctors measured against their department's quota",
    );
    const xlsx = await call('GET', '/v1/analytics/quota-excess?source=his&period=2024&format=xlsx');
    t.equal(xlsx.statusCode, 200);
    t.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK', 'an XLSX workbook');

    const periods = (await call('GET', '/v1/analytics/periods?source=his&from=2024-01-01&to=2024-12-31&granularity=quarter&by=hospital')).json();
    t.same([...new Set(periods.rows.map((r: { period: string }) => r.period))], ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    const csv = await call('GET', '/v1/analytics/periods?source=his&from=2024-01-01&to=2024-12-31&granularity=year&format=csv');
    t.match(csv.body, /期间,编码,名称,科室,类别,人数,人次/);

    await app.trail.flush();
    const trail: Array<{ action: string; ref: string }> = await app.db('audit_log').where({ action: 'quotas.set' }).select('action', 'ref');
    t.equal(trail.length, 2, 'each change in the trail');
    t.equal(trail[0].ref, `${dept}/all/cost_per_visit/2024`);

    t.equal((await call('PUT', '/v1/quotas', 'dept', { department: dept, metric: 'cost_per_visit', period: '2024', amount: 1 })).statusCode, 403);
    const bad = await call('PUT', '/v1/quotas', 'office', { department: dept, metric: 'cost_per_visit', period: '2024-13', amount: 1 });
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().fields[0].field, 'period');
    const neg = await call('PUT', '/v1/quotas', 'office', { department: dept, metric: 'cost_per_visit', period: '2024', amount: -5 });
    t.equal(neg.json().fields[0].field, 'amount');
    const unknown = await call('GET', '/v1/analytics/periods?source=nope&from=2024-01-01&to=2024-12-31');
    t.equal(unknown.statusCode, 400);
    t.equal(unknown.json().fields[0].field, 'query.source');
    const reversed = await call('GET', '/v1/analytics/periods?source=his&from=2024-12-01&to=2024-01-01');
    t.equal(reversed.json().fields[0].field, 'query.to');
    t.equal((await call('GET', '/v1/quotas/proposal?source=his&department=NOPE&metric=cost_per_visit&period=2024')).json().fields[0].field, 'query.department');
  });
});
