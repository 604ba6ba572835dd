/**
 * Table batches into PostgreSQL by `COPY … FROM STDIN` (pg-copy-streams), all tables of a batch
 * in one transaction on one pooled connection. COPY skips the parse, plan and parameter handling
 * of a multi-row INSERT; the rows travel as one tab-separated text buffer per table.
 *
 * COPY has no `ON CONFLICT`: a batch whose table batch asks to ignore duplicates (a batch retried
 * after a failure mid-commit) is copied optimistically, and should a unique key already exist
 * (SQLSTATE 23505) the caller writes it again through the INSERT … ON CONFLICT path. Upserts
 * (one-row `audit_head`) go as a parameterised INSERT in the same transaction.
 */
import { finished } from 'node:stream/promises';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import type { StoredBatch } from './table-batch.js';

/** The part of a pg client used here. */
interface PgConnection {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  query<T extends NodeJS.WritableStream>(stream: T): T;
}

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format (`\N` for null). */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  else if (typeof v === 'boolean') return v ? 't' : 'f';
  else if (v instanceof Date) return v.toISOString();
  else text = JSON.stringify(v);
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : text;
}

/** A table batch's rows as COPY text. */
function copyText(b: StoredBatch): string {
  const cols = b.columns;
  const lines = new Array<string>(b.rows.length);
  const values = new Array<string>(cols.length);
  let i = 0;
  for (const row of b.rows as ReadonlyArray<Record<string, unknown>>) {
    for (let c = 0; c < cols.length; c++) values[c] = copyValue(row[cols[c]]);
    lines[i++] = values.join('\t');
  }
  return lines.join('\n') + '\n';
}

/** Whether a failed COPY batch should be written again with `ON CONFLICT` (a unique key exists already). */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/**
 * Writes the batches in one transaction by COPY. Rejects as PostgreSQL refused (23505: see the
 * file comment; 22xxx: a value the column refuses, found row by row by the write-behind queue).
 */
export async function copyBatches(db: Knex, batches: ReadonlyArray<StoredBatch>): Promise<void> {
  // knex types its client as any; these are the two pool calls used here.
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(conn: unknown): Promise<unknown> };
  const conn = (await client.acquireConnection()) as PgConnection;
  try {
    await conn.query('begin');
    try {
      for (const b of batches) {
        if (b.rows.length === 0) continue;
        if (b.onConflict?.action === 'upsert') {
          // A few rows (the trail head): the query builder's INSERT … ON CONFLICT DO UPDATE.
          const native = db(b.table)
            .insert(b.rows as Array<Record<string, unknown>>)
            .onConflict(b.onConflict.key)
            .merge()
            .toSQL()
            .toNative();
          await conn.query(native.sql, native.bindings as unknown[]);
          continue;
        }
        const stream = conn.query(copyFrom(`copy "${b.table}" (${b.columns.map((c) => `"${c}"`).join(', ')}) from stdin`));
        stream.end(Buffer.from(copyText(b), 'utf8'));
        await finished(stream);
      }
      await conn.query('commit');
    } catch (err) {
      await conn.query('rollback').catch(() => undefined);
      throw err;
    }
  } finally {
    await client.releaseConnection(conn);
  }
}
