/**
 * XLSX files of the review queue: a filtered view (streamed row by row with exceljs'
 * WorkbookWriter, read from the database in keyset pages of 1000, so memory stays flat whatever
 * the size up to EXPORT_MAX_ROWS) and the appeal packet of one item (申诉材料: the item, the
 * rule and evidence, the orders, the history, the department's explanation).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { listItems, type Cursor, type ItemRow, type QueueFilters, type SortKey, type SortOrder } from './store.js';
import type { ItemDetail } from './detail.js';
import { ACTION_LABEL, DECISION_LABEL, STATUS_LABEL, type FinalDecision, type ReviewAction, type ReviewStatus } from './workflow.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const SEV_LABEL: Record<string, string> = { '1': '明确违规', '2': '高度可疑', '3': '轻度可疑' };

/** `1` → 明确违规. */
export function sevLabel(sev: string | null): string | null {
  return sev ? (SEV_LABEL[sev] ?? sev) : null;
}

/** ISO instant → local wall-clock `yyyy-MM-dd HH:mm:ss` (the service's time zone), as people read it. */
export function localTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Columns of the queue export: Chinese header, key, width, value. */
const COLUMNS: Array<{ header: string; key: string; width: number; value: (r: ItemRow) => string | number | null }> = [
  { header: '疑点编号', key: 'id', width: 10, value: (r) => r.id },
  { header: '来源', key: 'source', width: 8, value: (r) => (r.source === 'rt' ? '实时' : '批量') },
  { header: '审核阶段', key: 'phase', width: 8, value: (r) => r.phase },
  { header: '时间', key: 'time', width: 20, value: (r) => localTime(r.time) },
  { header: '规则编码', key: 'rule_id', width: 20, value: (r) => r.rule_id },
  { header: '规则名称', key: 'rule_name', width: 28, value: (r) => r.rule_name },
  { header: '严重程度', key: 'sev', width: 10, value: (r) => sevLabel(r.sev_deg) },
  { header: '违规金额', key: 'vola_amt', width: 12, value: (r) => r.vola_amt },
  { header: '科室编码', key: 'department', width: 12, value: (r) => r.department },
  { header: '科室名称', key: 'department_name', width: 14, value: (r) => r.department_name },
  { header: '医生编码', key: 'doctor', width: 12, value: (r) => r.doctor },
  { header: '医生姓名', key: 'doctor_name', width: 10, value: (r) => r.doctor_name },
  { header: '参保人（脱敏）', key: 'patient', width: 22, value: (r) => r.patient },
  { header: '就诊标识', key: 'mdtrt_id', width: 18, value: (r) => r.mdtrt_id },
  { header: '医嘱标识', key: 'rx_id', width: 16, value: (r) => r.rx_id },
  { header: '医保目录编码', key: 'hilist_code', width: 26, value: (r) => r.hilist_code },
  { header: '医保目录名称', key: 'hilist_name', width: 20, value: (r) => r.hilist_name },
  { header: '审核任务', key: 'job_id', width: 22, value: (r) => r.job_id },
  { header: '审核状态', key: 'status', width: 12, value: (r) => STATUS_LABEL[r.status] ?? r.status },
  { header: '说明期限', key: 'deadline', width: 12, value: (r) => r.deadline },
  { header: '终审结论', key: 'final_decision', width: 14, value: (r) => (r.final_decision ? DECISION_LABEL[r.final_decision as FinalDecision] : null) },
  { header: '最后处理人', key: 'updated_by', width: 20, value: (r) => r.updated_by },
  { header: '最后处理时间', key: 'updated_at', width: 20, value: (r) => (r.updated_at ? localTime(r.updated_at) : null) },
];

/** The Chinese headers of the export, in order (tests read them back). */
export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);

/**
 * Streams a filtered view as XLSX into the returned stream (sheet 疑点清单, one row per item, in
 * the view's sort, at most `max` rows). Errors destroy the stream.
 */
export function streamQueueXlsx(
  db: Knex,
  view: { filters: QueueFilters; scope: readonly string[] | undefined; sort: SortKey; order: SortOrder; max: number },
): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('疑点清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    let written = 0;
    let after: Cursor | undefined;
    while (written < view.max) {
      const page = await listItems(db, { ...view, limit: Math.min(1000, view.max - written), after });
      for (const r of page.rows) sheet.addRow(COLUMNS.map((c) => c.value(r))).commit();
      written += page.rows.length;
      if (!page.next) break;
      after = page.next;
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** The appeal packet of one item (申诉材料) as an XLSX buffer. */
export async function appealXlsx(item: ItemRow, detail: ItemDetail, patient: string | null): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'preaudit';
  const info = wb.addWorksheet('疑点信息');
  info.columns = [
    { header: '项目', key: 'k', width: 18 },
    { header: '内容', key: 'v', width: 80 },
  ];
  const r = detail.rule;
  const lines: Array<[string, unknown]> = [
    ['疑点编号', item.id],
    ['违规标识', item.jr_id],
    ['来源', item.source === 'rt' ? '实时审核' : `批量审核（任务 ${item.job_id ?? ''}）`],
    ['审核阶段', item.phase],
    ['时间', localTime(item.time)],
    ['参保人（脱敏）', patient ?? ''],
    ['就诊标识', String(detail.encounter.mdtrt_id ?? item.mdtrt_id ?? '')],
    ['科室', [item.department, item.department_name].filter(Boolean).join(' ')],
    ['医生', [item.doctor, item.doctor_name].filter(Boolean).join(' ')],
    ['规则编码', r.id],
    ['规则名称', r.name],
    ['规则类别', r.category ?? ''],
    ['严重程度', sevLabel(item.sev_deg) ?? ''],
    ['违规内容', r.vola_cont ?? ''],
    ['违规依据（限定与事实）', r.vola_evid ?? ''],
    ['政策依据', r.basis ?? ''],
    ['时间范围', r.window ?? ''],
    ['违规金额', item.vola_amt],
    ['规则库版本', r.rulebook ?? ''],
    ['审核状态', STATUS_LABEL[item.status]],
    ['说明期限', item.deadline ?? ''],
    ['终审结论', item.final_decision ? DECISION_LABEL[item.final_decision as FinalDecision] : ''],
  ];
  for (const [k, v] of lines) info.addRow({ k, v });
  info.getRow(1).font = { bold: true };

  const orders = wb.addWorksheet('医嘱明细');
  orders.columns = [
    { header: '标记', key: 'role', width: 8 },
    { header: '医嘱标识', key: 'rx_id', width: 16 },
    { header: '医保目录编码', key: 'hilist_code', width: 26 },
    { header: '医保目录名称', key: 'hilist_name', width: 20 },
    { header: '医院项目编码', key: 'hosplist_code', width: 16 },
    { header: '数量', key: 'cnt', width: 8 },
    { header: '单价', key: 'pric', width: 10 },
    { header: '金额', key: 'sumamt', width: 10 },
    { header: '违规金额', key: 'vola_amt', width: 10 },
    { header: '医嘱开始', key: 'begn', width: 20 },
    { header: '医嘱停止', key: 'stop', width: 20 },
  ];
  for (const o of detail.orders) {
    orders.addRow({
      role: o.role_label,
      rx_id: o.rx_id,
      hilist_code: o.hilist_code,
      hilist_name: o.hilist_name,
      hosplist_code: o.hosplist_code,
      cnt: o.cnt,
      pric: o.pric,
      sumamt: o.sumamt,
      vola_amt: o.vola_amt,
      begn: o.drord_begn_date,
      stop: o.drord_stop_date,
    });
  }
  orders.getRow(1).font = { bold: true };

  const history = wb.addWorksheet('处理记录');
  history.columns = [
    { header: '时间', key: 'time', width: 20 },
    { header: '处理人', key: 'actor', width: 22 },
    { header: '角色', key: 'role', width: 16 },
    { header: '操作', key: 'action', width: 12 },
    { header: '原状态', key: 'from', width: 12 },
    { header: '新状态', key: 'to', width: 12 },
    { header: '理由/说明', key: 'reason', width: 50 },
    { header: '期限', key: 'deadline', width: 12 },
    { header: '结论', key: 'decision', width: 14 },
  ];
  for (const e of detail.history) {
    history.addRow({
      time: localTime(e.time),
      actor: e.actor,
      role: e.user_role ?? e.role,
      action: ACTION_LABEL[e.action as ReviewAction] ?? e.action,
      from: STATUS_LABEL[e.from_status as ReviewStatus] ?? e.from_status,
      to: STATUS_LABEL[e.to_status as ReviewStatus] ?? e.to_status,
      reason: e.reason,
      deadline: e.deadline,
      decision: e.decision ? DECISION_LABEL[e.decision as FinalDecision] : null,
    });
  }
  history.getRow(1).font = { bold: true };

  const explanation = wb.addWorksheet('科室说明');
  explanation.columns = [
    { header: '科室', key: 'dept', width: 16 },
    { header: '说明人', key: 'by', width: 22 },
    { header: '说明时间', key: 'at', width: 20 },
    { header: '说明内容', key: 'text', width: 80 },
  ];
  if (item.explanation) explanation.addRow({ dept: [item.department, item.department_name].filter(Boolean).join(' '), by: item.explained_by, at: localTime(item.explained_at), text: item.explanation });
  explanation.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
