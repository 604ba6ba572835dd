/**
 * Nothing is lost on a graceful close: records pending in the write-behind queue are written
 * before storage closes, including under load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { genderViolation, testApp } from './test-support/helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-shutdown-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

function count(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  const n = (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  db.close();
  return n;
}

t.test('N checks answered, then close: N rows, though none was flushed before', async (t) => {
  const file = path.join(dir, 'n.sqlite');
  // Batches larger than the load and an interval longer than the test: only close() can write them.
  const app = await testApp({ databaseUrl: file, flushBatchSize: 100_000, flushIntervalMs: 600_000 });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const N = 400;
  const replies = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      fetch(`${base}/nhsa/3101`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(genderViolation(`N-${i}`)) }).then((r) => r.json()),
    ),
  );
  t.equal(replies.filter((r: any) => r.infcode === 0).length, N);
  t.equal(app.checkStore.stats().pending, N, 'all pending before close');
  await app.close();
  t.equal(count(file, 'checks'), N);
  t.equal(count(file, 'findings'), N);
  t.ok(count(file, 'audit_log') >= N);
});

t.test('close in the middle of load: every answered check is stored', async (t) => {
  const file = path.join(dir, 'load.sqlite');
  const app = await testApp({ databaseUrl: file, flushBatchSize: 50, flushIntervalMs: 20 });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let ok = 0;
  let refused = 0;
  let closing: Promise<void> | undefined;
  const bad: number[] = [];
  const worker = async (w: number) => {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${base}/nhsa/3101`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(genderViolation(`L-${w}-${i}`)) });
        const body: any = await res.json();
        if (res.status === 200 && body.infcode === 0) ok++;
        else refused++;
        if (res.status >= 500 && res.status !== 503) bad.push(res.status);
      } catch {
        refused++;
        if (closing) return;
      }
      if (ok >= 300 && !closing) closing = app.close();
      if (closing && (refused > 0 || i > 2000)) return;
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  await closing;
  t.ok(ok >= 300, `${ok} answered`);
  t.same(bad, [], 'no 5xx other than 503 while closing');
  t.equal(count(file, 'checks'), ok, 'every answered check stored');
});
