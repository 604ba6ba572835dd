/**
 * Storage on the three engines the service supports: a SQLite file, the local PostgreSQL (in a
 * schema created for this run and dropped after) and the local MariaDB (in a database created
 * for this run and dropped after). Same migrations, same behaviour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { dropMysqlDatabase, example, genderViolation, MYSQL_URL, PG_URL, testApp, uniqueName } from '../../test-support/helpers.js';
import { verifyAuditLog } from '../../trail/verify.js';
import { connect, parseDatabaseUrl } from './connect.js';

t.test('database URLs select the engine', async (t) => {
  t.same(parseDatabaseUrl('postgres://u@h/db'), { dialect: 'pg', connection: 'postgres://u@h/db' });
  t.same(parseDatabaseUrl('postgresql://u@h/db'), { dialect: 'pg', connection: 'postgresql://u@h/db' });
  t.same(parseDatabaseUrl('sqlite:data/x.sqlite'), { dialect: 'sqlite', connection: 'data/x.sqlite' });
  t.same(parseDatabaseUrl('sqlite:///tmp/x.sqlite'), { dialect: 'sqlite', connection: '/tmp/x.sqlite' });
  t.same(parseDatabaseUrl('./x.sqlite'), { dialect: 'sqlite', connection: './x.sqlite' });
  t.same(parseDatabaseUrl(':memory:'), { dialect: 'sqlite', connection: ':memory:' });
  t.same(parseDatabaseUrl('C:\\data\\x.sqlite'), { dialect: 'sqlite', connection: 'C:\\data\\x.sqlite' }, 'a Windows drive is no scheme');
  t.same(parseDatabaseUrl('mysql://root@127.0.0.1:3306/x'), { dialect: 'mysql', connection: 'mysql://root@127.0.0.1:3306/x' });
  t.same(parseDatabaseUrl('mariadb://root@127.0.0.1/x'), { dialect: 'mysql', connection: 'mysql://root@127.0.0.1/x' });
});

t.test('an unknown scheme is refused, naming the scheme and not the password', async (t) => {
  t.throws(() => parseDatabaseUrl('foo://u:secret@h/db'), { message: 'unsupported scheme "foo:" (expected postgres://, mysql://, sqlite: or a file path)' });
  t.throws(() => parseDatabaseUrl('mysql:/root@127.0.0.1/x'), /unsupported scheme "mysql:"/, 'mysql: without // is not a file name');
  await t.rejects(testApp({ databaseUrl: 'mssql://sa:secret@h/db' }), { message: /^databaseUrl: unsupported scheme "mssql:"/ });
});

async function exercise(t: Test, open: () => Promise<FastifyInstance>): Promise<void> {
  const app = await open();
  const results: any[] = [];
  for (let i = 0; i < 120; i++) {
    const req = i % 2 === 0 ? example('3101-outpatient-violations.json') : genderViolation(`INT-${i}`);
    req.msgid = `INT-${i}`;
    const body = (await app.inject({ method: 'POST', url: '/nhsa/3101', payload: req })).json();
    t.equal(body.infcode, 0);
    results.push(...body.output.result);
  }
  const fb = example('3103-feedback.json');
  fb.input.data.warns = [
    { warn_rslt_id: results[0].jr_id, dspo_way: '1', dspo_way_rea: '病情需要' },
    { warn_rslt_id: results[1].jr_id, dspo_way: '2' },
  ];
  t.equal((await app.inject({ method: 'POST', url: '/nhsa/3103', payload: fb })).json().infcode, 0);
  const report = (await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2025-06-01&to=2025-06-30' })).json();
  t.equal(report.total.warnings, results.length);
  t.equal(report.total.continued + report.total.modified, 2);
  await app.close();

  // Reopen: migrations are idempotent, every record is there, the audit chain verifies.
  const again = await open();
  t.equal(Number((await again.db('checks').count({ n: '*' }))[0].n), 120);
  t.equal(Number((await again.db('findings').count({ n: '*' }))[0].n), results.length);
  const stored = await again.db('checks').where({ msgid: 'INT-1' }).first();
  t.equal(stored.patient, '33**************28');
  t.equal(JSON.parse(stored.request).patient_dtos[0].patn_name, undefined, 'stored request has no name');
  t.type(Number(stored.ana_dura), 'number');
  const audit = await verifyAuditLog(again.db);
  t.ok(audit.ok, JSON.stringify(audit.problems));
  t.ok(audit.rows >= 123);
  await again.close();
}

t.test('SQLite file', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-int-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'nested', 'preaudit.sqlite');
  await exercise(t, () => testApp({ databaseUrl: `sqlite:${file}`, flushBatchSize: 25 }));
  const db = connect(file);
  const mode = await db.raw('pragma journal_mode');
  t.equal(mode[0].journal_mode, 'wal');
  await db.destroy();
});

t.test('PostgreSQL', async (t) => {
  const schema = uniqueName('storage');
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
  });
  await exercise(t, () => testApp({ databaseUrl: PG_URL, databaseSchema: schema, flushBatchSize: 25 }));
  const tables = await admin('information_schema.tables').where({ table_schema: schema }).pluck('table_name');
  for (const table of ['checks', 'findings', 'feedback', 'audit_log', 'audit_head']) t.ok(tables.includes(table), `${table} in ${schema}`);
  const publicChecks = await admin('information_schema.tables').where({ table_schema: 'public', table_name: 'checks' });
  t.equal(publicChecks.length, 0, 'nothing written outside the schema');
});

t.test('MariaDB / MySQL', async (t) => {
  const database = uniqueName('storage');
  t.teardown(() => dropMysqlDatabase(database));
  await exercise(t, () => testApp({ databaseUrl: MYSQL_URL, databaseSchema: database, flushBatchSize: 25 }));
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL, pool: { min: 0, max: 1 } });
  t.teardown(() => admin.destroy());
  const tables = await admin('information_schema.tables').where({ table_schema: database }).select('table_name as name', 'table_collation as collation');
  for (const table of ['checks', 'findings', 'feedback', 'audit_log', 'audit_head', 'rulebook_versions', 'audit_jobs', 'audit_findings']) {
    const found = tables.find((r: { name: string }) => r.name === table);
    t.equal(found?.collation, 'utf8mb4_bin', `${table} in ${database}, keys compared exactly`);
  }
  // Strict whatever the server's default: a value too long for its column fails, never truncated.
  const strict = connect(MYSQL_URL, database);
  t.teardown(() => strict.destroy());
  const [[mode]] = await strict.raw('select @@session.sql_mode as mode');
  t.match(mode.mode, /STRICT_ALL_TABLES/);
  await t.rejects(strict('feedback').insert({ jr_id: 'x'.repeat(81), dspo_way: '1', time: '2025-06-15T00:00:00.000Z' }), /too long/i);
  // A request beyond MySQL's 64 KB TEXT is stored whole (longtext).
  const app = await testApp({ databaseUrl: MYSQL_URL, databaseSchema: database });
  const big = genderViolation('MY-BIG');
  const orders = big.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos;
  for (let i = 1; i < 300; i++) orders.push({ ...orders[0], rx_id: `R${i}`, hilist_name: `阿帕他胺片 ${'x'.repeat(200)}` });
  t.equal((await app.inject({ method: 'POST', url: '/nhsa/3101', payload: big })).json().infcode, 0);
  await app.checkStore.flush();
  const row = await app.db('checks').where({ msgid: 'MY-BIG' }).first('request');
  t.ok(row.request.length > 65_535, `stored request of ${row.request.length} characters`);
  t.equal(JSON.parse(row.request).patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos.length, 300);
  await app.close();
});

t.test('MariaDB / MySQL: a tampered audit row is found', async (t) => {
  const database = uniqueName('audit');
  t.teardown(() => dropMysqlDatabase(database));
  const app = await testApp({ databaseUrl: MYSQL_URL, databaseSchema: database });
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation(`MY-${i}`) });
  await app.close();
  const db = connect(MYSQL_URL, database);
  await db('audit_log').where({ ref: 'MY-1 T-GENDER' }).update({ actor: 'someone-else' });
  const result = await verifyAuditLog(db);
  await db.destroy();
  t.notOk(result.ok);
  t.equal(result.problems[0].kind, 'altered');
});

t.test('PostgreSQL: a tampered audit row is found', async (t) => {
  const schema = uniqueName('audit');
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
  });
  const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema });
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation(`PG-${i}`) });
  await app.close();
  await admin.withSchema(schema).table('audit_log').where({ ref: 'PG-1 T-GENDER' }).update({ actor: 'someone-else' });
  const db = connect(PG_URL, schema);
  const result = await verifyAuditLog(db);
  await db.destroy();
  t.notOk(result.ok);
  t.equal(result.problems[0].kind, 'altered');
});

t.test('SQLite file: requests stored by the writer thread are normalised and de-identified, whatever the door', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-int-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const app = await testApp({ databaseUrl: path.join(dir, 'doors.sqlite') });
  t.ok(app.storageWriter, 'a writer thread serves the file');
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: example('3660-legacy-camelcase.json') });
  const gbk = genderViolation('DOOR-GBK');
  const iconv = (await import('iconv-lite')).default;
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: iconv.encode(JSON.stringify(gbk), 'gbk'), headers: { 'content-type': 'application/json; charset=GBK' } });
  await app.inject({ method: 'POST', url: '/v1/check', payload: example('check-data-child-outpatient.json') });
  await app.checkStore.flush();
  const rows = await app.db('checks').orderBy('id').select('channel', 'msgid', 'patient', 'findings', 'request', 'task_id');
  t.equal(rows.length, 3);
  const legacy = JSON.parse(rows[0].request);
  t.equal(legacy.patient_dtos[0].patn_id, 'P3*********89', 'camelCase request stored normalised, id masked');
  t.equal(rows[0].task_id, 'TASK-3660-0001');
  t.equal(JSON.parse(rows[0].findings)[0].rule_id, 'GZ10000301004000');
  const fromGbk = JSON.parse(rows[1].request);
  t.equal(fromGbk.patient_dtos[0].patn_id, '33**************28');
  t.equal(fromGbk.patient_dtos[0].patn_name, undefined);
  t.equal(rows[2].channel, 'v1');
  t.equal(JSON.parse(rows[2].request).patient_dtos[0].patn_id, 'P3*********00');
  await app.close();
});
