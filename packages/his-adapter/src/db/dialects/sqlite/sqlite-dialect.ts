/**
 * SQLite through better-sqlite3: a hospital's export file, or the embedded default. There are
 * no schemas (only attached files), dates are text and compare as text, which works because
 * the contract's `yyyy-MM-dd HH:mm:ss` sorts chronologically.
 */
import type { Dialect } from '../dialect.js';

/** SQLite quirks. */
export const sqliteDialect: Dialect = {
  client: 'better-sqlite3',
  driver: 'better-sqlite3',
  label: 'SQLite',
  maxInList: 900,
  supportsSchema: false,
  foldCase: 'none',
  dateParam: (text) => text,
  knexConfig: (config) => {
    const connection = typeof config.connection === 'string' ? { filename: config.connection } : config.connection;
    return { client: 'better-sqlite3', connection: connection, useNullAsDefault: true, pool: { min: 1, max: 1 } };
  },
};
