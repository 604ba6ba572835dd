import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { buildReport, type ReportFinding } from './build-report.js';
import { reportTables, reportTable, topItemsText, type ReportTable } from './report-tables.js';
import { findingsTable } from './findings-table.js';
import { tableToCsv, tablesToXlsx, tablesToXlsxBuffer } from './export-report.js';
import type { StatRow } from '../audit/stats.js';

const f = (over: Partial<ReportFinding>): ReportFinding => ({
  rule_id: 'GZ10000301004000',
  rule_name: '药品区分性别使用',
  sev_deg: '1',
  mdtrt_id: 'Z1',
  rx_id: 'R1',
  hilist_code: 'XL02BBA326A001010102180',
  hilist_name: '阿帕他胺片',
  hosplist_code: 'H1',
  dept_codg: 'A01',
  dept_name: '心血管内科',
  dr_codg: 'D1',
  dr_name: '王医生',
  vola_amt: 100,
  ...over,
});

const findings = [
  f({}),
  f({ rx_id: 'R2', vola_amt: 50 }),
  f({
    mdtrt_id: 'Z2',
    rx_id: 'R9',
    rule_id: 'GZ10000301002000',
    rule_name: '药品儿童专用',
    hilist_code: 'ZA04CAE0023010100166',
    hilist_name: '儿童清肺口服液',
    dept_codg: 'D01',
    dept_name: '儿科',
    dr_codg: 'D7',
    dr_name: '李医生',
    vola_amt: 30,
  }),
];
const stats: StatRow[] = [
  { dim: 'total', key: '', name: '合计', parent: '', encounters: 6, orders: 40, fee: 1000 },
  { dim: 'total', key: '', name: '合计', parent: '', encounters: 4, orders: 20, fee: 1000 },
  { dim: 'dept', key: 'A01', name: '心血管内科', parent: '', encounters: 5, orders: 30, fee: 1200 },
  { dim: 'dept', key: 'D01', name: '儿科', parent: '', encounters: 3, orders: 20, fee: 500 },
  { dim: 'dept', key: 'B01', name: '普通外科', parent: '', encounters: 2, orders: 10, fee: 300 },
  { dim: 'doctor', key: 'D1', name: '王医生', parent: '心血管内科', encounters: 5, orders: 30, fee: 1200 },
  { dim: 'doctor', key: 'D7', name: '李医生', parent: '儿科', encounters: 3, orders: 20, fee: 500 },
];
const meta = { source: '示例医院', phase: '事后', from: '2025-03-01', to: '2025-03-31', rulebooks: ['nhsa-liangku@2025.8.0'], generated_at: '2025-04-01T00:00:00Z' };

t.test('by department, doctor and rule, with shares of the period total fee', async (t) => {
  const r = buildReport(findings, stats, [{ hosplist_code: 'H999', hosplist_name: '自制膏方', count: 4 }], meta);
  t.same(r.summary, { encounters: 10, orders: 60, fee: 2000, findings: 3, finding_encounters: 2, vola_amt: 180, vola_share: 0.09, unmapped_orders: 4, unmapped_codes: 1 });
  t.same(
    r.by_department.map((d) => [d.code, d.findings, d.vola_amt, d.vola_share, d.encounters, d.orders, d.fee]),
    [
      ['A01', 2, 150, 0.075, 5, 30, 1200],
      ['D01', 1, 30, 0.015, 3, 20, 500],
      ['B01', 0, 0, 0, 2, 10, 300],
    ],
    'departments without findings are listed too',
  );
  t.same(r.by_department[0].top_items, [{ code: 'XL02BBA326A001010102180', name: '阿帕他胺片', findings: 2, vola_amt: 150 }]);
  t.same(
    r.by_doctor.map((d) => [d.code, d.name, d.dept_name, d.findings]),
    [
      ['D1', '王医生', '心血管内科', 2],
      ['D7', '李医生', '儿科', 1],
    ],
  );
  t.same(
    r.by_rule.map((x) => [x.rule_id, x.findings, x.encounters, x.orders, x.vola_amt]),
    [
      ['GZ10000301004000', 2, 1, 2, 150],
      ['GZ10000301002000', 1, 1, 1, 30],
    ],
  );
  t.equal(topItemsText(r.by_rule[0].top_items), '阿帕他胺片(XL02BBA326A001010102180)×2');
});

t.test('CSV has a BOM, Chinese headers and percentages', async (t) => {
  const r = buildReport(findings, stats, [], meta);
  const csv = tableToCsv(reportTable(r, 'departments'));
  t.ok(csv.startsWith('\uFEFF科室编码,科室名称,就诊人次,医嘱条数,总费用(元),违规条数,违规就诊人次,违规金额(元),违规金额占期间总费用比例,主要违规项目\r\n'));
  t.match(csv, /A01,心血管内科,5,30,1200\.00,2,1,150\.00,7\.50%,阿帕他胺片\(XL02BBA326A001010102180\)×2/);
  const rules = tableToCsv(reportTable(r, 'rules'));
  t.match(rules, /GZ10000301004000,药品区分性别使用,明确违规,2,1,2,150\.00,7\.50%/);
  const quoted = tableToCsv({ sheet: 's', slug: 's', columns: [{ header: 'a', value: (x: string) => x, format: 'text' }], rows: ['x,"y"'] });
  t.match(quoted, /"x,""y"""/);
});

t.test('XLSX has one sheet per table with Chinese headers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-xlsx-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = buildReport(findings, stats, [{ hosplist_code: 'H999', count: 4 }], meta);
  const file = join(dir, 'report.xlsx');
  await tablesToXlsx(
    [
      ...reportTables(r),
      findingsTable(
        findings.map((x, i) => ({
          ...x,
          jr_id: `J${i}`,
          vola_cont: '',
          vola_evid: '',
          vola_bhvr_type: '',
          vola_amt_stas: '1',
          patn_id: 'P',
          order_date: '',
          med_mdtrt_type: '1',
          rulebook: 'nhsa-liangku@2025.8.0',
        })),
      ) as ReportTable,
    ],
    file,
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  t.same(
    wb.worksheets.map((w) => w.name),
    ['汇总', '按科室', '按医生', '按规则', '未对照编码', '违规明细'],
  );
  const dept = wb.getWorksheet('按科室')!;
  t.equal(dept.getCell('A1').value, '科室编码');
  t.equal(dept.getCell('A2').value, 'A01');
  t.equal(dept.getCell('I2').value, 0.075);
  t.equal(dept.getCell('I2').numFmt, '0.00%');
  t.equal(wb.getWorksheet('违规明细')!.rowCount, 4);
  const summary = wb.getWorksheet('汇总')!;
  t.equal(summary.getCell('B2').value, '示例医院');
  const buf = await tablesToXlsxBuffer(reportTables(r));
  t.equal(buf.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) in memory');
});
