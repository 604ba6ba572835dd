/**
 * Turning a database row into national values: dates to wall-clock text, numbers to numbers,
 * hospital code conventions to national codes, empty to absent. Drivers disagree (PostgreSQL
 * returns numeric as text, Oracle returns DATE as a Date, MySQL as text with dateStrings), so
 * this is the one place that evens them out.
 */
import type { ColumnKind } from '../contract/view-contract.js';
import { cellText } from '../db/db-rows.js';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A Date's local wall-clock time as `yyyy-MM-dd` (midnight) or `yyyy-MM-dd HH:mm:ss`. */
export function formatLocal(d: Date): string {
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const h = d.getHours(),
    m = d.getMinutes(),
    s = d.getSeconds();
  return h === 0 && m === 0 && s === 0 ? day : `${day} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Date text in the national form; `20250301`, `20250301083000` and ISO `T` forms are rewritten. */
export function normalizeDateText(s: string): string {
  const t = s.trim();
  if (/^\d{8}$/.test(t)) return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
  if (/^\d{14}$/.test(t)) return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d+$/.test(t) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) return normalizeDateText(t.slice(0, 19).replace('T', ' '));
  if (t.endsWith(' 00:00:00') && t.length === 19) return t.slice(0, 10);
  if (/^\d{4}\/\d{1,2}\/\d{1,2}/.test(t)) {
    const [date, time] = t.split(/\s+/);
    const [y, m, d] = date.split('/').map(Number);
    const day = `${y}-${pad(m)}-${pad(d)}`;
    if (!time) return day;
    const [h = 0, mi = 0, se = 0] = time.split(':').map(Number);
    return `${day} ${pad(h)}:${pad(mi)}:${pad(se)}`;
  }
  return t;
}

/** Normalises one value of a column; undefined means "leave the field out". */
export function normalizeValue(value: unknown, kind: ColumnKind, values?: Record<string, string>): string | number | undefined {
  if (value === null || value === undefined) return undefined;
  if (kind === 'date') {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : formatLocal(value);
    const s = cellText(value);
    return s.trim() === '' ? undefined : normalizeDateText(s);
  }
  if (kind === 'number') {
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    const s = cellText(value).trim();
    if (s === '') return undefined;
    const n = Number(s);
    // A non-numeric value is kept as text so normalizeCheckData reports it with its path.
    return Number.isFinite(n) ? n : s;
  }
  let s = typeof value === 'string' ? value : value instanceof Date ? formatLocal(value) : cellText(value);
  // CHAR columns (SQL Server, Oracle) pad with blanks.
  s = s.trimEnd();
  if (s === '') return undefined;
  // Own keys only: a HIS value `constructor` is not a code convention.
  if (values && Object.hasOwn(values, s)) return values[s];
  return s;
}

/** Column spec used by `mapRow`. */
export interface RowColumn {
  /** National name (also the row key, since queries alias columns to it). */
  national: string;
  /** Value kind. */
  kind: ColumnKind;
  /** Code convention. */
  values?: Record<string, string>;
}

/** Builds a model object from a row whose keys are already national names. */
export function mapRow(row: Record<string, unknown>, columns: readonly RowColumn[], skip?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (skip?.has(c.national)) continue;
    const v = normalizeValue(row[c.national], c.kind, c.values);
    if (v !== undefined) out[c.national] = v;
  }
  return out;
}

/** Fast path for date text that is already national: `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` (not midnight). */
function dateText(s: string): string | undefined {
  const n = s.length;
  if (n === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) return s;
  if (n === 19 && s.charCodeAt(10) === 32 && s.charCodeAt(13) === 58 && !s.endsWith(' 00:00:00')) return s;
  return s.trim() === '' ? undefined : normalizeDateText(s);
}

const HELPERS = { normalizeValue, dateText, formatLocal };

/**
 * Compiles `mapRow` for one column list: a function with one straight-line statement per
 * column, so mapping a million rows costs no loop, no dynamic keys and no closures per value.
 * Column names are national names from the contract (identifiers), quoted with JSON.stringify.
 *
 * `inPlace` rewrites the row itself instead of copying it (empty and skipped values become
 * undefined, which every reader of the model treats as absent): the driver's row object is
 * reused, which halves what a million-row read leaves for the garbage collector. Only for rows
 * whose keys are exactly these national names (what the adapter's queries select).
 */
export function compileRowMapper(
  columns: readonly RowColumn[],
  skip?: ReadonlySet<string>,
  options: { inPlace?: boolean } = {},
): (row: Record<string, unknown>) => Record<string, unknown> {
  const used = columns.filter((c) => !skip?.has(c.national));
  const inPlace = !!options.inPlace;
  const target = inPlace ? 'row' : 'o';
  const lines: string[] = inPlace ? ['let v;'] : ['const o = {};', 'let v;'];
  if (inPlace) for (const k of skip ?? []) lines.push(`if (row[${JSON.stringify(k)}] !== undefined) row[${JSON.stringify(k)}] = undefined;`);
  const empty = (key: string) => (inPlace ? ` else row[${key}] = undefined;` : '');
  used.forEach((c, i) => {
    const key = JSON.stringify(c.national);
    const set = inPlace ? `row[${key}] = v;` : `if (v !== undefined) o[${key}] = v;`;
    lines.push(`v = row[${key}];`);
    if (c.kind === 'string' && !c.values) {
      lines.push(
        `if (v !== null && v !== undefined) { if (typeof v !== 'string') v = h.normalizeValue(v, 'string'); else if (v.charCodeAt(v.length - 1) === 32) v = v.trimEnd(); if (v === '') v = undefined; ${set} }${empty(key)}`,
      );
    } else if (c.kind === 'number') {
      // Numeric text (PostgreSQL numeric, MySQL DECIMAL) converts inline; blanks and junk take the slow path.
      lines.push(
        `if (v !== null && v !== undefined) { if (typeof v === 'string') { const n = +v; v = n === n && v.charCodeAt(0) > 32 ? n : h.normalizeValue(v, 'number'); } else if (typeof v !== 'number') v = h.normalizeValue(v, 'number'); ${set} }${empty(key)}`,
      );
    } else if (c.kind === 'date') {
      lines.push(`if (v !== null && v !== undefined) { v = typeof v === 'string' ? h.dateText(v) : h.normalizeValue(v, 'date'); ${set} }${empty(key)}`);
    } else {
      lines.push(`if (v !== null && v !== undefined) { v = h.normalizeValue(v, ${JSON.stringify(c.kind)}, maps[${i}]); ${set} }${empty(key)}`);
    }
  });
  lines.push(`return ${target};`);
  const maps = used.map((c) => c.values);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the row mapper is generated from the validated column list (names are JSON-quoted), see above
  const factory = new Function('h', 'maps', `return function mapRow(row) {\n${lines.join('\n')}\n};`) as (
    h: typeof HELPERS,
    maps: unknown[],
  ) => (row: Record<string, unknown>) => Record<string, unknown>;
  return factory(HELPERS, maps);
}
