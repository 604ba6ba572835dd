/**
 * Loads the quirks of one database on demand, so a hospital on SQL Server never loads the
 * Oracle code (and the drivers themselves load only when a connection opens).
 */
import type { DbClient } from '../../config/source-config.js';
import type { Dialect } from './dialect.js';

export type { Dialect } from './dialect.js';

/** The dialect of a knex client name. */
export async function loadDialect(client: DbClient): Promise<Dialect> {
  switch (client) {
    case 'pg':
      return (await import('./postgres/postgres-dialect.js')).postgresDialect;
    case 'mysql2':
      return (await import('./mysql/mysql-dialect.js')).mysqlDialect;
    case 'mssql':
      return (await import('./mssql/mssql-dialect.js')).mssqlDialect;
    case 'oracledb':
      return (await import('./oracle/oracle-dialect.js')).oracleDialect;
    case 'better-sqlite3':
      return (await import('./sqlite/sqlite-dialect.js')).sqliteDialect;
    default:
      throw new Error(`unsupported database client: ${String(client)}`);
  }
}
