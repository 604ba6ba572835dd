/** What the reminder needs from a 3101/3102 reply: findings sorted by severity, with the limit and basis pulled out of the evidence. */

/** 严重程度 sev_deg. */
export const SEVERITY: Readonly<Record<string, string>> = Object.freeze({ '1': '明确违规', '2': '高度可疑', '3': '轻度可疑' });

/** One finding (`output.result[]` of a national reply), the fields the modal shows. */
export interface NationalFinding {
  jr_id: string;
  rule_id?: string;
  rule_name?: string;
  vola_cont?: string;
  vola_evid?: string;
  vola_amt?: number;
  sev_deg?: string;
  judge_result_detail_dtos?: Array<{ rx_id?: string }>;
}

/** A finding as the modal lists it. */
export interface ReminderItem {
  id: string;
  severity: string;
  severityText: string;
  rule: string;
  item: string;
  limit: string;
  basis: string;
  message: string;
  amount: number;
  rxIds: string[];
}

/** The `key：value` parts of vola_evid (知识点：…；医保编码：…；项目：…；限定：…；实际：…). */
export function evidenceParts(evidence: string | undefined): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const piece of (evidence ?? '').split(/[；;]/)) {
    const m = /^\s*([^：:]+)[：:](.*)$/.exec(piece);
    if (m) parts[m[1].trim()] = m[2].trim();
  }
  return parts;
}

/** The findings of a reply, most severe first (stable within a severity). */
export function reminderItems(findings: readonly NationalFinding[]): ReminderItem[] {
  return findings
    .map((f) => {
      const ev = evidenceParts(f.vola_evid);
      const severity = f.sev_deg && SEVERITY[f.sev_deg] ? f.sev_deg : '3';
      return {
        id: f.jr_id,
        severity,
        severityText: SEVERITY[severity],
        rule: f.rule_name ?? f.rule_id ?? '',
        item: ev['项目'] ?? ev['知识点'] ?? '',
        limit: ev['限定'] ?? '',
        basis: [f.rule_name, f.rule_id].filter(Boolean).join(' · ') + (ev['医保编码'] ? `（医保编码 ${ev['医保编码']}）` : ''),
        message: f.vola_cont ?? '',
        amount: typeof f.vola_amt === 'number' ? f.vola_amt : 0,
        rxIds: (f.judge_result_detail_dtos ?? []).map((d) => d.rx_id ?? '').filter(Boolean),
      };
    })
    .sort((a, b) => Number(a.severity) - Number(b.severity));
}
