/**
 * A row the database refuses (a NUL in a PostgreSQL text column) in the middle of a batch, on
 * the real PostgreSQL: the rest of the batch and every later row are written, the refused row
 * is quarantined with its error, and /health and /metrics count it (issue 10 #2). Lone
 * surrogates in audit fields verify on PostgreSQL (issue 10 #4).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import knexFactory from 'knex';
import { normalizeCheckData } from '@preaudit/core-rules';
import { genderViolation, PG_URL, testApp, uniqueName } from '../../test-support/helpers.js';
import { checkDeps, runCheck } from '../../checks/run-check.js';
import { verifyTrail } from '../../trail/verify.js';
import { connect } from './connect.js';

t.test('PostgreSQL: a poison row in the middle of a batch is quarantined; the queue goes on', async (t) => {
  const schema = uniqueName('poison');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-poison-'));
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const quarantineFile = path.join(dir, 'quarantine.jsonl');
  const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema, flushBatchSize: 16, flushIntervalMs: 60_000, quarantineFile });
  const normalized = normalizeCheckData(genderViolation().input.data);
  if (!normalized.ok) throw new Error('fixture');
  // Straight into the store, as a path that forgot to validate would: the writer must cope alone.
  for (let i = 0; i < 10; i++) {
    runCheck(checkDeps(app), normalized.value, {
      channel: 'nhsa',
      infno: '3101',
      msgid: i === 4 ? 'POISON\u0000-4' : `GOOD-${i}`,
      hospital: 'H33010000001',
      actor: 'anonymous',
      phase: '事前',
    });
  }
  app.trail.append({ actor: 'x', role: 'admin', route: '/r', action: 'test', ref: 'nul \u0000 and half \ud800 pair', outcome: 'ok' });
  await app.checkStore.flush();
  await app.trail.flush();
  const msgids = (await app.db('checks').orderBy('id').pluck('msgid')) as string[];
  t.same(
    msgids,
    [0, 1, 2, 3, 5, 6, 7, 8, 9].map((i) => `GOOD-${i}`),
    'every good row of the batch is written',
  );
  const lines = fs
    .readFileSync(quarantineFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(lines.length, 1);
  t.match(lines[0], { queue: 'checks', reason: 'poison', error: { code: '22021' }, row: { msgid: 'POISON\u0000-4' } });

  // The queue is not blocked: a later check through the HTTP door is written.
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation('LATER') });
  await app.checkStore.flush();
  t.equal(Number((await app.db('checks').where({ msgid: 'LATER' }).count({ n: '*' }))[0].n), 1);

  const health = (await app.inject({ method: 'GET', url: '/health' })).json();
  t.match(health, { status: 'degraded', storage: { quarantined: 1, quarantine_file: true } });
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /preaudit_store_quarantined_rows\{queue="checks",reason="poison"\} 1/);
  await app.close();

  const db = connect(PG_URL, schema);
  const audit = await verifyTrail(db);
  const ref = await db('audit_log').where({ action: 'test' }).first('ref');
  await db.destroy();
  t.ok(audit.ok, JSON.stringify(audit.problems));
  t.equal(ref.ref, 'nul \ufffd and half \ufffd pair', 'stored as hashed');
});

t.test('PostgreSQL: rows deleted from the end of the trail are reported at the next start and by verify (issue 10 #5)', async (t) => {
  const schema = uniqueName('trunc');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-trunc-'));
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const auditAnchorFile = path.join(dir, 'audit-head.json');
  const options = { databaseUrl: PG_URL, databaseSchema: schema, auditAnchorFile };
  const app = await testApp(options);
  for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation(`TR-${i}`) });
  await app.close();
  const last = Number((await admin.withSchema(schema).table('audit_log').max({ n: 'seq' }))[0].n);
  // Rows and the head row rewound together: only the anchor file still knows the real end.
  await admin
    .withSchema(schema)
    .table('audit_log')
    .where('seq', '>', last - 2)
    .delete();
  const kept = await admin
    .withSchema(schema)
    .table('audit_log')
    .where({ seq: last - 2 })
    .first('seq', 'hash');
  await admin.withSchema(schema).table('audit_head').update({ seq: kept.seq, hash: kept.hash });
  const again = await testApp(options);
  t.match(again.trail.integrity(), { ok: false, kind: 'truncated', lastRow: last - 2, anchor: last });
  t.equal((await again.inject({ method: 'GET', url: '/health' })).json().audit.truncated, true);
  await again.close();
  const db = connect(PG_URL, schema);
  const result = await verifyTrail(db, 5000, JSON.parse(fs.readFileSync(auditAnchorFile, 'utf8')));
  await db.destroy();
  t.notOk(result.ok);
  t.ok(
    result.problems.some((p) => p.kind === 'deleted' && p.message.includes(`rows ${last - 1}..${last} are missing`)),
    JSON.stringify(result.problems),
  );
});
