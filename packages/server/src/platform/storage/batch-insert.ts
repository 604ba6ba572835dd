/**
 * Writing a batch of rows to several tables in one transaction, as fast as each engine allows.
 * SQLite file: the SQLite writer thread (sqlite-writer.ts), so inserts never hold the event loop.
 * SQLite in memory: one cached prepared statement per table, run row by row inside a native
 * transaction, bypassing knex's SQL building (which costs more than the insert itself).
 * PostgreSQL: COPY FROM STDIN (pg-copy.ts), falling back to INSERT … ON CONFLICT for a batch
 * that meets keys already stored. MySQL/MariaDB: knex multi-row inserts (the work is the server's).
 */
import type { Knex } from 'knex';
import { dialectOf } from './connect.js';
import { copyBatches, isDuplicateKey } from './pg-copy.js';
import { conflictClause, type SqliteWriter } from './sqlite-writer.js';
import type { StoredBatch } from './table-batch.js';

interface SqliteStatement {
  run(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction<F extends (...a: never[]) => unknown>(fn: F): F;
}

const statements = new WeakMap<object, Map<string, SqliteStatement>>();

/** The SQLite INSERT statement of a table batch (one row of `?` placeholders). */
function sqliteSql(b: StoredBatch): string {
  const cols = b.columns.map((c) => `"${c}"`).join(', ');
  const params = b.columns.map(() => '?').join(', ');
  const conflict = conflictClause(b);
  return `insert into "${b.table}" (${cols}) values (${params})${conflict ? ` ${conflict}` : ''}`;
}

/** Writes every batch in one transaction (all or nothing); through `writer` when there is one. */
export async function insertBatches(db: Knex, batches: ReadonlyArray<StoredBatch>, writer?: SqliteWriter): Promise<void> {
  if (writer) {
    await writer.write(batches);
    return;
  }
  if (dialectOf(db) === 'sqlite') {
    // knex types its client as any; these are the two pool calls used here.
    const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(conn: unknown): Promise<unknown> };
    const conn = (await client.acquireConnection()) as SqliteConnection;
    try {
      let cache = statements.get(conn);
      if (!cache) statements.set(conn, (cache = new Map<string, SqliteStatement>()));
      const prepared = batches.map((b) => {
        const sql = sqliteSql(b);
        let stmt = cache.get(sql);
        if (!stmt) cache.set(sql, (stmt = conn.prepare(sql)));
        return stmt;
      });
      const values: unknown[] = [];
      conn.transaction(() => {
        batches.forEach((b, i) => {
          const stmt = prepared[i];
          const cols = b.columns;
          for (const row of b.rows) {
            values.length = cols.length;
            for (let c = 0; c < cols.length; c++) values[c] = (row as Record<string, unknown>)[cols[c]] ?? null;
            stmt.run(values);
          }
        });
      })();
    } finally {
      await client.releaseConnection(conn);
    }
    return;
  }
  const dialect = dialectOf(db);
  if (dialect === 'pg') {
    try {
      await copyBatches(db, batches);
      return;
    } catch (err) {
      // A key already stored (a batch retried after a failure mid-commit): again, with ON CONFLICT.
      if (!isDuplicateKey(err) || !batches.some((b) => b.onConflict)) throw err;
    }
  }
  const mysql = dialect === 'mysql';
  await db.transaction(async (trx) => {
    for (const b of batches) {
      // Chunks stay below the 65,535 bound parameters of PostgreSQL and MySQL, and on MySQL
      // below its 16 MB packet (a check row may carry a stored request of some kilobytes).
      const size = Math.max(1, Math.min(Math.floor(30_000 / b.columns.length), mysql ? 100 : Infinity));
      for (let i = 0; i < b.rows.length; i += size) {
        const chunk = b.rows.slice(i, i + size).map((r) => {
          const o: Record<string, unknown> = {};
          for (const c of b.columns) o[c] = (r as Record<string, unknown>)[c] ?? null;
          return o;
        });
        const q = trx(b.table).insert(chunk);
        // MySQL's INSERT IGNORE would also turn a too-long value into a silent truncation: a
        // duplicate key instead updates the key to itself, and every other error still fails.
        if (b.onConflict?.action === 'ignore') await (mysql ? q.onConflict(b.onConflict.key).merge([b.onConflict.key]) : q.onConflict(b.onConflict.key).ignore());
        else if (b.onConflict?.action === 'upsert') await q.onConflict(b.onConflict.key).merge();
        else await q;
      }
    }
  });
}
