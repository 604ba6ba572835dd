/**
 * Turns a database URL into a knex instance: PostgreSQL for `postgres://…`, SQLite (better-sqlite3)
 * for anything else. SQLite runs in WAL mode so a killed process never leaves a corrupt file.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

/** Which engine a URL selects. */
export type Dialect = 'pg' | 'sqlite';

/** What `parseDatabaseUrl` found. */
export interface DatabaseTarget {
  dialect: Dialect;
  /** PostgreSQL connection string, or the SQLite file path (`:memory:` for a private in-memory database). */
  connection: string;
}

/** `postgres://…` → pg; `sqlite:<path>`, `sqlite://<path>`, `file:<path>`, a bare path or `:memory:` → SQLite. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const u = url.trim();
  if (/^postgres(ql)?:\/\//i.test(u)) return { dialect: 'pg', connection: u };
  const file = u.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (file === '' || file === ':memory:') return { dialect: 'sqlite', connection: ':memory:' };
  return { dialect: 'sqlite', connection: file };
}

/** The default embedded database file: `./data/preaudit.sqlite` under the working directory. */
export function defaultDatabaseFile(cwd = process.cwd()): string {
  return path.join(cwd, 'data', 'preaudit.sqlite');
}

/** Opens knex for a URL (and a PostgreSQL schema to work in, created by `ensureSchema`). `readOnly` opens an existing SQLite file read-only (tools that only inspect). */
export function connect(url: string, schema?: string, opts: { readOnly?: boolean } = {}): Knex {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: target.connection,
      searchPath: schema ? [schema] : undefined,
      pool: { min: 0, max: 10 },
    });
  }
  const memory = target.connection === ':memory:';
  const readOnly = !!opts.readOnly && !memory;
  if (!memory && !readOnly) fs.mkdirSync(path.dirname(path.resolve(target.connection)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: target.connection, options: { readonly: readOnly } },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and an in-memory database exists per connection.
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: memory ? Number.MAX_SAFE_INTEGER : 30_000,
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          if (!memory && !readOnly) conn.pragma('journal_mode = WAL');
          // NORMAL in WAL mode: a crash of the process loses nothing committed; only power loss may lose the last commits.
          if (!readOnly) conn.pragma('synchronous = NORMAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
}

/** Creates the PostgreSQL schema if missing (no-op on SQLite or without a schema). */
export async function ensureSchema(db: Knex, schema?: string): Promise<void> {
  if (!schema || db.client.config.client !== 'pg') return;
  await db.raw('create schema if not exists ??', [schema]);
}

/** The dialect of a knex instance. */
export function dialectOf(db: Knex): Dialect {
  return db.client.config.client === 'pg' ? 'pg' : 'sqlite';
}
