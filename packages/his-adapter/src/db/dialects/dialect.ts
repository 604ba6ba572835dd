/**
 * What differs between databases, and nothing else: the driver package, how many items an
 * IN list may hold, how a date bound is bound, identifier case, and connection defaults.
 * Each database has its own folder; `loadDialect` imports only the one in use.
 */
import type { Knex } from 'knex';
import type { DbClient, DbSourceConfig } from '../../config/source-config.js';

/** The quirks of one database. */
export interface Dialect {
  /** knex client name. */
  client: DbClient;
  /** npm package of the driver (loaded only when a connection is opened). */
  driver: string;
  /** Display name. */
  label: string;
  /** Items per IN (...) list: Oracle allows 1000, SQL Server 2100 parameters per statement. */
  maxInList: number;
  /** Whether views can be qualified by a schema (SQLite: no, schemas are attached files). */
  supportsSchema: boolean;
  /** Case the database folds unquoted identifiers to; column lookups ignore case either way. */
  foldCase: 'upper' | 'lower' | 'none';
  /** The value to bind for a date/time bound given as `yyyy-MM-dd[ HH:mm:ss]`. */
  dateParam(text: string): string | Date;
  /**
   * Lists a view's columns; when absent, knex's columnInfo is used. MySQL needs its own:
   * knex looks only in the connection's default database, whatever the schema.
   */
  listColumns?(knex: Knex, name: string, schema?: string): Promise<string[]>;
  /** The knex configuration for a source (connection defaults that keep dates and numbers exact). */
  knexConfig(config: Pick<DbSourceConfig, 'client' | 'connection'>): Knex.Config;
}

/** Parses `yyyy-MM-dd[ HH:mm:ss]` as local wall-clock time (what DATE/DATETIME columns hold). */
export function localDate(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) throw new Error(`not a date: ${text}`);
  return new Date(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}

/** Small pools: a batch reader holds one or two connections. */
export const READER_POOL = { min: 0, max: 4 };
