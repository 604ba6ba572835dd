/**
 * Narrowing for query results: knex types every result as `any`, so rows are checked to be
 * objects here once and read as `unknown` values from then on.
 */

/** One result row: column name to value, each value still to be checked by its reader. */
export type DbRow = Record<string, unknown>;

/** The rows of a query result; throws if the driver returned something other than an array of objects. */
export function asRows(result: unknown, what: string): DbRow[] {
  if (!Array.isArray(result)) throw new TypeError(`${what}: the database returned ${typeof result}, not a list of rows`);
  for (const row of result as unknown[]) {
    if (row === null || typeof row !== 'object') throw new TypeError(`${what}: the database returned a row of type ${row === null ? 'null' : typeof row}`);
  }
  return result as DbRow[];
}

/**
 * The text of one database value as `String` would give it for the types drivers return
 * (string, number, bigint, boolean, Date, Buffer); a parsed JSON column (an object or array)
 * becomes its JSON text instead of "[object Object]".
 */
export function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
    case 'symbol':
    case 'function':
      return String(value);
    default:
      if (value === null) return 'null';
      if (value instanceof Date || Buffer.isBuffer(value)) return value.toString();
      return JSON.stringify(value);
  }
}
