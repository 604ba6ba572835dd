/**
 * Rules of batches 10–11 (2026) and four crisp rules of the 2025 book that order and diagnosis
 * data alone can check: 中药饮片配伍禁忌, 诊断与患者性别不符, 诊断与患者年龄不符. Official names and
 * codes from source/2026/rule_catalog_2025.csv and index.csv; 超互联网医院药品支付范围 has no
 * framework-1.0 code, so its id is ours (README, "Own ids").
 */
import type { RuleDef } from '@preaudit/core-rules';

const ALL_PHASES: RuleDef['phases'] = ['事前', '事中', '事后'];

/** Own id of 超互联网医院药品支付范围 (pinyin initials of the official name). */
export const INTERNET_RULE_ID = 'NHSA2025-CHLWYYYPZFFW';

/**
 * How an internet (互联网诊疗 / 互联网医院) encounter is marked: encounter field → values. The
 * national settlement interfaces (2201 挂号, 2206/2207 结算) carry 就诊方式 `mdtrt_mode`, "0"
 * 线下就诊; regions that settle internet visits under their own 医疗类别 add it under `med_type`.
 * A rule parameter, so a site changes it in its rulebook overlay, not in code.
 */
const INTERNET_ENCOUNTER_FIELDS = { mdtrt_mode: ['1'] } as const;

function rule(def: Omit<RuleDef, 'result_type' | 'phases' | 'sev_deg'> & { sev_deg?: RuleDef['sev_deg'] }): RuleDef {
  const sev = def.sev_deg ?? '1';
  return {
    id: def.id,
    name: def.name,
    category: def.category,
    sev_deg: sev,
    result_type: sev === '1' ? '明确违规' : '高度可疑',
    phases: ALL_PHASES,
    window: def.window,
    message: def.message,
    basis: def.basis,
    template: def.template,
    params: def.params ?? {},
    knowledge: def.knowledge,
    ...(def.effective_from ? { effective_from: def.effective_from } : {}),
  };
}

/** The rules, appended to RULES. */
export const RULES_H10: RuleDef[] = [
  rule({
    id: INTERNET_RULE_ID,
    name: '超互联网医院药品支付范围',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」为麻醉药品、精神药品，不得在{limit}时开具（{actual}）',
    basis: '国家医保局智能监管“两库”知识点第十批；《互联网诊疗管理办法（试行）》：不得开具麻醉药品、精神药品等特殊管理药品的处方',
    template: 'code-list',
    params: { encounter_fields: INTERNET_ENCOUNTER_FIELDS, scope_label: '互联网诊疗' },
    knowledge: 'drug_internet_hospital',
  }),
  rule({
    id: 'GZ10000101003000',
    name: '中药饮片单复方均不予支付',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」为不得纳入基金支付范围的中药饮片，单方、复方均不予支付',
    basis: '国家医保局智能监管“两库”知识点第十一批',
    template: 'code-list',
    params: { skip_self_paid: true },
    knowledge: 'herb_never_payable',
  }),
  rule({
    id: 'GZ10000101004000',
    name: '中药饮片单方使用不予支付',
    category: '药品',
    window: '同一处方（处方号，无处方号按同日）',
    message: '「{point}」{limit}（{actual}）',
    basis: '国家医保局智能监管“两库”知识点第十一批',
    template: 'prescription-all-in-list',
    knowledge: 'herb_single_use',
  }),
  rule({
    id: 'GZ10000301012000',
    name: '中药饮片配伍禁忌',
    category: '药品',
    window: '同一处方（处方号，无处方号按同日）',
    sev_deg: '2',
    message: '{kind}：「{point}」，同一处方中另有{other}',
    basis: '十八反、十九畏；《中华人民共和国药典》（2020年版）一部各药【注意】',
    template: 'prescription-pair',
    knowledge: 'herb_incompatibility',
  }),
  rule({
    id: 'GZ10000204006000',
    name: '诊断与患者性别不符',
    category: '诊断',
    window: '当次就诊',
    message: '诊断「{diagnosis_name}」（{diagnosis}）属{point}，限{limit}，患者性别为{actual}',
    basis: 'ICD-10 限于一种性别的类目',
    template: 'diagnosis-limit',
    knowledge: 'diagnosis_sex',
  }),
  rule({
    id: 'GZ10000204007000',
    name: '诊断与患者年龄不符',
    category: '诊断',
    window: '当次就诊',
    message: '诊断「{diagnosis_name}」（{diagnosis}）属{point}，限{limit}，患者年龄为{actual}',
    basis: 'ICD-10 限于年龄段的类目',
    template: 'diagnosis-limit',
    knowledge: 'diagnosis_age',
  }),
];
