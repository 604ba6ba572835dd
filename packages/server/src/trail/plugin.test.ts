import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { genderViolation, testApp } from '../test-support/helpers.js';
import { verifyCommand } from './cli.js';
import { buildProgram } from '../cli/main.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-audit-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database file with a few logged calls, the app closed. */
async function loggedDatabase(name: string): Promise<string> {
  const file = path.join(dir, `${name}.sqlite`);
  const app = await testApp({ databaseUrl: file });
  for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation(`M${i}`) });
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: '{', headers: { 'content-type': 'application/json' } });
  app.auditLog.append({ actor: 'bureau#1', role: 'bureau', route: 'rulebook', action: 'rulebook.activate', ref: 'nhsa-liangku@2025.8.0', outcome: 'ok' });
  await app.close();
  return file;
}

async function verify(file: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await verifyCommand({ databaseUrl: file }, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

t.test('every call is logged with who, route, reference and outcome, chained', async (t) => {
  const file = await loggedDatabase('calls');
  const db = new Database(file, { readonly: true });
  const all = db.prepare('select * from audit_log order by seq').all() as any[];
  db.close();
  // Start-up may log entries of its own (rulebook load); the calls are ours.
  const rows = all.filter((r) => r.route === '/nhsa/3101');
  t.equal(rows.length, 6);
  t.match(rows[0], { actor: 'anonymous', role: 'none', route: '/nhsa/3101', action: 'check.3101', ref: 'M0 T-GENDER', outcome: 'ok' });
  t.match(JSON.parse(rows[0].detail), { status: 200, infno: '3101', findings: 1 });
  t.equal(rows[5].outcome, 'PA_BAD_JSON');
  t.equal(all.at(-1).action, 'rulebook.activate');
  for (let i = 1; i < all.length; i++) {
    t.equal(Number(all[i].seq), i + 1);
    t.equal(all[i].prev_hash, all[i - 1].hash);
  }
  const ok = await verify(file);
  t.equal(ok.code, 0);
  t.match(ok.out, `audit log intact: ${all.length} rows`);
});

t.test('the chain continues across restarts', async (t) => {
  const file = await loggedDatabase('restart');
  const app = await testApp({ databaseUrl: file });
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation('AFTER') });
  await app.close();
  const res = await verify(file);
  t.equal(res.code, 0, res.out);
  const db = new Database(file, { readonly: true });
  t.equal((db.prepare("select count(*) n from audit_log where ref = 'AFTER T-GENDER'").get() as any).n, 1);
  db.close();
});

t.test('an altered row is found', async (t) => {
  const file = await loggedDatabase('altered');
  const db = new Database(file);
  const seq = (db.prepare("select seq from audit_log where outcome = 'PA_BAD_JSON'").get() as any).seq;
  db.prepare("update audit_log set outcome = 'ok' where seq = ?").run(seq);
  db.close();
  const res = await verify(file);
  t.equal(res.code, 1);
  t.match(res.out, `seq ${seq}: altered`);
});

t.test('a deleted row is found', async (t) => {
  const file = await loggedDatabase('deleted');
  const db = new Database(file);
  const seq = (db.prepare("select seq from audit_log where ref = 'M2 T-GENDER'").get() as any).seq;
  db.prepare('delete from audit_log where seq = ?').run(seq);
  db.close();
  const res = await verify(file);
  t.equal(res.code, 1);
  t.match(res.out, `seq ${seq + 1}: deleted`);
});

t.test('rows deleted from the end are found', async (t) => {
  const file = await loggedDatabase('truncated');
  const db = new Database(file);
  db.prepare('delete from audit_log where seq > (select max(seq) - 2 from audit_log)').run();
  db.close();
  const res = await verify(file);
  t.equal(res.code, 1);
  t.match(res.out, 'truncated');
});

t.test('`preaudit audit-log verify` is wired into the CLI', async (t) => {
  const file = await loggedDatabase('cli');
  const program = await buildProgram();
  program.exitOverride();
  const logs: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void logs.push(a.join(' '));
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'preaudit', 'audit-log', 'verify', '--database-url', file]);
  } finally {
    console.log = log;
  }
  t.equal(process.exitCode ?? 0, 0);
  process.exitCode = before;
  t.match(logs.join('\n'), 'audit log intact');
});

t.test('an unreadable database exits 2', async (t) => {
  const res = await verify(path.join(dir, 'missing', 'nothing.sqlite'));
  t.equal(res.code, 2);
});

t.test('a lone UTF-16 surrogate in msgid does not make its row look altered (SQLite)', async (t) => {
  const file = path.join(dir, 'surrogate.sqlite');
  const app = await testApp({ databaseUrl: file });
  // JSON escapes can carry half a surrogate pair, which UTF-8 storage cannot hold.
  const body = JSON.stringify(genderViolation('MSG-X')).replace('"MSG-X"', '"A\\ud800B"');
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: body, headers: { 'content-type': 'application/json' } });
  app.auditLog.append({ actor: 'x', role: 'admin', route: '/r', action: 'test', ref: 'half \udc00 pair', outcome: 'ok' });
  await app.close();
  const res = await verify(file);
  t.equal(res.code, 0, res.out);
  const db = new Database(file, { readonly: true });
  const refs = (db.prepare('select ref from audit_log').all() as any[]).map((r) => r.ref);
  db.close();
  t.ok(refs.includes('half \ufffd pair'), 'stored (and hashed) with U+FFFD in place of the lone surrogate');
});

t.test('rows deleted from the end are not erased by the next start: start and verify report the truncation', async (t) => {
  const file = await loggedDatabase('truncated-restart');
  const db = new Database(file);
  const last = (db.prepare('select max(seq) n from audit_log').get() as any).n;
  db.prepare('delete from audit_log where seq > ?').run(last - 2);
  db.close();
  const app = await testApp({ databaseUrl: file });
  t.match(app.auditLog.integrity(), { ok: false, kind: 'truncated' });
  const health = (await app.inject({ method: 'GET', url: '/health' })).json();
  t.equal(health.status, 'degraded');
  t.match(health.audit, { truncated: true });
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation('AFTER-TRUNC') });
  await app.close();
  const res = await verify(file);
  t.equal(res.code, 1, res.out);
  t.match(res.out, `rows ${last - 1}..${last} are missing`);
  const again = new Database(file, { readonly: true });
  const flagged = again.prepare("select * from audit_log where action = 'audit.truncated'").all() as any[];
  again.close();
  t.equal(flagged.length, 1, 'the start-up recorded the truncation in the trail');
});

t.test('rows and the head row rewound together are caught by the anchor file', async (t) => {
  const file = await loggedDatabase('rewound');
  t.ok(fs.existsSync(path.join(dir, 'rewound.audit-head.json')), 'anchor written beside the database');
  const db = new Database(file);
  const last = (db.prepare('select max(seq) n from audit_log').get() as any).n;
  db.prepare('delete from audit_log where seq > ?').run(last - 2);
  const kept = db.prepare('select seq, hash from audit_log where seq = ?').get(last - 2) as any;
  db.prepare('update audit_head set seq = ?, hash = ?').run(kept.seq, kept.hash);
  db.close();
  const res = await verify(file);
  t.equal(res.code, 1, res.out);
  t.match(res.out, 'truncated');
  const app = await testApp({ databaseUrl: file });
  t.match(app.auditLog.integrity(), { ok: false, kind: 'truncated' });
  await app.close();
});
