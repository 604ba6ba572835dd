/**
 * RFC 4180 CSV reading with csv-parse (quoted fields, doubled quotes, CRLF, LF or CR, a UTF-8
 * BOM), kept in one place for every package that reads knowledge tables or the national source
 * files. Tables are small enough to parse whole, so the synchronous API. csv-parse does no I/O;
 * it uses the global `Buffer`, which Node, Deno and Bun provide (a browser bundle takes
 * csv-parse's own `dist/esm` build, which carries it).
 */
import { parse } from 'csv-parse/sync';

/** One parsed record with the 1-based line on which it starts (for error messages). */
export interface CsvRecord {
  /** 1-based line of the record's first character in the text. */
  line: number;
  /** The record's fields, unquoted. */
  fields: string[];
}

/** A CSV text that cannot be parsed (an unterminated quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  /** 1-based line where the problem was found. */
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** Options of `parseCsvRecords`. */
export interface ParseCsvOptions {
  /**
   * Refuse a quote inside an unquoted field (`a"b`), as the national rulebook build does with the
   * source files; by default it is kept as a character, as spreadsheets write it.
   */
  strictQuotes?: boolean;
}

/** csv-parse's error codes, in the words of our messages. */
const MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'unexpected character after a closing quote',
  INVALID_OPENING_QUOTE: 'quote inside an unquoted field',
};

/**
 * Parses CSV text into records. Every line is a record (an empty line is one empty field) and
 * records may have different lengths; a final line end makes no extra record.
 * Throws CsvSyntaxError naming the line.
 */
export function parseCsvRecords(text: string, options: ParseCsvOptions = {}): CsvRecord[] {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: !options.strictQuotes,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code && (e.code.startsWith('CSV_') || e.code.startsWith('INVALID_'))) {
      throw new CsvSyntaxError(e.lines ?? 0, `${MESSAGES[e.code] ?? e.message} (line ${e.lines ?? '?'})`);
    }
    throw err;
  }
  // csv-parse tells the line a record ends on; the next one starts on the line after.
  let next = 1;
  return parsed.map(({ record, info }) => {
    const line = next;
    next = info.lines + 1;
    return { line, fields: record };
  });
}

/** Parses CSV text into rows of fields. Throws CsvSyntaxError naming the line. */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields);
}

/** Parses CSV with a header row into objects keyed by header; rows that are entirely empty are dropped. */
export function parseCsvObjects(text: string): Array<{ line: number; row: Record<string, string> }> {
  const records = parseCsvRecords(text);
  if (records.length === 0) return [];
  const header = records[0].fields.map((h) => h.trim());
  const out: Array<{ line: number; row: Record<string, string> }> = [];
  for (const { line, fields } of records.slice(1)) {
    if (fields.every((c) => c.trim() === '')) continue;
    const obj: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) obj[header[c]] = (fields[c] ?? '').trim();
    out.push({ line, row: obj });
  }
  return out;
}
