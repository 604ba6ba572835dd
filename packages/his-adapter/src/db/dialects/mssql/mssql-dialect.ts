/**
 * SQL Server through mssql (tedious). A statement takes at most 2100 parameters, so IN lists are
 * kept well below; `useUTC: false` makes DATETIME values local wall-clock time as stored, and
 * date bounds are bound as Date objects so comparisons never depend on the server's DATEFORMAT.
 * No SQL Server runs here: the SQL is tested compiled only.
 */
import type { Dialect } from '../dialect.js';
import { READER_POOL, localDate } from '../dialect.js';

/** SQL Server quirks. */
export const mssqlDialect: Dialect = {
  client: 'mssql',
  driver: 'mssql',
  label: 'SQL Server',
  maxInList: 1000,
  supportsSchema: true,
  foldCase: 'none',
  dateParam: (text) => localDate(text),
  knexConfig: (config) => {
    const conn = typeof config.connection === 'string' ? { connectionString: config.connection } : { ...config.connection };
    const options = { encrypt: false, trustServerCertificate: true, useUTC: false, ...((conn as { options?: object }).options ?? {}) };
    return { client: 'mssql', connection: { ...conn, options } as never, pool: READER_POOL };
  },
};
