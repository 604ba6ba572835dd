/**
 * The report's tables with their Chinese headers, shared by the CSV and XLSX writers so both
 * say the same thing in the same columns.
 */
import type { UnmappedCode } from '../mapping/code-mapper.js';
import type { AuditReport, GroupRow, RuleRow, TopItem } from './build-report.js';

/** How a cell is shown: money (2 decimals), a ratio (percent), a count, or text. */
export type CellFormat = 'text' | 'count' | 'money' | 'percent';

/** One column of a table. */
export interface TableColumn<T> {
  /** Chinese header. */
  header: string;
  /** Cell value. */
  value: (row: T) => string | number;
  /** Display format. */
  format: CellFormat;
  /** Column width in characters (XLSX). */
  width?: number;
}

/** A table: name (sheet / file suffix), columns, rows. */
export interface ReportTable<T = unknown> {
  /** Sheet name (Chinese). */
  sheet: string;
  /** File-name suffix for CSV output. */
  slug: string;
  /** Columns. */
  columns: TableColumn<T>[];
  /** Rows. */
  rows: T[];
}

/** 严重程度 labels. */
export const SEV_LABEL: Record<string, string> = { '1': '明确违规', '2': '高度可疑', '3': '轻度可疑' };

/** "名称(编码)×n；…" for a top-items cell. */
export function topItemsText(items: readonly TopItem[]): string {
  return items.map((t) => `${t.name || t.code}(${t.code})×${t.findings}`).join('；');
}

const groupColumns = <T extends GroupRow>(codeHeader: string, nameHeader: string, withDept: boolean): TableColumn<T>[] => [
  { header: codeHeader, value: (r) => r.code, format: 'text', width: 14 },
  { header: nameHeader, value: (r) => r.name, format: 'text', width: 14 },
  ...(withDept ? [{ header: '所在科室', value: (r: T) => r.dept_name ?? '', format: 'text' as const, width: 14 }] : []),
  { header: '就诊人次', value: (r) => r.encounters, format: 'count' },
  { header: '医嘱条数', value: (r) => r.orders, format: 'count' },
  { header: '总费用(元)', value: (r) => r.fee, format: 'money', width: 14 },
  { header: '违规条数', value: (r) => r.findings, format: 'count' },
  { header: '违规就诊人次', value: (r) => r.finding_encounters, format: 'count' },
  { header: '违规金额(元)', value: (r) => r.vola_amt, format: 'money', width: 14 },
  { header: '违规金额占期间总费用比例', value: (r) => r.vola_share, format: 'percent', width: 16 },
  { header: '主要违规项目', value: (r) => topItemsText(r.top_items), format: 'text', width: 60 },
];

const ruleColumns: TableColumn<RuleRow>[] = [
  { header: '规则编码', value: (r) => r.rule_id, format: 'text', width: 20 },
  { header: '规则名称', value: (r) => r.rule_name, format: 'text', width: 24 },
  { header: '严重程度', value: (r) => SEV_LABEL[r.sev_deg] ?? r.sev_deg, format: 'text' },
  { header: '违规条数', value: (r) => r.findings, format: 'count' },
  { header: '涉及就诊人次', value: (r) => r.encounters, format: 'count' },
  { header: '违规医嘱条数', value: (r) => r.orders, format: 'count' },
  { header: '违规金额(元)', value: (r) => r.vola_amt, format: 'money', width: 14 },
  { header: '违规金额占期间总费用比例', value: (r) => r.vola_share, format: 'percent', width: 16 },
  { header: '主要违规项目', value: (r) => topItemsText(r.top_items), format: 'text', width: 60 },
];

const unmappedColumns: TableColumn<UnmappedCode>[] = [
  { header: '医院目录代码', value: (r) => r.hosplist_code || '(无编码)', format: 'text', width: 20 },
  { header: '医院目录名称', value: (r) => r.hosplist_name ?? '', format: 'text', width: 30 },
  { header: '医嘱条数', value: (r) => r.count, format: 'count' },
];

type KV = { k: string; v: string | number; f: CellFormat };

/** The summary as key/value rows. */
function summaryRows(report: AuditReport): KV[] {
  const m = report.meta,
    s = report.summary;
  return [
    { k: '数据源', v: m.source, f: 'text' },
    { k: '审核阶段', v: m.phase, f: 'text' },
    { k: '开始日期', v: m.from ?? '', f: 'text' },
    { k: '结束日期', v: m.to ?? '', f: 'text' },
    { k: '规则库', v: m.rulebooks.join('，'), f: 'text' },
    { k: '生成时间', v: m.generated_at, f: 'text' },
    ...(m.job_id ? [{ k: '任务编号', v: m.job_id, f: 'text' as const }] : []),
    { k: '就诊人次', v: s.encounters, f: 'count' },
    { k: '医嘱条数', v: s.orders, f: 'count' },
    { k: '总费用(元)', v: s.fee, f: 'money' },
    { k: '违规条数', v: s.findings, f: 'count' },
    { k: '违规就诊人次', v: s.finding_encounters, f: 'count' },
    { k: '违规金额(元)', v: s.vola_amt, f: 'money' },
    { k: '违规金额占总费用比例', v: s.vola_share, f: 'percent' },
    { k: '未对照医嘱条数', v: s.unmapped_orders, f: 'count' },
    { k: '未对照编码数', v: s.unmapped_codes, f: 'count' },
  ];
}

/** The summary table. */
export function summaryTable(report: AuditReport): ReportTable<KV> {
  return {
    sheet: '汇总',
    slug: 'summary',
    rows: summaryRows(report),
    columns: [
      { header: '项目', value: (r) => r.k, format: 'text', width: 22 },
      {
        header: '值',
        value: (r) => (typeof r.v !== 'number' ? r.v : r.f === 'percent' ? `${(r.v * 100).toFixed(2)}%` : r.f === 'money' ? r.v.toFixed(2) : r.v),
        format: 'text',
        width: 40,
      },
    ],
  };
}

/** The report's tables, in sheet order (summary first). */
export function reportTables(report: AuditReport): ReportTable[] {
  return [
    summaryTable(report),
    { sheet: '按科室', slug: 'by-department', columns: groupColumns('科室编码', '科室名称', false), rows: report.by_department },
    { sheet: '按医生', slug: 'by-doctor', columns: groupColumns('医生编码', '医生姓名', true), rows: report.by_doctor },
    { sheet: '按规则', slug: 'by-rule', columns: ruleColumns, rows: report.by_rule },
    { sheet: '未对照编码', slug: 'unmapped', columns: unmappedColumns, rows: report.unmapped },
  ] as ReportTable[];
}

/** Which report a route or CLI flag asks for. */
export type ReportKind = 'summary' | 'departments' | 'doctors' | 'rules' | 'unmapped';

/** One table of a report by kind. */
export function reportTable(report: AuditReport, kind: ReportKind): ReportTable {
  const i = { summary: 0, departments: 1, doctors: 2, rules: 3, unmapped: 4 }[kind];
  return reportTables(report)[i];
}
