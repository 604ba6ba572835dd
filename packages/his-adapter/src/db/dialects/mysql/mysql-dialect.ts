/**
 * MySQL and MariaDB through mysql2. DATETIME is read as text (`dateStrings`) so no time-zone
 * conversion can move an order to another day; DECIMAL and BIGINT arrive as strings.
 */
import type { Dialect } from '../dialect.js';
import { READER_POOL } from '../dialect.js';
import { asRows } from '../../db-rows.js';

/** MySQL/MariaDB quirks. */
export const mysqlDialect: Dialect = {
  client: 'mysql2',
  driver: 'mysql2',
  label: 'MySQL/MariaDB',
  maxInList: 5000,
  supportsSchema: true,
  foldCase: 'none',
  dateParam: (text) => text,
  listColumns: async (knex, name, schema) => {
    const rows = asRows(
      await knex
        .select({ c: 'column_name' })
        .from('information_schema.columns')
        .where('table_name', name)
        .andWhere('table_schema', schema ?? knex.raw('database()'))
        .orderBy('ordinal_position'),
      'information_schema.columns',
    );
    return rows.map((r) => r.c as string);
  },
  knexConfig: (config) => {
    const base = { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, charset: 'utf8mb4' };
    const connection = typeof config.connection === 'string' ? { uri: config.connection, ...base } : { ...base, ...config.connection };
    return { client: 'mysql2', connection: connection, pool: READER_POOL };
  },
};
