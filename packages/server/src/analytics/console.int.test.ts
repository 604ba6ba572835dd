/**
 * The console's analysis APIs against plain SQL over the raw tables, on SQLite and PostgreSQL:
 * seeded history (settled days, summed into analytics_day) plus today's checks (summed live),
 * late feedback making a summed day stale, rankings with the previous period, drill-down to the
 * orders, compliance with reasons, department scope, and bad input.
 */
import t from 'tap';
import knexFactory, { type Knex } from 'knex';
import type { FastifyInstance } from 'fastify';
import { PG_URL, example, testApp, uniqueName } from '../test-support/helpers.js';
import { seedRealtime } from './seed.js';
import { scopedDepartments } from './period.js';

const NOW = new Date('2025-04-01T12:00:00');
const iso = (day: string, end = false) => {
  const d = new Date(`${day}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
};

interface Target {
  name: string;
  open(): Promise<{ app: FastifyInstance; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    async open() {
      const clock = NOW;
      const app = await testApp({ now: () => clock });
      void clock;
      return { app, close: () => app.close() };
    },
  },
  {
    name: 'pg',
    async open() {
      const schema = uniqueName('analytics');
      const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema, now: () => NOW });
      return {
        app,
        async close() {
          await app.close();
          const admin = knexFactory({ client: 'pg', connection: PG_URL });
          await admin.raw('drop schema if exists ?? cascade', [schema]);
          await admin.destroy();
        },
      };
    },
  },
];

const n = (v: unknown) => Number(v ?? 0);
const cents = (v: unknown) => Math.round(n(v) * 100) / 100;

async function sqlTotals(db: Knex, from: string, to: string, dept?: string) {
  const f = db('findings').where('time', '>=', from).andWhere('time', '<', to);
  if (dept) f.andWhere('department', dept);
  const [{ c, v }] = await f.clone().count({ c: '*' }).sum({ v: 'vola_amt' });
  const fb = db('findings as f').join('feedback as fb', 'fb.jr_id', 'f.jr_id').where('f.time', '>=', from).andWhere('f.time', '<', to);
  if (dept) fb.andWhere('f.department', dept);
  const ways: Array<{ dspo_way: string; c: number }> = await fb.groupBy('fb.dspo_way').select('fb.dspo_way').count({ c: '*' });
  const ch = db('checks').where('time', '>=', from).andWhere('time', '<', to);
  if (dept) ch.andWhere('department', dept);
  const [{ k }] = await ch.count({ k: '*' });
  return {
    findings: n(c),
    vola_amt: cents(v),
    modified: n(ways.find((w) => w.dspo_way === '2')?.c),
    continued: n(ways.find((w) => w.dspo_way === '1')?.c),
    checks: n(k),
  };
}

for (const target of targets) {
  t.test(`console analyses on ${target.name}`, async (t) => {
    const { app, close } = await target.open();
    t.teardown(close);
    const db = app.db;
    await seedRealtime(db, { findings: 3000, from: '2025-03-01', days: 31, departments: 6, doctorsPerDepartment: 4, rules: 12 });
    // Today's checks, through the real door: summed live (the day has not ended).
    const checked = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: example('3101-outpatient-violations.json') });
    t.equal(checked.statusCode, 200, checked.body);
    await app.checkStore.flush();
    const get = async (url: string, status = 200) => {
      const res = await app.inject({ method: 'GET', url });
      t.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 300)}`);
      return res.json();
    };

    await t.test('overview totals equal plain SQL (summed days, then again from the summaries)', async (t) => {
      const expected = await sqlTotals(db, iso('2025-03-01'), iso('2025-03-31', true));
      for (const round of [1, 2]) {
        const o = await get('/v1/overview?from=2025-03-01&to=2025-03-31&top=3');
        t.equal(o.findings.findings, expected.findings, `findings (round ${round})`);
        t.equal(o.findings.vola_amt, expected.vola_amt, 'vola_amt');
        t.equal(o.findings.modified, expected.modified, 'modified');
        t.equal(o.findings.continued, expected.continued, 'continued');
        t.equal(o.findings.compliance_rate, Math.round((expected.modified / expected.findings) * 10_000) / 10_000);
        t.equal(o.checks.checks, expected.checks, 'checks');
        t.equal(o.trend.length, 31);
        t.equal(
          o.trend.reduce((s: number, d: { findings: number }) => s + d.findings, 0),
          expected.findings,
          'trend sums to the total',
        );
        t.equal(o.top_departments.length, 3);
        const [{ department, c }] = (await db('findings')
          .where('time', '>=', iso('2025-03-01'))
          .andWhere('time', '<', iso('2025-03-31', true))
          .groupBy('department')
          .select('department')
          .count({ c: '*' })
          .orderBy('c', 'desc')
          .limit(1)) as Array<{ department: string; c: number }>;
        t.same([o.top_departments[0].department, o.top_departments[0].findings], [department, n(c)], 'top department');
        t.ok(o.checks.latency.avg_ms > 0 && o.checks.latency.p95_ms !== undefined);
      }
      const days = await db('analytics_days').count({ c: '*' }).first();
      t.equal(n(days?.c), 31, 'the 31 settled days are stored as summaries');
    });

    await t.test('today is summed live; a period given as times sums its edges live', async (t) => {
      const o = await get('/v1/overview?from=2025-04-01&to=2025-04-01');
      const expected = await sqlTotals(db, iso('2025-04-01'), iso('2025-04-01', true));
      t.ok(expected.findings > 0, 'the check of today has findings');
      t.equal(o.findings.findings, expected.findings);
      t.equal(o.checks.checks, 1);
      const from = new Date('2025-03-03T10:30:00').toISOString();
      const to = new Date('2025-03-09T15:00:00').toISOString();
      const partial = await get(`/v1/overview?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      const exp = await sqlTotals(db, from, to);
      t.same([partial.findings.findings, partial.findings.vola_amt, partial.findings.modified, partial.checks.checks], [exp.findings, exp.vola_amt, exp.modified, exp.checks]);
    });

    await t.test('late feedback on a summed day makes it stale', async (t) => {
      const row = await db('findings as f').leftJoin('feedback as fb', 'fb.jr_id', 'f.jr_id').whereNull('fb.jr_id').andWhere('f.time', '<', iso('2025-03-10')).first('f.jr_id');
      await db('feedback').insert({ jr_id: row.jr_id, warn_type: '1', dspo_way: '2', time: NOW.toISOString(), channel: 'nhsa', known: true });
      const expected = await sqlTotals(db, iso('2025-03-01'), iso('2025-03-31', true));
      const o = await get('/v1/overview?from=2025-03-01&to=2025-03-31');
      t.equal(o.findings.modified, expected.modified);
    });

    await t.test('department and doctor rankings with the previous period', async (t) => {
      const r = await get('/v1/drilldown/departments?from=2025-03-16&to=2025-03-31&sort=vola_amt');
      t.same(r.previous, { from: iso('2025-02-28'), to: iso('2025-03-16') }, 'the 16 days before');
      for (const row of r.rows) {
        const now = await sqlTotals(db, iso('2025-03-16'), iso('2025-03-31', true), row.department);
        const prev = await sqlTotals(db, iso('2025-02-28'), iso('2025-03-16'), row.department);
        t.same([row.findings, row.vola_amt, row.checks], [now.findings, now.vola_amt, now.checks], `department ${row.department}`);
        t.same([row.previous.findings, row.previous.vola_amt], [prev.findings, prev.vola_amt]);
      }
      const amounts = r.rows.map((x: { vola_amt: number }) => x.vola_amt);
      t.same(
        amounts,
        [...amounts].sort((a: number, b: number) => b - a),
        'sorted by amount',
      );
      const dept = r.rows[0].department;
      const docs = await get(`/v1/drilldown/doctors?from=2025-03-16&to=2025-03-31&department=${dept}`);
      t.ok(docs.rows.length > 0 && docs.rows.every((d: { department: string }) => d.department === dept));
      t.equal(
        docs.rows.reduce((s: number, d: { findings: number }) => s + d.findings, 0),
        r.rows[0].findings,
        "the department's doctors sum to the department",
      );
      const doctor = docs.rows[0].doctor;
      const enc = await get(`/v1/drilldown/encounters?from=2025-03-16&to=2025-03-31&doctor=${doctor}&page_size=5`);
      const [{ c }] = await db('findings').where({ doctor }).andWhere('time', '>=', iso('2025-03-16')).andWhere('time', '<', iso('2025-03-31', true)).countDistinct({ c: 'check_id' });
      t.equal(enc.total, n(c));
      t.equal(enc.rows.length, Math.min(5, n(c)));
      t.ok(enc.rows[0].time >= enc.rows[enc.rows.length - 1].time, 'newest first');
      const detail = await get(`/v1/drilldown/checks/${enc.rows[0].check_id}`);
      t.equal(detail.findings.length, enc.rows[0].findings_count);
      await get('/v1/drilldown/checks/NOPE', 404);
      const csv = await app.inject({ method: 'GET', url: `/v1/drilldown/departments?from=2025-03-16&to=2025-03-31&format=csv` });
      t.match(csv.headers['content-type'], /text\/csv/);
      t.match(csv.body, /排名,科室编码,审核次数,提醒条数/);
    });

    await t.test('a real check drills down to its orders, the offending ones marked', async (t) => {
      const enc = await get(
        '/v1/drilldown/encounters?from=2025-04-01&to=2025-04-01&department=' +
          encodeURIComponent((await db('checks').where('time', '>=', iso('2025-04-01')).first('department')).department),
      );
      const detail = await get(`/v1/drilldown/checks/${enc.rows[0].check_id}`);
      t.ok(detail.orders.length > 0, 'orders from the stored request');
      t.ok(
        detail.orders.some((o: { flagged: boolean }) => o.flagged),
        'an offending order is marked',
      );
    });

    await t.test('compliance by department and rule, with reasons', async (t) => {
      const c = await get('/v1/compliance?from=2025-03-01&to=2025-03-31&by=department');
      const expected = await sqlTotals(db, iso('2025-03-01'), iso('2025-03-31', true));
      t.same([c.total.warnings, c.total.modified, c.total.continued], [expected.findings, expected.modified, expected.continued]);
      const top = c.rows[0];
      const reasons: Array<Record<string, unknown>> = await db('feedback as fb')
        .join('findings as f', 'f.jr_id', 'fb.jr_id')
        .where({ 'f.department': top.department, 'fb.dspo_way': '1' })
        .andWhere('f.time', '>=', iso('2025-03-01'))
        .andWhere('f.time', '<', iso('2025-03-31', true))
        .groupBy('fb.dspo_way_rea')
        .select({ r: 'fb.dspo_way_rea' })
        .count({ c: '*' })
        .orderBy([{ column: 'c', order: 'desc' }]);
      t.equal(top.reasons[0].count, n(reasons[0].c), 'the most given reason and its count');
      const byRule = await get('/v1/compliance?from=2025-03-01&to=2025-03-31&by=rule');
      t.equal(
        byRule.rows.reduce((s: number, r: { warnings: number }) => s + r.warnings, 0),
        expected.findings,
      );
      const page = await get(`/v1/compliance/reasons?from=2025-03-01&to=2025-03-31&department=${top.department}&page_size=10`);
      t.equal(page.total, top.modified + top.continued);
      t.equal(page.rows.length, 10);
    });

    await t.test('bad input names the field', async (t) => {
      t.equal((await get('/v1/overview?from=yesterday', 400)).fields[0].field, 'query.from');
      t.equal((await get('/v1/overview?from=2025-03-10&to=2025-03-01', 400)).fields[0].field, 'query.to');
      t.equal((await get('/v1/overview?from=2020-01-01&to=2025-03-01', 400)).fields[0].field, 'query.to');
      t.equal((await get('/v1/drilldown/departments?sort=name', 400)).fields[0].field, 'query.sort');
      t.equal((await get('/v1/drilldown/encounters', 400)).fields[0].field, 'query.department');
      t.equal((await get('/v1/drilldown/encounters?department=K001&page_size=1000', 400)).fields[0].field, 'query.page_size');
    });
  });
}

t.test('department scope: a department head sees only theirs', async (t) => {
  const head = { actor: 'u', role: 'department' as const, departments: ['K001', 'K002'] };
  t.same(scopedDepartments(head, undefined), ['K001', 'K002']);
  t.same(scopedDepartments(head, 'K002'), ['K002']);
  t.throws(() => scopedDepartments(head, 'K001,K003'), { code: 'PA_FORBIDDEN' });
  t.same(scopedDepartments({ actor: 'k', role: 'department' }, undefined), [], 'a department key without departments sees none');
  t.same(scopedDepartments({ actor: 'o', role: 'insurance-office' }, 'K003'), ['K003']);
  t.equal(scopedDepartments({ actor: 'o', role: 'insurance-office' }, undefined), undefined);

  const app = await testApp({ apiKeys: { office: 'insurance-office', dept: 'department', doc: 'doctor-station' } });
  t.teardown(() => app.close());
  await seedRealtime(app.db, { findings: 200, from: '2025-06-01', days: 5, departments: 3 });
  const get = (url: string, key: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const office = (await get('/v1/overview?from=2025-06-01&to=2025-06-05', 'office')).json();
  t.equal(office.findings.findings, 200);
  const dept = await get('/v1/overview?from=2025-06-01&to=2025-06-05', 'dept');
  t.equal(dept.statusCode, 200);
  t.equal(dept.json().findings.findings, 0, 'no departments assigned: nothing visible');
  t.equal((await get('/v1/drilldown/departments?department=K001', 'dept')).statusCode, 403);
  t.equal((await get('/v1/overview', 'doc')).statusCode, 403, 'the doctor station has no access');
});
