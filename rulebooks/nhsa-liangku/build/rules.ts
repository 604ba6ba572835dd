/**
 * The rule base of the national rulebook: one rule per batch file (batch03 gives two), with
 * the official codes and names of NHSA framework 1.0 and, for the three 2025 rule types that
 * have no 1.0 code, ids of our own (documented in this folder's README).
 */
import type { RuleDef } from '@preaudit/core-rules';
import { RULES_H10 } from './rules-h10.js';
import { RULES_INDICATIONS } from './rules-indications.js';
import { RULES_BOOK } from './rules-book.js';

/** Policy basis text for batch `n` (第一批 … 第八批). */
function basis(n: number, part?: string): string {
  const cn = ['', '一', '二', '三', '四', '五', '六', '七', '八'][n];
  return `国家医保局智能监管“两库”知识点第${cn}批${part ? `（${part}）` : ''}`;
}

const ALL_PHASES: RuleDef['phases'] = ['事前', '事中', '事后'];

/** Fields every national rule shares. */
function rule(def: Omit<RuleDef, 'sev_deg' | 'result_type' | 'phases'>): RuleDef {
  return {
    id: def.id,
    name: def.name,
    category: def.category,
    sev_deg: '1',
    result_type: '明确违规',
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

/** Own ids for the 2025 rule types without a framework-1.0 code. */
const OWN_IDS = {
  visitType: 'NHSA2025-YPXJYFS',
  itemAge: 'NHSA2025-XMXNL',
  itemPeriod: 'NHSA2025-XMZQCPC',
} as const;

/** The rules, in batch order. */
export const RULES: RuleDef[] = [
  rule({
    id: 'GZ10000301004000',
    name: '药品区分性别使用',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}使用，患者性别为{actual}',
    basis: basis(1),
    template: 'sex-limit',
    knowledge: 'drug_gender',
  }),
  rule({
    id: 'GZ10000302004000',
    name: '医疗服务项目区分性别使用',
    category: '医疗服务项目',
    window: '当次就诊',
    message: '「{point}」限{limit}使用，患者性别为{actual}',
    basis: basis(1),
    template: 'sex-limit',
    knowledge: 'item_gender',
  }),
  rule({
    id: 'GZ10000301002000',
    name: '药品儿童专用',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」为{limit}专用药品，患者年龄为{actual}岁',
    basis: basis(1),
    template: 'age-limit',
    params: { max_age: 18 },
    knowledge: 'drug_children_only',
  }),
  rule({
    id: 'GZ10000302003000',
    name: '医疗服务项目儿童专用',
    category: '医疗服务项目',
    window: '当次就诊',
    message: '「{point}」为{limit}专用项目，患者年龄为{actual}岁',
    basis: basis(1),
    template: 'age-limit',
    params: { max_age: 18 },
    knowledge: 'item_children_only',
  }),
  rule({
    id: 'GZ10000102002000',
    name: '手术项目未按规定折价收费',
    category: '医疗服务项目',
    window: '单日',
    message: '「{item}」与同日{group}其他手术同时施行，应按标准价{standard}元的{ratio}计收，实际收费{actual}元',
    basis: basis(2),
    template: 'surgery-discount',
    params: { ratio: 0.5 },
    knowledge: 'surgery_discount',
  }),
  rule({
    // New with the 2026-01 revision: ten of its points moved here from 药品儿童专用 (batch 1).
    id: 'GZ10000101007000',
    name: '药品限儿童使用',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}使用，患者年龄为{actual}岁',
    basis: '国家医保局智能监管“两库”知识点（2026年1月修订）',
    template: 'age-limit',
    params: { max_age: 18 },
    knowledge: 'drug_children_payment',
    effective_from: '2026-01-28',
  }),
  rule({
    id: 'GZ10000101001000',
    name: '药品限工伤保险',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}支付，本次就诊险种为{actual}',
    basis: basis(3),
    template: 'insurance-type-limit',
    knowledge: 'drug_insurance_injury',
  }),
  rule({
    id: 'GZ10000101002000',
    name: '药品限生育保险',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}支付，本次就诊险种为{actual}',
    basis: basis(3),
    template: 'insurance-type-limit',
    knowledge: 'drug_insurance_maternity',
  }),
  rule({
    id: OWN_IDS.visitType,
    name: '药品限就医方式',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}患者支付，本次就医方式为{actual}',
    basis: basis(4),
    template: 'visit-type-limit',
    knowledge: 'drug_visit_type',
  }),
  rule({
    id: 'GZ10000101012000',
    name: '药品限医疗机构级别',
    category: '药品',
    window: '当次就诊',
    message: '「{point}」限{limit}及以上医疗机构使用，本机构等级为{actual}',
    basis: basis(5),
    template: 'hospital-tier-limit',
    knowledge: 'drug_hospital_tier',
  }),
  rule({
    id: 'GZ10000101010000',
    name: '药品限支付疗程',
    category: '药品',
    window: '患者历次就诊（累计天数）；知识点注明「单次住院」的按单次住院（mdtrt_id）计',
    message: '「{point}」{window}支付不超过{limit}天，患者{window}已使用{actual}天',
    basis: basis(6),
    template: 'payable-days',
    knowledge: 'drug_payable_days',
  }),
  rule({
    id: 'GZ10000102012000',
    name: '医疗服务项目重复收费',
    category: '医疗服务项目',
    window: '单日 / 单次就诊 / N小时 / 同一小时（按知识点）',
    message: '「{main}」已包含「{sub}」，{window}内不得重复收费',
    basis: basis(7),
    template: 'pair-exclusion',
    knowledge: 'item_duplicate_billing',
  }),
  rule({
    id: 'GZ10000102014000',
    name: '医疗服务项目限定频次',
    category: '医疗服务项目',
    window: '单日',
    message: '「{point}」单日最多计费{limit}{unit}，{date}计费{actual}{unit}',
    basis: basis(8, '限定频次'),
    template: 'daily-count',
    knowledge: 'item_daily_count',
  }),
  rule({
    id: OWN_IDS.itemAge,
    name: '医疗服务项目限年龄',
    category: '医疗服务项目',
    window: '当次就诊',
    message: '「{point}」限法定就业年龄内（{limit}）参保人，患者年龄为{actual}岁',
    basis: basis(8, '限年龄'),
    template: 'age-limit',
    params: { max_age: 60 },
    knowledge: 'item_age_limit',
  }),
  rule({
    id: 'GZ10000102010000',
    name: '医疗服务项目限支付疗程',
    category: '医疗服务项目',
    window: '患者历次就诊（疗程）',
    message: '「{point}」{kind}不符合支付疗程规定（限{limit}天，实际{actual}天）',
    basis: basis(8, '限支付疗程'),
    template: 'item-course',
    knowledge: 'item_course',
  }),
  rule({
    id: OWN_IDS.itemPeriod,
    name: '医疗服务项目周期超频次',
    category: '医疗服务项目',
    window: 'N 天滚动（按知识点）',
    message: '「{point}」{period}天内限{limit}次，实际{actual}次',
    basis: basis(8, '周期频次'),
    template: 'rolling-count',
    knowledge: 'item_period_count',
  }),
  ...RULES_H10,
  ...RULES_INDICATIONS,
  ...RULES_BOOK,
];
