/**
 * The findings list (违规明细) as a table with Chinese headers.
 */
import type { Finding } from '../audit/judge.js';
import { SEV_LABEL, type ReportTable, type TableColumn } from './report-tables.js';

/** The fields of a finding the list shows. */
export type FindingRow = Omit<Finding, 'details'> & { details?: unknown };

const columns: TableColumn<FindingRow>[] = [
  { header: '违规标识', value: (f) => f.jr_id, format: 'text', width: 24 },
  { header: '规则编码', value: (f) => f.rule_id, format: 'text', width: 20 },
  { header: '规则名称', value: (f) => f.rule_name, format: 'text', width: 22 },
  { header: '严重程度', value: (f) => SEV_LABEL[f.sev_deg] ?? f.sev_deg, format: 'text' },
  { header: '违规内容', value: (f) => f.vola_cont, format: 'text', width: 50 },
  { header: '参保人标识', value: (f) => f.patn_id, format: 'text', width: 14 },
  { header: '就诊标识', value: (f) => f.mdtrt_id, format: 'text', width: 16 },
  { header: '医嘱标识', value: (f) => f.rx_id, format: 'text', width: 16 },
  { header: '医保目录代码', value: (f) => f.hilist_code, format: 'text', width: 26 },
  { header: '项目名称', value: (f) => f.hilist_name, format: 'text', width: 24 },
  { header: '医院目录代码', value: (f) => f.hosplist_code, format: 'text', width: 14 },
  { header: '科室编码', value: (f) => f.dept_codg, format: 'text' },
  { header: '科室名称', value: (f) => f.dept_name, format: 'text' },
  { header: '医生编码', value: (f) => f.dr_codg, format: 'text' },
  { header: '医生姓名', value: (f) => f.dr_name, format: 'text' },
  { header: '医嘱日期', value: (f) => f.order_date, format: 'text', width: 20 },
  { header: '违规金额(元)', value: (f) => f.vola_amt, format: 'money' },
  { header: '违规依据', value: (f) => f.vola_evid, format: 'text', width: 40 },
  { header: '规则库', value: (f) => f.rulebook, format: 'text', width: 24 },
];

/** The findings as a table. */
export function findingsTable(rows: FindingRow[]): ReportTable<FindingRow> {
  return { sheet: '违规明细', slug: 'findings', columns, rows };
}
