/**
 * Three rules of the 2025 book (《医疗保障基金智能监管规则库、知识库（2025年版）》) that order and
 * encounter data alone can check, with no NHSA knowledge batch: 医疗服务项目超限定单价收费,
 * 重复开药, 分解住院. Official names and 1.0 codes from source/2026/rule_catalog_2025.csv (rows 14,
 * 69, 49). Their knowledge tables (tables-book.ts) hold parameters and reviewed exemptions.
 */
import type { RuleDef } from '@preaudit/core-rules';

const ALL_PHASES: RuleDef['phases'] = ['事前', '事中', '事后'];

/** Days from a discharge within which a readmission with the same main-diagnosis category is 可疑. */
const READMISSION_DAYS = 15;

function rule(def: Omit<RuleDef, 'result_type' | 'phases'>): RuleDef {
  return {
    id: def.id,
    name: def.name,
    category: def.category,
    sev_deg: def.sev_deg,
    result_type: def.sev_deg === '1' ? '明确违规' : def.sev_deg === '2' ? '高度可疑' : '轻度可疑',
    phases: ALL_PHASES,
    window: def.window,
    message: def.message,
    basis: def.basis,
    template: def.template,
    params: def.params ?? {},
    knowledge: def.knowledge,
  };
}

/** The rules, appended to RULES. */
export const RULES_BOOK: RuleDef[] = [
  rule({
    id: 'GZ10000102001000',
    name: '医疗服务项目超限定单价收费',
    category: '医疗服务项目',
    sev_deg: '1',
    window: '单条明细',
    message: '「{item}」收费单价{actual}，超过{limit}（{tier}），超出{excess}元',
    basis: '《医疗保障基金使用监督管理条例》第十五条（不得超标准收费）；医疗服务项目按医疗机构等级对应价格（一级/二级/三级医院价格）计价，无等级价格时按医保目录价格',
    template: 'item-price-limit',
    knowledge: 'item_price_level',
  }),
  rule({
    id: 'GZ10000301006000',
    name: '重复开药',
    category: '药品',
    sev_deg: '2',
    window: '同一处方（处方号，无处方号按同日），用药日期重叠',
    message: '「{item}」与同一处方中的{other}同属药理分类 ATC {class}（不同通用名），用药日期重叠',
    basis: '《处方管理办法》第六条（同类药品不宜重复使用）；ATC 第四级分类取自国家医保药品代码第2–6位',
    template: 'duplicate-class',
    knowledge: 'drug_duplicate_class_exempt',
  }),
  rule({
    id: 'GZ10000204001000',
    name: '分解住院',
    category: '住院',
    sev_deg: '2',
    window: `同一医疗机构，前次出院后${READMISSION_DAYS}日内（含）`,
    message: '本次住院主诊断「{diagnosis_name}」（{diagnosis}）与前次住院（{previous}，{discharge}出院）主诊断同属 {category} 类目，间隔{days}日，疑似分解住院',
    basis: '《医疗保障基金使用监督管理条例》第十五条（不得分解住院）；15日内因同一疾病再次入院按分解住院审核的地方口径见本规则库 README',
    template: 'readmission',
    params: { max_days: READMISSION_DAYS },
    knowledge: 'readmission_exempt',
  }),
];
