/**
 * Batch audit jobs through the HTTP API, over a generated hospital (SQLite HIS views), with the
 * service's own storage on SQLite, on the local PostgreSQL (its own schema, dropped after) and
 * on the local MariaDB (its own database, dropped after).
 */
import t from 'tap';
import knexFactory from 'knex';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { auditPages, DbSource, type DbSourceConfig } from '@preaudit/his-adapter';
import { withHospital, inSchema } from '@preaudit/his-fixtures/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv } from '../server.js';
import { dropMysqlDatabase, nationalRulebook, testApp, uniqueName, MYSQL_URL, NATIONAL_VERSION, PG_URL } from '../test-support/helpers.js';

type Job = Record<string, any>;

async function waitDone(app: FastifyInstance, id: string): Promise<Job> {
  await app.auditJobs.runner.settled(id);
  const res = await app.inject({ method: 'GET', url: `/v1/audit-jobs/${id}` });
  return res.json();
}

async function startJob(app: FastifyInstance, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Job> {
  const res = await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: body, headers });
  if (res.statusCode !== 202) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

const STORAGES = [
  { name: 'sqlite', url: ':memory:' as string | undefined, schema: undefined as string | undefined },
  { name: 'pg', url: PG_URL, schema: uniqueName('jobs') },
  { name: 'mysql', url: MYSQL_URL, schema: uniqueName('jobs') },
];

t.test('audit jobs over a generated hospital', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 2500, seed: 21 }, async (his) => {
    const { from, to } = his.summary;

    // What a direct run of the adapter finds: the job must store exactly this.
    const direct = new Set<string>();
    const src = await DbSource.open(his.config);
    for await (const p of auditPages({ source: src, rulebooks: { active: nationalRulebook() }, phase: '事后', scope: { dateColumn: 'dscg_date', from, to }, idPrefix: '' })) {
      for (const f of p.findings) direct.add(`${f.jr_id}|${f.rule_id}|${f.rx_id}`);
    }
    const expectedTotal = await src.count({ from, to });
    await src.close();
    t.ok(direct.size > 10, `the hospital has findings (${direct.size})`);

    for (const storage of STORAGES) {
      await t.test(`storage on ${storage.name}`, async (t) => {
        const broken: DbSourceConfig = { ...his.config, views: { orders: { columns: { hilist_code: 'YBBM', cnt: 'SHULIANG' } } } };
        const app = await testApp({
          databaseUrl: storage.url,
          databaseSchema: storage.schema,
          auditJobs: { sources: { his: his.config, broken }, pageSize: 20 },
        });
        t.teardown(async () => {
          await app.close();
          if (storage.name === 'mysql') await dropMysqlDatabase(storage.schema!);
          if (storage.name === 'pg') {
            const k = knexFactory({ client: 'pg', connection: PG_URL });
            await k.raw('drop schema if exists ?? cascade', [storage.schema!]);
            await k.destroy();
          }
        });

        const created = await startJob(app, { source: 'his', phase: '事后', from, to });
        t.match(created, { source: 'his', phase: '事后', from, to, total: expectedTotal });
        t.ok(['queued', 'running'].includes(created.state));
        const job = await waitDone(app, created.id);
        t.match(job, { state: 'done', processed: expectedTotal, total: expectedTotal, progress: 1, findings: direct.size, eta_seconds: 0 });
        t.same(job.rulebooks, [`nhsa-liangku@${NATIONAL_VERSION}`]);
        t.ok(job.orders > 2000);

        // Findings: what the adapter finds, each once; paging and filters.
        const stored = new Set<string>();
        for (let offset = 0; ; offset += 200) {
          const page = (await app.inject({ url: `/v1/audit-jobs/${job.id}/findings?limit=200&offset=${offset}` })).json();
          t.equal(page.total, direct.size);
          for (const f of page.items) stored.add(`${f.jr_id.slice(job.id.length + 1)}|${f.rule_id}|${f.rx_id}`);
          if (page.items.length < 200) break;
        }
        t.same([...stored].sort(), [...direct].sort(), "stored findings = the adapter's findings");
        const first = (await app.inject({ url: `/v1/audit-jobs/${job.id}/findings?limit=1` })).json().items[0];
        t.match(first.patn_id, /\*/, 'patient ids are masked in storage');
        t.ok(first.judge_result_detail_dtos.length > 0);
        const rule = first.rule_id;
        const byRule = (await app.inject({ url: `/v1/audit-jobs/${job.id}/findings?rule_id=${rule}&limit=1000` })).json();
        t.ok(byRule.items.every((f: Job) => f.rule_id === rule));
        t.equal(byRule.total, [...direct].filter((d) => d.split('|')[1] === rule).length);
        const dept = (await app.inject({ url: `/v1/audit-jobs/${job.id}/findings?dept_codg=${first.dept_codg}&sev_deg=${first.sev_deg}` })).json();
        t.ok(dept.items.every((f: Job) => f.dept_codg === first.dept_codg && f.sev_deg === first.sev_deg));

        // Reports.
        const depts = (await app.inject({ url: `/v1/reports/departments?job_id=${job.id}` })).json();
        t.equal(depts.summary.findings, direct.size);
        t.equal(
          depts.rows.reduce((n: number, r: Job) => n + r.findings, 0),
          direct.size,
        );
        t.equal(
          depts.rows.reduce((n: number, r: Job) => n + r.orders, 0),
          job.orders,
          'every order line is counted under a department',
        );
        const csv = await app.inject({ url: `/v1/reports/rules?job_id=${job.id}&format=csv` });
        t.match(csv.headers['content-type'], /text\/csv/);
        t.ok(csv.body.startsWith('\uFEFF规则编码,规则名称,严重程度,违规条数'));
        const doctors = await app.inject({ url: `/v1/reports/doctors?job_id=${job.id}&format=xlsx` });
        t.equal(doctors.rawPayload.subarray(0, 2).toString(), 'PK');
        const full = await app.inject({ url: `/v1/reports/audit?job_id=${job.id}&format=xlsx` });
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(full.rawPayload as never);
        t.same(
          wb.worksheets.map((w) => w.name),
          ['汇总', '按科室', '按医生', '按规则', '未对照编码', '违规明细'],
        );
        t.equal(wb.getWorksheet('违规明细')!.rowCount, direct.size + 1);
        const unmapped = (await app.inject({ url: `/v1/reports/unmapped?job_id=${job.id}` })).json();
        t.equal(
          unmapped.rows.reduce((n: number, r: Job) => n + r.count, 0),
          job.unmapped_orders,
        );

        // Two jobs on the same period at once: each complete, neither touching the other.
        const [a, b] = await Promise.all([
          startJob(app, { source: 'his', phase: '事后', from, to, page_size: 7 }),
          startJob(app, { source: 'his', phase: '事后', from, to, page_size: 13 }),
        ]);
        const [da, db] = await Promise.all([waitDone(app, a.id), waitDone(app, b.id)]);
        t.match(da, { state: 'done', findings: direct.size, processed: expectedTotal });
        t.match(db, { state: 'done', findings: direct.size, processed: expectedTotal });
        const ra = (await app.inject({ url: `/v1/reports/rules?job_id=${a.id}` })).json();
        const rb = (await app.inject({ url: `/v1/reports/rules?job_id=${b.id}` })).json();
        t.same(ra.rows, rb.rows, 'same report whatever the page size');
        t.same(ra.summary, depts.summary);

        // Listing.
        const list = (await app.inject({ url: '/v1/audit-jobs?source=his&limit=2' })).json();
        t.equal(list.total, 3);
        t.equal(list.items.length, 2);
      });
    }
  });
});

t.test('bad requests name the field', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 300, seed: 22 }, async (his) => {
    const broken: DbSourceConfig = { ...his.config, views: { orders: { columns: { hilist_code: 'YBBM', cnt: 'SHULIANG' } } } };
    const app = await testApp({ auditJobs: { sources: { his: his.config, broken } } });
    t.teardown(() => app.close());
    const post = (body: object) => app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: body });
    let res = await post({ source: 'nope', phase: '事后', from: '2025-01-01', to: '2025-01-31' });
    t.equal(res.statusCode, 400);
    t.same(
      res.json().fields.map((f: Job) => f.field),
      ['source'],
    );
    res = await post({ source: 'his', phase: '事后', from: '2025-01-01' });
    t.same(
      res.json().fields.map((f: Job) => f.field),
      ['to'],
    );
    res = await post({ source: 'his', phase: '事前', from: '2025-01-01', to: '2025-01-02' });
    t.equal(res.statusCode, 400, 'schema refuses other phases');
    const fields = async (body: object) => {
      const r = await post(body);
      t.equal(r.statusCode, 400);
      return r
        .json()
        .fields.map((f: { field: string; message: string }) => `${f.field}: ${f.message}`)
        .sort();
    };
    t.same(
      await fields({ source: 'his', phase: '事后', from: '2025-1-1', to: '2025-02-30' }),
      ['from: 日期格式应为 yyyy-MM-dd', 'to: 日期格式应为 yyyy-MM-dd'],
      'dates are real yyyy-MM-dd days',
    );
    t.same(await fields({ source: 'his', phase: '事后', from: '2025-02-01', to: '2025-01-31' }), ['to: 不应早于 from']);
    t.same(await fields({ source: 'his', phase: '事后', from: '2025-01-01', to: '2025-01-31', incremental: true }), ['incremental: 取值应为 false'], 'only 事中 reads incrementally');
    t.same(await fields({ source: 'his', phase: '事中' }), ['from: 缺少必填字段', 'to: 缺少必填字段'], '事中 needs a period or incremental: true');
    t.equal((await post({ source: 'nope', phase: '事中', incremental: true })).json().fields[0].field, 'source', '事中 incremental needs no period');
    res = await post({ source: 'broken', phase: '事后', from: '2025-01-01', to: '2025-01-31' });
    t.equal(res.statusCode, 400);
    t.same(
      res
        .json()
        .fields.map((f: Job) => f.field)
        .sort(),
      ['source.views.orders.columns.cnt', 'source.views.orders.columns.hilist_code'],
      'a bad mapping is reported column by column',
    );
    t.equal((await app.inject({ url: '/v1/audit-jobs/AJ404' })).statusCode, 404);
    t.equal((await app.inject({ url: '/v1/reports/rules?job_id=AJ404' })).statusCode, 404);
    t.same((await app.inject({ url: '/v1/audit-jobs/sources' })).json(), { sources: ['broken', 'his'] });
  });
});

t.test('PA_AUDIT_SOURCES: a folder of mapping files, one source each', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 300, seed: 24 }, async (his) => {
    const dir = mkdtempSync(join(tmpdir(), 'pa-sources-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = (his.config.connection as { filename: string }).filename;
    writeFileSync(join(dir, 'zhuyuan.yaml'), `client: sqlite\nconnection: { filename: '\${HIS_DB}' }\n`);
    writeFileSync(join(dir, 'README.txt'), 'not a source');
    const env = configFromEnv({ PA_AUDIT_SOURCES: dir, HIS_DB: file });
    const app = await testApp({ auditJobs: env.app.auditJobs });
    t.teardown(() => app.close());
    t.same((await app.inject({ url: '/v1/audit-jobs/sources' })).json(), { sources: ['zhuyuan'] });
    const job = await waitDone(app, (await startJob(app, { source: 'zhuyuan', phase: '事后', from: his.summary.from, to: his.summary.to })).id);
    t.equal(job.state, 'done');
    t.ok(job.processed > 0);
  });
});

t.test('a running job can be cancelled; it stops at the next page', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 1500, seed: 25 }, async (his) => {
    // The hook runs after testApp has returned, when app is set.
    const app: FastifyInstance = await testApp({
      auditJobs: {
        sources: { his: his.config },
        pageSize: 3,
        hooks: {
          async onPage(id, page) {
            if (page === 2) t.equal((await app.inject({ method: 'POST', url: `/v1/audit-jobs/${id}/cancel` })).json().state, 'cancelled');
          },
        },
      },
    });
    t.teardown(() => app.close());
    const job = await waitDone(app, (await startJob(app, { source: 'his', phase: '事后', from: his.summary.from, to: his.summary.to })).id);
    t.equal(job.state, 'cancelled');
    t.ok(job.processed < job.total, `stopped early (${job.processed} of ${job.total})`);
  });
});

t.test('only the insurance office (and admin) run audits', async (t) => {
  const app = await testApp({ apiKeys: { doc: 'doctor-station', office: 'insurance-office' }, auditJobs: { sources: {} } });
  t.teardown(() => app.close());
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  t.equal((await app.inject({ url: '/v1/audit-jobs', headers: as('doc') })).statusCode, 403);
  t.equal((await app.inject({ url: '/v1/audit-jobs', headers: as('office') })).statusCode, 200);
  t.equal((await app.inject({ url: '/v1/reports/departments?job_id=x', headers: as('doc') })).statusCode, 403);
});

t.test('事中 incremental: only encounters changed since the last run', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 800, seed: 23 }, async (his) => {
    const app = await testApp({ auditJobs: { sources: { his: his.config } } });
    t.teardown(() => app.close());
    const all = Number((await inSchema(his, 'his_encounter').count({ n: '*' }))[0].n);
    const first = await waitDone(app, (await startJob(app, { source: 'his', phase: '事中', incremental: true, scenes: ['9'] })).id);
    t.match(first, { state: 'done', processed: all, changed_after: null, scenes: ['9'] });
    t.ok(first.changed_up_to);

    const nothing = await waitDone(app, (await startJob(app, { source: 'his', phase: '事中', incremental: true })).id);
    t.match(nothing, { state: 'done', total: 0, processed: 0, changed_after: first.changed_up_to });

    // The HIS changes three encounters (new orders billed, say).
    const ids = (await inSchema(his, 'his_encounter').orderBy('mdtrt_id').limit(3).select('mdtrt_id')).map((r: Job) => r.mdtrt_id);
    await inSchema(his, 'his_encounter').whereIn('mdtrt_id', ids).update({ updt_time: '2025-12-31 10:00:00' });
    const third = await waitDone(app, (await startJob(app, { source: 'his', phase: '事中', incremental: true })).id);
    t.match(third, { state: 'done', total: 3, processed: 3, changed_after: first.changed_up_to, changed_up_to: '2025-12-31 10:00:00' });
    t.equal((await app.inject({ method: 'POST', url: `/v1/audit-jobs/${third.id}/cancel` })).statusCode, 400, 'a finished job cannot be cancelled');
  });
});
