/**
 * A lock across every process using one database server, for start-up steps several instances
 * may reach at once (migrations, registering the built-in rulebook): a PostgreSQL advisory lock
 * or a MySQL/MariaDB named lock, scoped to the schema/database, held on a connection of its own
 * while `fn` runs on others. SQLite (one instance): `fn` alone.
 */
import type { Knex } from 'knex';

/** The part of knex's client that lends a connection of the pool for a while. */
interface ConnectionLender {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<void>;
}

/** Knex's client as a lender of pool connections (a LISTEN, a session lock). */
export function lender(db: Knex): ConnectionLender {
  return db.client as ConnectionLender;
}

/** Runs `fn` while holding the lock `name` (waits for it). */
export async function withDatabaseLock<T>(db: Knex, name: string, fn: () => Promise<T>): Promise<T> {
  const dialect = (db.client as { dialect: string }).dialect;
  if (dialect !== 'postgresql' && dialect !== 'mysql') return fn();
  const conn = await lender(db).acquireConnection();
  const run = (sql: string) => db.raw(sql, [name]).connection(conn);
  try {
    if (dialect === 'postgresql') await run('select pg_advisory_lock(hashtext(current_schema() || ?))');
    else await run('select get_lock(concat(database(), ?), 600)');
    return await fn();
  } finally {
    if (dialect === 'postgresql') await run('select pg_advisory_unlock(hashtext(current_schema() || ?))').catch(() => undefined);
    else await run('select release_lock(concat(database(), ?))').catch(() => undefined);
    await lender(db).releaseConnection(conn);
  }
}
