/**
 * A small RFC 4180 CSV reader and writer for the rulebook build. The source files carry
 * Chinese text with full-width punctuation, and our own knowledge tables may carry commas and
 * quotes in notes, so quoting must round-trip exactly; no dependency is worth that little code.
 */

/** One parsed record with the 1-based line number on which it starts (for error messages). */
export interface CsvRecord {
  /** 1-based line of the record's first character in the file. */
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

/**
 * Parses CSV text into records. Accepts CRLF, LF or CR line ends and a leading UTF-8 BOM;
 * a quoted field may hold commas, doubled quotes and line breaks. A final line end does not
 * make an extra empty record.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(start, 'unterminated quoted field');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          value += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          throw new CsvSyntaxError(line, `unexpected character ${JSON.stringify(text[i])} after a closing quote`);
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new CsvSyntaxError(line, 'quote inside an unquoted field');
          i++;
        }
        value = text.slice(from, i);
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of record: consume one line end (CRLF, LF or CR).
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    records.push({ line: start, fields });
  }
  return records;
}

/** Quotes a field when it holds a comma, quote, line break or edge whitespace. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes a header and rows as CSV (LF line ends, final line end, no BOM). Each row is read by
 * the header's column names, so column order is the header's.
 */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<Readonly<Record<string, string>>>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(header.map((col) => csvField(row[col] ?? '')).join(','));
  return lines.join('\n') + '\n';
}
