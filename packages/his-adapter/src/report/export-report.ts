/**
 * Writing reports: CSV (csv-stringify; UTF-8 with a BOM so Excel shows the Chinese headers),
 * XLSX (exceljs, one sheet per table) and JSON.
 */
import { stringify } from 'csv-stringify/sync';
import type { AuditReport } from './build-report.js';
import type { ReportTable, TableColumn } from './report-tables.js';

// A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV Injection"):
// = + - @, tab and CR, and the full-width forms a Chinese input method types.
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** A cell's text, and whether it must be quoted (a neutralised formula). */
interface Cell {
  text: string;
  quoted: boolean;
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (`=HYPERLINK(…)` in a department
 * name from the HIS) gets a leading single quote and is quoted, as OWASP advises; numbers we
 * format ourselves (a negative amount) are not text from outside and stay as they are.
 */
function cell(v: string | number, text: boolean): Cell {
  const s = typeof v === 'number' ? String(v) : v;
  return text && FORMULA_START.test(s) ? { text: `'${s}`, quoted: true } : { text: s, quoted: false };
}

function display<T>(c: TableColumn<T>, v: string | number): string | number {
  if (typeof v !== 'number') return v;
  if (c.format === 'percent') return `${(v * 100).toFixed(2)}%`;
  if (c.format === 'money') return v.toFixed(2);
  return v;
}

/** A table as CSV text (csv-stringify: a BOM for Excel, CRLF rows, RFC 4180 quoting). */
export function tableToCsv<T>(table: ReportTable<T>): string {
  const cells: Cell[][] = [table.columns.map((c) => cell(c.header, true))];
  for (const row of table.rows) {
    cells.push(
      table.columns.map((c) => {
        const v = c.value(row);
        return cell(display(c, v), typeof v === 'string');
      }),
    );
  }
  // csv-stringify quotes a comma or quote itself; a bare CR or LF and a neutralised formula are
  // quoted here (`context.records` counts the records already written, so it is this row's index).
  return stringify(
    cells.map((r) => r.map((c) => c.text)),
    {
      bom: true,
      record_delimiter: 'windows',
      quoted_match: /[\r\n]/,
      cast: { string: (value, context) => (cells[context.records]?.[context.index]?.quoted ? { value, quoted: true } : value) },
    },
  );
}

/** The report as JSON text (findings may be appended by the caller). */
export function reportToJson(report: AuditReport, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...report, ...extra }, null, 2);
}

const NUM_FMT: Record<string, string | undefined> = { money: '#,##0.00', percent: '0.00%', count: '#,##0', text: undefined };

/**
 * Tables as an XLSX file, written as a stream (a large findings sheet never sits whole in
 * memory as cells). `target` is a file path or a writable stream.
 */
export async function tablesToXlsx(tables: ReportTable[], target: string | NodeJS.WritableStream): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const options = typeof target === 'string' ? { filename: target, useStyles: true } : { stream: target, useStyles: true };
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter(options as never);
  wb.creator = 'preaudit';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.columns.map((c, i) => ({ key: String(i), width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: NUM_FMT[c.format] ? { numFmt: NUM_FMT[c.format] } : {} }));
    const header = ws.addRow(t.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    // A string goes in as a string cell: exceljs makes a formula only from { formula }, so an
    // `=HYPERLINK(…)` from the HIS is shown, never run (export-report.test.ts checks it).
    for (const row of t.rows) ws.addRow(t.columns.map((c) => c.value(row as never))).commit();
    ws.commit();
  }
  await wb.commit();
}

/** Tables as an XLSX file in memory (for HTTP replies). */
export async function tablesToXlsxBuffer(tables: ReportTable[]): Promise<Buffer> {
  const { PassThrough } = await import('node:stream');
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  await tablesToXlsx(tables, stream);
  stream.end();
  await done;
  return Buffer.concat(chunks);
}
