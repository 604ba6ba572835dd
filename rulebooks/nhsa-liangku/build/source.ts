/**
 * Reading the NHSA batch files: header check, footer skipping, and errors that name the file
 * and line, so a changed publication stops the build instead of producing a wrong rulebook.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvSyntaxError, parseCsv } from './csv.js';

/** A source row the build cannot interpret; the message names the file and line. */
export class SourceError extends Error {
  /** Source file name. */
  readonly file: string;
  /** 1-based line in that file (0 = the file as a whole). */
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = 'SourceError';
    this.file = file;
    this.line = line;
  }
}

/** One data row of a source file, fields by header name (trimmed). */
export interface SourceRow {
  /** Source file name. */
  file: string;
  /** 1-based line of the row. */
  line: number;
  /** Fields by header column name. */
  cell: Record<string, string>;
}

/**
 * True for the publication's footer and filler rows: every field empty, a "合计" (total) row,
 * or a "备注：…" (remark) row. These are not knowledge points.
 */
export function isFooterRow(fields: readonly string[]): boolean {
  const first = (fields[0] ?? '').trim();
  if (fields.every((f) => f.trim() === '')) return true;
  if (first === '合计' && fields.slice(1).every((f) => f.trim() === '')) return true;
  return /^备注[：:]/.test(first);
}

/**
 * Reads `file` from `dir`, checks that its header is exactly `header`, and returns its data
 * rows (footers skipped). Any row with the wrong number of fields is an error.
 */
export function readSource(dir: string, file: string, header: readonly string[]): SourceRow[] {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    throw new SourceError(file, 0, `cannot read: ${(err as Error).message}`);
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new SourceError(file, err.line, err.message);
    throw err;
  }
  if (records.length === 0) throw new SourceError(file, 0, 'empty file');
  const got = records[0].fields.map((f) => f.trim());
  if (got.length !== header.length || got.some((h, k) => h !== header[k])) {
    throw new SourceError(file, records[0].line, `header is "${got.join(',')}", expected "${header.join(',')}"`);
  }
  const rows: SourceRow[] = [];
  for (const rec of records.slice(1)) {
    if (isFooterRow(rec.fields)) continue;
    if (rec.fields.length !== header.length) {
      throw new SourceError(file, rec.line, `${rec.fields.length} fields, expected ${header.length} (${header.join(',')})`);
    }
    const cell: Record<string, string> = {};
    header.forEach((h, k) => (cell[h] = rec.fields[k].trim()));
    rows.push({ file, line: rec.line, cell });
  }
  if (rows.length === 0) throw new SourceError(file, 0, 'no data rows');
  return rows;
}

/** Fails with file and line unless `ok`. */
export function check(ok: boolean, row: SourceRow, message: string): asserts ok {
  if (!ok) throw new SourceError(row.file, row.line, message);
}

/** The field `column` of `row`, which must not be empty. */
export function required(row: SourceRow, column: string): string {
  const v = row.cell[column];
  check(v !== undefined && v !== '', row, `empty ${column}`);
  return v;
}

/** A positive whole number in `column`. */
export function positiveInt(row: SourceRow, column: string): number {
  const v = required(row, column);
  check(/^[1-9]\d*$/.test(v), row, `${column} "${v}" is not a positive whole number`);
  return Number(v);
}

/** Western drug (23 chars, X…) or Chinese patent medicine (20 chars, Z…) national code. */
export const DRUG_CODE = /^(X[0-9A-Z]{22}|Z[0-9A-Z]{19})$/;
/** Medical service item national code: 15 digits. */
export const ITEM_CODE = /^\d{15}$/;

/** The code in `column`, which must have the given shape. */
export function code(row: SourceRow, column: string, shape: RegExp): string {
  const v = required(row, column);
  check(shape.test(v), row, `${column} "${v}" is not a national code of the expected shape`);
  return v;
}

/** Looks `value` up in a fixed mapping; an unknown value is an error naming the column. */
export function mapped<T>(row: SourceRow, column: string, mapping: Readonly<Record<string, T>>): T {
  const v = required(row, column);
  check(Object.hasOwn(mapping, v), row, `unknown ${column} "${v}" (known: ${Object.keys(mapping).join(', ')})`);
  return mapping[v];
}
