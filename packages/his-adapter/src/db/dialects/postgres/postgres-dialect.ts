/**
 * PostgreSQL (and the PostgreSQL-protocol domestic databases: 人大金仓 KingbaseES, openGauss).
 * numeric arrives as a string and is coerced by the row mapper; DATE/TIMESTAMP arrive as local
 * Date objects, which the row mapper formats back to wall-clock text.
 */
import type { Dialect } from '../dialect.js';
import { READER_POOL } from '../dialect.js';

/** PostgreSQL quirks. */
export const postgresDialect: Dialect = {
  client: 'pg',
  driver: 'pg',
  label: 'PostgreSQL',
  maxInList: 5000,
  supportsSchema: true,
  foldCase: 'lower',
  dateParam: (text) => text,
  knexConfig: (config) => ({ client: 'pg', connection: config.connection as never, pool: READER_POOL }),
};
