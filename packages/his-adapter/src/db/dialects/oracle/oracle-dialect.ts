/**
 * Oracle through node-oracledb in thin mode (the default since 6.0: pure JavaScript, no Oracle
 * Client libraries to install on the audit host). Unquoted identifiers are stored upper case,
 * an IN list holds at most 1000 items, and DATE bounds are bound as Date objects because a
 * text bound would depend on the session's NLS_DATE_FORMAT. 达梦 (DM) behaves the same way.
 * No Oracle runs here: the SQL is tested compiled only.
 */
import type { Dialect } from '../dialect.js';
import { READER_POOL, localDate } from '../dialect.js';

/** Oracle quirks. */
export const oracleDialect: Dialect = {
  client: 'oracledb',
  driver: 'oracledb',
  label: 'Oracle',
  maxInList: 1000,
  supportsSchema: true,
  foldCase: 'upper',
  dateParam: (text) => localDate(text),
  knexConfig: (config) => {
    // oracledb takes { user, password, connectString }; a URL-ish "user/pass@host:port/service" is split here.
    let connection = config.connection as Record<string, unknown>;
    if (typeof config.connection === 'string') {
      const m = /^([^/]+)\/([^@]+)@(.+)$/.exec(config.connection);
      connection = m ? { user: m[1], password: m[2], connectString: m[3] } : { connectString: config.connection };
    }
    return { client: 'oracledb', connection: connection as never, pool: READER_POOL, fetchAsString: ['clob'] } as never;
  },
};
