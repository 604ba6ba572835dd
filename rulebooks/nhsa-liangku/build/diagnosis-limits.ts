/**
 * 诊断与患者性别不符 / 诊断与患者年龄不符: ICD-10 categories that the classification itself
 * restricts to one sex or an age, as ranges over the national (医保版) ICD-10 codes, which keep
 * the WHO categories (N40.x00 is in N40). NHSA publishes no knowledge points for these rules.
 * Sources: the chapter and block titles of ICD-10 (WHO 2019, 国家医保版 2.0 keeps them) —
 * blocks named for one sex's organs (「男性生殖器官」「女性生殖器官」) or for pregnancy, and
 * chapter XVI (P00–P96, conditions originating in the perinatal period) — and, for sex, the
 * WHO ICD-10 Volume 2 (2019) §4.2.5 list of categories "limited to one sex". The age bounds of
 * the pregnancy chapter (12–55) are this rulebook's plausibility bounds, not a WHO number; they
 * are columns of the table, so a bureau can change them.
 */
import type { KnowledgeTable } from './tables.js';

interface RangeDef {
  name: string;
  from: string;
  to?: string;
  sex?: '1' | '2';
  min?: number;
  max?: number;
  source: string;
}

const V1 = 'ICD-10 第一卷（WHO 2019）类目标题';
const V2 = 'ICD-10 第二卷 4.2.5 限于一种性别的类目';

/** Categories restricted to one sex. */
const SEX_RANGES: RangeDef[] = [
  { name: '妊娠、分娩和产褥期（第十五章）', from: 'O00', to: 'O99', sex: '2', source: `${V1}：第十五章 O00–O99；${V2}` },
  { name: '女性生殖器官恶性肿瘤', from: 'C51', to: 'C58', sex: '2', source: `${V1}：C51–C58；${V2}` },
  { name: '子宫颈原位癌', from: 'D06', sex: '2', source: `${V1}：D06；${V2}` },
  { name: '女性生殖器官原位癌', from: 'D070', to: 'D073', sex: '2', source: `${V1}：D07.0–D07.3；${V2}` },
  { name: '子宫、卵巢及其他女性生殖器官良性肿瘤', from: 'D25', to: 'D28', sex: '2', source: `${V1}：D25–D28；${V2}` },
  { name: '女性生殖器官动态未定或动态未知的肿瘤', from: 'D39', sex: '2', source: `${V1}：D39；${V2}` },
  { name: '卵巢功能障碍', from: 'E28', sex: '2', source: `${V1}：E28；${V2}` },
  { name: '女性盆腔器官炎性疾病及女性生殖道非炎性疾患', from: 'N70', to: 'N98', sex: '2', source: `${V1}：N70–N77、N80–N98；${V2}` },
  { name: '女性生殖器官先天性畸形', from: 'Q50', to: 'Q52', sex: '2', source: `${V1}：Q50–Q52；${V2}` },
  { name: '女性生殖器官标本的异常所见', from: 'R87', sex: '2', source: `${V1}：R87；${V2}` },
  { name: '与妊娠、分娩有关的健康服务', from: 'Z32', to: 'Z37', sex: '2', source: `${V1}：Z32–Z37；${V2}` },
  { name: '产后医疗照顾和检查', from: 'Z39', sex: '2', source: `${V1}：Z39；${V2}` },
  { name: '男性生殖器官恶性肿瘤', from: 'C60', to: 'C63', sex: '1', source: `${V1}：C60–C63；${V2}` },
  { name: '男性生殖器官原位癌', from: 'D074', to: 'D076', sex: '1', source: `${V1}：D07.4–D07.6；${V2}` },
  { name: '男性生殖器官良性肿瘤', from: 'D29', sex: '1', source: `${V1}：D29；${V2}` },
  { name: '男性生殖器官动态未定或动态未知的肿瘤', from: 'D40', sex: '1', source: `${V1}：D40；${V2}` },
  { name: '睾丸功能障碍', from: 'E29', sex: '1', source: `${V1}：E29；${V2}` },
  { name: '男性生殖器官疾病', from: 'N40', to: 'N51', sex: '1', source: `${V1}：N40–N51；${V2}` },
  { name: '男性生殖器官先天性畸形', from: 'Q53', to: 'Q55', sex: '1', source: `${V1}：Q53–Q55；${V2}` },
  { name: '男性生殖器官标本的异常所见', from: 'R86', sex: '1', source: `${V1}：R86；${V2}` },
];

/** Categories restricted by age (full years at admission, bounds included). */
const AGE_RANGES: RangeDef[] = [
  { name: '起源于围生期的某些情况（第十六章）', from: 'P00', to: 'P96', max: 0, source: `${V1}：第十六章 P00–P96；围生期起源的情况限婴儿（不满1周岁）` },
  { name: '婴儿猝死综合征', from: 'R95', max: 0, source: `${V1}：R95 婴儿猝死综合征（不满1周岁）` },
  { name: '按出生地点分类的活产婴儿', from: 'Z38', max: 0, source: `${V1}：Z38 活产婴儿（不满1周岁）` },
  { name: '妊娠、分娩和产褥期（第十五章）', from: 'O00', to: 'O99', min: 12, max: 55, source: `${V1}：第十五章 O00–O99；年龄界12–55岁为本规则库取值（可调）` },
];

const COLUMNS = ['name', 'code_from', 'code_to', 'sex', 'min_age', 'max_age', 'source'];

function rows(defs: RangeDef[]): Array<Record<string, string>> {
  return defs.map((d) => ({
    name: d.name,
    code_from: d.from,
    code_to: d.to ?? d.from,
    sex: d.sex ?? '',
    min_age: d.min === undefined ? '' : String(d.min),
    max_age: d.max === undefined ? '' : String(d.max),
    source: d.source,
  }));
}

/** The sex table. */
export function diagnosisSex(): KnowledgeTable {
  return { id: 'diagnosis_sex', source: 'ICD-10（WHO 2019）第一卷类目标题、第二卷 4.2.5；见 build/diagnosis-limits.ts', columns: COLUMNS, rows: rows(SEX_RANGES) };
}

/** The age table. */
export function diagnosisAge(): KnowledgeTable {
  return { id: 'diagnosis_age', source: 'ICD-10（WHO 2019）第一卷第十五、十六章及 R95、Z38；见 build/diagnosis-limits.ts', columns: COLUMNS, rows: rows(AGE_RANGES) };
}
