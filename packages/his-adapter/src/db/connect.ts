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

/** Checks the driver can be loaded, with an error that says what to install. */
function requireDriver(dialect: Dialect): void {
  try {
    require.resolve(dialect.driver);
  } catch {
    throw new Error(`${dialect.label}: the driver package "${dialect.driver}" is not installed (npm install ${dialect.driver})`);
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
