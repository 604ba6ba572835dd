/**
 * The SQLite writer thread on a real file: a batch larger than one message goes over in parts and
 * is still one transaction (all rows or none), two queues writing at once never interleave their
 * parts, and a batch refused part-way leaves the thread ready for the next.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { SqliteWriter } from './sqlite-writer.js';
import type { StoredBatch } from './table-batch.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-sqlite-writer-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

function setUp(name: string): { file: string; count: (table: string) => number } {
  const file = path.join(dir, `${name}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table a (k text primary key, n integer not null, body text)');
  db.exec('create table b (k text primary key, a_k text not null, v real)');
  db.close();
  return {
    file,
    count(table) {
      const read = new Database(file, { readonly: true });
      try {
        return (read.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      } finally {
        read.close();
      }
    },
  };
}

/** `n` rows of `a` (each with ~1 kB of text) and 3 rows of `b` per row of `a`; keys prefixed with `tag`. */
function batches(tag: string, n: number, poisonAt?: number): StoredBatch[] {
  const a: object[] = [];
  const b: object[] = [];
  for (let i = 0; i < n; i++) {
    a.push({ k: `${tag}${i}`, n: i, body: `正文 ${i} `.repeat(100) });
    for (let j = 0; j < 3; j++) b.push({ k: `${tag}${i}-${j}`, a_k: i === poisonAt && j === 2 ? null : `${tag}${i}`, v: i + j / 10 });
  }
  return [
    { table: 'a', columns: ['k', 'n', 'body'], rows: a, onConflict: { key: 'k', action: 'ignore' } },
    { table: 'b', columns: ['k', 'a_k', 'v'], rows: b },
  ];
}

t.test('a batch of many parts is committed whole', async (t) => {
  const { file, count } = setUp('whole');
  const writer = new SqliteWriter(file);
  t.teardown(() => writer.close());
  // 2,000 rows of ~1 kB text: several parts by characters, and 6,000 rows of b by values.
  await writer.write(batches('w', 2000));
  t.equal(count('a'), 2000);
  t.equal(count('b'), 6000);
  const db = new Database(file, { readonly: true });
  const row = db.prepare('select n, body from a where k = ?').get('w1999') as { n: number; body: string };
  db.close();
  t.equal(row.n, 1999);
  t.equal(row.body, '正文 1999 '.repeat(100));
});

t.test('a row refused in a later part undoes the whole batch; the next batch commits', async (t) => {
  const { file, count } = setUp('poison');
  const writer = new SqliteWriter(file);
  t.teardown(() => writer.close());
  // The NULL a_k is in the last rows of b, parts after the first rows of a were sent.
  await t.rejects(writer.write(batches('p', 2000, 1990)), { code: 'SQLITE_CONSTRAINT_NOTNULL' });
  t.equal(count('a'), 0, 'no row of the refused batch is stored');
  t.equal(count('b'), 0);
  await writer.write(batches('q', 10));
  t.equal(count('a'), 10);
  t.equal(count('b'), 30);
});

t.test('two queues writing at once: both batches commit, parts never interleave', async (t) => {
  const { file, count } = setUp('two');
  const writer = new SqliteWriter(file);
  t.teardown(() => writer.close());
  await Promise.all([writer.write(batches('x', 1500)), writer.write(batches('y', 1500)), writer.write(batches('z', 3))]);
  t.equal(count('a'), 3003);
  t.equal(count('b'), 9009);
});

t.test('a closed writer refuses writes; close waits for a batch being sent', async (t) => {
  const { file, count } = setUp('close');
  const writer = new SqliteWriter(file);
  const writing = writer.write(batches('c', 1500));
  await writer.close();
  await writing;
  t.equal(count('a'), 1500, 'the batch under way was committed before the thread closed');
  await t.rejects(writer.write(batches('d', 1)), /closed/);
});
