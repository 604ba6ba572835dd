/**
 * Batches into the real PostgreSQL by COPY (pg-copy.ts, through `app.writeBatches`): text with
 * tabs, newlines, backslashes, Chinese and NULLs arrives as it was sent; a batch meeting a key
 * already stored is written again with ON CONFLICT DO NOTHING (the duplicates skipped, the new
 * rows in); an upsert batch (the trail head) commits with the COPY batches beside it.
 */
import t from 'tap';
import knexFactory from 'knex';
import { PG_URL, testApp, uniqueName } from '../../test-support/helpers.js';
import type { StoredBatch } from './table-batch.js';

t.test('PostgreSQL: COPY batches keep every value, skip stored keys, and commit with an upsert', async (t) => {
  const schema = uniqueName('pgcopy');
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
  });
  const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema, flushIntervalMs: 60_000 });
  t.teardown(() => app.close());
  await app.db.schema.createTable('copy_probe', (tb) => {
    tb.string('k', 40).primary();
    tb.text('body');
    tb.integer('n');
    tb.double('v');
  });
  await app.db.schema.createTable('copy_head', (tb) => {
    tb.integer('id').primary();
    tb.string('last', 40);
  });
  const tricky = 'tab\there\nnew line\r\\backslash \\N not null 中文 "quoted" 😀';
  const probe = (rows: object[]): StoredBatch => ({ table: 'copy_probe', columns: ['k', 'body', 'n', 'v'], rows, onConflict: { key: 'k', action: 'ignore' } });
  const head = (last: string): StoredBatch => ({ table: 'copy_head', columns: ['id', 'last'], rows: [{ id: 1, last }], onConflict: { key: 'id', action: 'upsert' } });

  await app.writeBatches([
    probe([
      { k: 'a', body: tricky, n: 1, v: 0.1 },
      { k: 'b', body: null, n: null, v: -2.5e-7 },
      { k: 'c', body: '', n: 0, v: null },
    ]),
    head('c'),
  ]);
  const rows = (await app.db('copy_probe').orderBy('k')) as Array<{ k: string; body: string | null; n: number | null; v: number | null }>;
  t.same(rows, [
    { k: 'a', body: tricky, n: 1, v: 0.1 },
    { k: 'b', body: null, n: null, v: -2.5e-7 },
    { k: 'c', body: '', n: 0, v: null },
  ]);
  t.same(await app.db('copy_head').select('id', 'last'), [{ id: 1, last: 'c' }]);

  // Retried after a failure mid-commit: 'a' is stored already, 'd' is new.
  await app.writeBatches([
    probe([
      { k: 'a', body: 'changed', n: 9, v: 9 },
      { k: 'd', body: 'new', n: 4, v: 4 },
    ]),
    head('d'),
  ]);
  t.same(await app.db('copy_probe').orderBy('k').pluck('k'), ['a', 'b', 'c', 'd'], 'the new row is in');
  t.equal(((await app.db('copy_probe').where({ k: 'a' }).first()) as { body: string }).body, tricky, 'the stored row is kept, not replaced');
  t.same(await app.db('copy_head').select('id', 'last'), [{ id: 1, last: 'd' }]);

  // A value the column refuses fails the whole batch with PostgreSQL's code (the queue then goes row by row).
  await t.rejects(
    app.writeBatches([
      probe([
        { k: 'e', body: 'ok', n: 1, v: 1 },
        { k: 'f', body: 'nul \u0000', n: 1, v: 1 },
      ]),
    ]),
    { code: '22021' },
  );
  t.same(await app.db('copy_probe').orderBy('k').pluck('k'), ['a', 'b', 'c', 'd'], 'nothing of the refused batch');
});
