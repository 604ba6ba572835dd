/**
 * Turns a database URL into a knex instance: PostgreSQL for `postgres://…`, MySQL/MariaDB
 * (mysql2) for `mysql://…` or `mariadb://…`, SQLite (better-sqlite3) for `sqlite:…` or a file
 * path. Any other scheme is refused: a typo must not silently become a SQLite file named after it.
 * SQLite runs in WAL mode so a killed process never leaves a corrupt file.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

/** Which engine a URL selects. */
export type Dialect = 'pg' | 'mysql' | 'sqlite';

/** What `parseDatabaseUrl` found. */
export interface DatabaseTarget {
  dialect: Dialect;
  /** PostgreSQL or MySQL connection URL, or the SQLite file path (`:memory:` for a private in-memory database). */
  connection: string;
}

/** What a database URL may look like (error messages quote it). */
const DATABASE_URL_FORMS = 'postgres://, mysql://, sqlite: or a file path';

/**
 * `postgres://…` → pg; `mysql://…` or `mariadb://…` → mysql; `sqlite:<path>`, `sqlite://<path>`,
 * `file:<path>`, a bare path or `:memory:` → SQLite. Throws on any other scheme (the message names
 * the scheme, never the rest of the URL, which may hold a password).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const u = url.trim();
  if (/^postgres(ql)?:\/\//i.test(u)) return { dialect: 'pg', connection: u };
  if (/^(mysql|mariadb):\/\//i.test(u)) return { dialect: 'mysql', connection: u.replace(/^mariadb:/i, 'mysql:') };
  if (/^(sqlite|file):/i.test(u) || u === ':memory:') {
    const file = u.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
    if (file === '' || file === ':memory:') return { dialect: 'sqlite', connection: ':memory:' };
    return { dialect: 'sqlite', connection: file };
  }
  // A scheme is two or more letters before a colon; one letter is a Windows drive (C:\data\x.sqlite).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(u);
  if (scheme) throw new Error(`unsupported scheme "${scheme[1]}:" (expected ${DATABASE_URL_FORMS})`);
  if (u === '') return { dialect: 'sqlite', connection: ':memory:' };
  return { dialect: 'sqlite', connection: u };
}

/** The default embedded database file: `preaudit.sqlite` in the data folder (default `./data` under the working directory). */
export function defaultDatabaseFile(dataDir = path.join(process.cwd(), 'data')): string {
  return path.join(dataDir, 'preaudit.sqlite');
}

/** mysql2 connection settings of a `mysql://user:password@host:port/database` URL (`database` overrides its path). */
function mysqlConnection(url: string, database?: string): Record<string, unknown> {
  const u = new URL(url);
  const params = Object.fromEntries(u.searchParams);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database || decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    // utf8mb4: Chinese names and any character a HIS sends, in 4 bytes where needed.
    charset: 'utf8mb4',
    ...(params.ssl === 'true' || params.ssl === '1' ? { ssl: {} } : {}),
    ...(params.socketPath ? { socketPath: params.socketPath } : {}),
  };
}

/** Opens knex for a URL (and a PostgreSQL schema, or the MySQL database, to work in, created by `ensureSchema`). `readOnly` opens an existing SQLite file read-only (tools that only inspect). */
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
  if (target.dialect === 'mysql') {
    return knexFactory({
      client: 'mysql2',
      connection: mysqlConnection(target.connection, schema),
      pool: {
        min: 0,
        max: 10,
        // Strict, whatever the server's default: a value too long for its column is an error, never a silent truncation.
        afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.query("set session sql_mode = if(@@session.sql_mode = '', 'STRICT_ALL_TABLES', concat(@@session.sql_mode, ',STRICT_ALL_TABLES'))", (err) => done(err, conn));
        },
      },
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

/**
 * Creates the PostgreSQL schema, or the MySQL database, if missing (no-op on SQLite or without a
 * schema). MySQL: through a connection without a database (one that names a missing database
 * cannot open), with binary collation so keys compare exactly as on the other engines.
 */
export async function ensureSchema(db: Knex, schema?: string): Promise<void> {
  if (!schema) return;
  const dialect = dialectOf(db);
  if (dialect === 'pg') {
    // Two instances starting together: PostgreSQL's IF NOT EXISTS can still collide (23505).
    await db.raw('create schema if not exists ??', [schema]).catch((err: { code?: string }) => {
      if (err.code !== '23505') throw err;
    });
  }
  if (dialect === 'mysql') {
    const { database: _database, ...server } = configOf(db).connection as Record<string, unknown>;
    const admin = knexFactory({ client: 'mysql2', connection: server, pool: { min: 0, max: 1 } });
    try {
      // Look first: an account that may use an existing database need not be allowed to create one.
      const found: unknown = await admin('information_schema.schemata').where({ schema_name: schema }).first('schema_name');
      if (!found) await admin.raw('create database if not exists ?? character set utf8mb4 collate utf8mb4_bin', [schema]);
    } finally {
      await admin.destroy();
    }
  }
}

/** The configuration a knex instance was made with (knex types its client as any). */
function configOf(db: Knex): Knex.Config {
  return (db.client as { config: Knex.Config }).config;
}

/** The dialect of a knex instance. */
export function dialectOf(db: Knex): Dialect {
  const client = configOf(db).client;
  if (client === 'pg') return 'pg';
  if (client === 'mysql2' || client === 'mysql') return 'mysql';
  return 'sqlite';
}
