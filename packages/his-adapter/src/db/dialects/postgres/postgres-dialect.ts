/**
 * PostgreSQL (and the PostgreSQL-protocol domestic databases: 人大金仓 KingbaseES, openGauss).
 * DATE and TIMESTAMP (without time zone) are read as the text the server sends: they are
 * wall-clock values already, and turning them into Date objects and back would cost more than
 * the rest of reading a row and could shift them with the client's time zone. numeric arrives
 * as text and is coerced by the row mapper.
 */
import { createRequire } from 'node:module';
import type { Dialect } from '../dialect.js';
import { READER_POOL } from '../dialect.js';

const require = createRequire(import.meta.url);

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/** Type parsers of a reader connection: wall-clock types as text, the rest as pg parses them. */
function readerTypes(): { getTypeParser: (oid: number, format?: string) => unknown } {
  const pg = require('pg') as { types: { getTypeParser: (oid: number, format?: string) => unknown } };
  const asText = (value: string) => value;
  return {
    getTypeParser: (oid, format) => (oid === DATE_OID || oid === TIMESTAMP_OID ? asText : pg.types.getTypeParser(oid, format)),
  };
}

/** PostgreSQL quirks. */
export const postgresDialect: Dialect = {
  client: 'pg',
  driver: 'pg',
  label: 'PostgreSQL',
  maxInList: 5000,
  supportsSchema: true,
  foldCase: 'lower',
  dateParam: (text) => text,
  knexConfig: (config) => {
    const base = typeof config.connection === 'string' ? { connectionString: config.connection } : { ...config.connection };
    return { client: 'pg', connection: { ...base, types: readerTypes() }, pool: READER_POOL };
  },
};
