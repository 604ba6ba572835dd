/**
 * What a queue of rows hands to storage: rows for one table, and the writer that takes several
 * tables' rows in one transaction. Types only, imported by the domains and by the writers.
 */

/** Rows for one table. */
export interface TableBatch<R extends object> {
  table: string;
  /** Column names, in the order the values are taken from each row. */
  columns: ReadonlyArray<keyof R & string>;
  rows: readonly R[];
  /** ignore: skip rows whose unique key exists; upsert: replace the `update` columns on conflict with `conflictKey`. */
  onConflict?: { key: string; action: 'ignore' } | { key: string; action: 'upsert' };
}

/** A batch of some table as the writers see it: the row type erased, columns read by name. */
export interface StoredBatch {
  table: string;
  columns: readonly string[];
  rows: readonly object[];
  onConflict?: TableBatch<object>['onConflict'];
}

/** Writes table batches in one transaction (`app.writeBatches`): what every queue of rows hands its rows to. */
export type BatchWriter = (batches: ReadonlyArray<StoredBatch>) => Promise<void>;
