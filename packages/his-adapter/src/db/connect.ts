/**
 * Opening a database: the dialect and its driver are imported only now, on first use, so the
 * adapter installs and starts on a host that has one of the five drivers and not the others.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import type { DbClient, DbSourceConfig } from '../config/source-config.js';
import { loadDialect, type Dialect } from './dialects/index.js';

const require = createRequire(import.meta.url);

/** A knex instance with the quirks of its database. */
export interface Connection {
  /** The query builder, connected. */
  knex: Knex;
  /** The database's quirks. */
  dialect: Dialect;
}

async function knexFactory(): Promise<(config: Knex.Config) => Knex> {
  const mod = await import('knex');
  return ((mod as { default?: unknown }).default ?? mod) as (config: Knex.Config) => Knex;
}

/**
 * A database driver that is not installed. The drivers are optional peer dependencies: a
 * hospital installs the one its HIS needs, so this is an installation step to name, not a crash.
 */
export class DriverMissingError extends Error {
  /** The npm package to install, e.g. "pg". */
  readonly driver: string;
  constructor(label: string, driver: string) {
    super(`${label}: the database driver "${driver}" is not installed; install it beside the adapter with: npm install ${driver}`);
    this.name = 'DriverMissingError';
    this.driver = driver;
  }
}

/**
 * Checks the driver of a dialect can be loaded, before knex tries (knex's own failure is a stack
 * trace saying "Knex: run $ npm install pg --save" from deep inside). `resolve` is how the module
 * is looked up: `require.resolve` from this package, or another function in tests.
 */
export function requireDriver(dialect: Pick<Dialect, 'driver' | 'label'>, resolve: (id: string) => string = require.resolve): void {
  try {
    resolve(dialect.driver);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new DriverMissingError(dialect.label, dialect.driver);
    throw err;
  }
}

/** Opens a connection pool for a database source. Close it with `knex.destroy()`. */
export async function connect(config: Pick<DbSourceConfig, 'client' | 'connection'>): Promise<Connection> {
  const dialect = await loadDialect(config.client);
  requireDriver(dialect);
  const knex = (await knexFactory())(dialect.knexConfig(config));
  return { knex, dialect };
}

/**
 * A knex instance that only compiles SQL (no connection, no driver): how each dialect's SQL is
 * tested here without its database.
 */
export async function compileOnly(client: DbClient): Promise<Connection> {
  const dialect = await loadDialect(client);
  const knex = (await knexFactory())({ client, useNullAsDefault: true });
  return { knex, dialect };
}
