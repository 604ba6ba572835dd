/**
 * CSV for the rulebook build: reading with the core's csv-parse reader (strict about quotes,
 * since a stray quote in a publication means a changed format), writing with csv-stringify.
 * The source files carry Chinese text with full-width punctuation, and our own knowledge tables
 * may carry commas and quotes in notes, so quoting must round-trip exactly; the written tables
 * are committed, so the writer's output must not change byte for byte (`--check`).
 */
import { parseCsvRecords, type CsvRecord } from '@preaudit/core-rules';
import { stringify } from 'csv-stringify/sync';

export { CsvSyntaxError, type CsvRecord } from '@preaudit/core-rules';

/**
 * Parses CSV text into records. Accepts CRLF, LF or CR line ends and a leading UTF-8 BOM;
 * a quoted field may hold commas, doubled quotes and line breaks. A final line end does not
 * make an extra empty record. A quote inside an unquoted field is an error.
 */
export function parseCsv(text: string): CsvRecord[] {
  return parseCsvRecords(text, { strictQuotes: true });
}

/**
 * Writes a header and rows as CSV (LF line ends, final line end, no BOM). Each row is read by
 * the header's column names, so column order is the header's. A field is quoted when it holds
 * a comma, quote or line break (csv-stringify's own rule, with CR counted as a line break) or
 * starts or ends with whitespace, which a reader might trim.
 */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<Readonly<Record<string, string>>>): string {
  const records = [header as string[], ...rows.map((row) => header.map((col) => row[col] ?? ''))];
  return stringify(records, { record_delimiter: 'unix', quoted_match: [/[\r\n]/, /^\s/, /\s$/] });
}
