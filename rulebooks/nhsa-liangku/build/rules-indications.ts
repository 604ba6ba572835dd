/**
 * 药品限二线使用 (GZ10000101005000, batch 09) and 药品限适应症 (GZ10000101008000, batches 12–17):
 * official names and codes from source/2026/index.csv and rule_catalog_2025.csv. Both 高度可疑
 * (sev_deg 2) when the diagnoses, age or visit type contradict the limit; a limit the data cannot
 * check reminds the doctor at sev_deg 3 (the template grades each finding). The knowledge tables
 * are built by build/indications.ts.
 */
import type { RuleDef } from '@preaudit/core-rules';

const ALL_PHASES: RuleDef['phases'] = ['事前', '事中', '事后'];

/** The rules, appended to RULES. */
export const RULES_INDICATIONS: RuleDef[] = [
  {
    id: 'GZ10000101005000',
    name: '药品限二线使用',
    category: '药品',
    sev_deg: '2',
    result_type: '高度可疑',
    phases: ALL_PHASES,
    window: '当次就诊（诊断）；患者历次医嘱（一线用药）',
    message: '「{point}」限二线使用，医保限定支付范围：{limit}（{actual}）',
    basis: '国家医保局智能监管“两库”知识点第九批（检出逻辑：使用了该药品，但没有一线药品使用无效或不能耐受的证据）；《国家基本医疗保险、工伤保险和生育保险药品目录》限定支付范围',
    template: 'indication-limit',
    params: { second_line: true },
    knowledge: 'drug_second_line',
    effective_from: '2026-04-21',
  },
  {
    id: 'GZ10000101008000',
    name: '药品限适应症',
    category: '药品',
    sev_deg: '2',
    result_type: '高度可疑',
    phases: ALL_PHASES,
    window: '当次就诊（诊断）',
    message: '「{point}」医保限定支付范围：{limit}（{actual}）',
    basis: '国家医保局智能监管“两库”知识点第十二至十七批（检出逻辑：使用药品的疾病诊断不符合限定支付适应症）；《国家基本医疗保险、工伤保险和生育保险药品目录》限定支付范围',
    template: 'indication-limit',
    params: {},
    knowledge: 'drug_indication',
    effective_from: '2026-05-23',
  },
];
