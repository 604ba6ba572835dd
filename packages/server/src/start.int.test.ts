/**
 * The built server as a process (dist/start.js, what `npm start` runs) on a SQLite file:
 * SIGTERM under load stores every answered check; SIGKILL under load leaves a database that
 * passes integrity_check and an audit chain that still verifies, and the service starts again on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { connect } from './platform/storage/connect.js';
import { verifyTrail } from './trail/verify.js';
import { example } from './test-support/helpers.js';
import { BUILT_START as START, startBuiltServer, type BuiltServer } from './test-support/built-server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-process-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

type Running = BuiltServer;

/** Starts dist/start.js on a database file and resolves once it listens. */
async function start(file: string, env: Record<string, string> = {}): Promise<Running> {
  t.ok(fs.existsSync(START), `built server at ${START} (run the build first)`);
  return startBuiltServer(dir, file, env);
}

/** Sends checks from `workers` loops until `stop()` says so; counts answered ones. */
function load(base: string, workers: number) {
  const body = JSON.stringify(example('3101-outpatient-violations.json'));
  const state = { ok: 0, failed: 0, stopped: false };
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!state.stopped) {
        try {
          const res = await fetch(`${base}/nhsa/3101`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          const reply: any = await res.json();
          if (res.status === 200 && reply.infcode === 0) state.ok++;
          else state.failed++;
        } catch {
          state.failed++;
          if (state.failed > 50) return;
        }
      }
    }),
  );
  return { state, done };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

t.test('without keys the process warns and listens on loopback only', async (t) => {
  const server = await start(path.join(dir, 'warn.sqlite'), { HOST: '0.0.0.0' });
  server.child.kill('SIGTERM');
  await server.exited;
  t.match(server.logs.join(''), /no API keys configured.*loopback 127\.0\.0\.1 only/);
});

t.test('SIGTERM under load: in-flight requests finish, every answered check is stored', async (t) => {
  const file = path.join(dir, 'term.sqlite');
  const server = await start(file);
  const { state, done } = load(server.base, 16);
  await until(() => state.ok >= 500);
  server.child.kill('SIGTERM');
  const exit = await server.exited;
  state.stopped = true;
  await done;
  t.equal(exit.code, 0, server.logs.join('').slice(-2000));
  const db = new Database(file, { readonly: true });
  const stored = (db.prepare('select count(*) as n from checks').get() as { n: number }).n;
  db.close();
  t.equal(stored, state.ok, `${state.ok} answered, ${stored} stored`);
  t.match(server.logs.join(''), /closing: finishing in-flight requests/);
});

t.test('SIGKILL under load never corrupts the database', async (t) => {
  const file = path.join(dir, 'kill.sqlite');
  const server = await start(file, { PA_SHUTDOWN_GRACE_MS: '10000' });
  const { state, done } = load(server.base, 32);
  await until(() => state.ok >= 800);
  server.child.kill('SIGKILL');
  const exit = await server.exited;
  state.stopped = true;
  await done;
  t.equal(exit.signal, 'SIGKILL');

  const db = new Database(file);
  t.equal((db.pragma('integrity_check') as Array<{ integrity_check: string }>)[0].integrity_check, 'ok');
  const stored = (db.prepare('select count(*) as n from checks').get() as { n: number }).n;
  const orphans = (db.prepare('select count(*) as n from findings f where not exists (select 1 from checks c where c.check_id = f.check_id)').get() as { n: number }).n;
  db.close();
  t.ok(stored > 0 && stored <= state.ok, `${stored} of ${state.ok} answered checks were written before the kill`);
  t.equal(orphans, 0, 'checks and their findings are written together');

  const knex = connect(file);
  const audit = await verifyTrail(knex);
  await knex.destroy();
  t.ok(audit.ok, `audit chain intact after the kill: ${JSON.stringify(audit.problems)}`);

  const again = await start(file);
  const res = await fetch(`${again.base}/health`);
  t.equal(res.status, 200);
  const reply: any = await (
    await fetch(`${again.base}/nhsa/3101`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(example('3102-inpatient-stay.json')) })
  ).json();
  t.equal(reply.infcode, -1, '3102 envelope on the 3101 route is refused');
  again.child.kill('SIGTERM');
  t.equal((await again.exited).code, 0);
  const knex2 = connect(file);
  t.ok((await verifyTrail(knex2)).ok, 'the chain continues after the restart');
  await knex2.destroy();
});
