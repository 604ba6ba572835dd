/**
 * Knowledge tables of the 2025-book rules in rules-book.ts: which order field holds the price for
 * each hospital tier, the ATC classes 重复开药 does not judge, the main-diagnosis categories
 * 分解住院 does not judge. Each row names its source.
 */
import type { KnowledgeTable } from './tables.js';

/** Tables of this file: their rows carry no national codes. */
export const BOOK_TABLES: ReadonlySet<string> = new Set(['item_price_level', 'drug_duplicate_class_exempt', 'readmission_exempt']);

const PRICE_SOURCE = '国家医保接口 3101/3102 明细字段 lv1/lv2/lv3_hosp_item_pric（一级/二级/三级医院目录价格）与 hilist_pric（医保目录价格）；医疗机构等级按 medins_lv 国家代码表';

/** 医疗服务项目超限定单价收费: hospital tier → the order field with its price. */
function itemPriceLevel(): KnowledgeTable {
  const rows = [
    { name: '三级医疗机构', tier: '3', price_field: 'lv3_hosp_item_pric', label: '三级医院价格', source: PRICE_SOURCE },
    { name: '二级医疗机构', tier: '2', price_field: 'lv2_hosp_item_pric', label: '二级医院价格', source: PRICE_SOURCE },
    { name: '一级医疗机构', tier: '1', price_field: 'lv1_hosp_item_pric', label: '一级医院价格', source: PRICE_SOURCE },
    { name: '无等级医疗机构', tier: '0', price_field: '', label: '医保目录价格', source: `${PRICE_SOURCE}；无等级（medins_lv 11）无对应等级价格，按医保目录价格` },
  ];
  return { id: 'item_price_level', source: 'build/tables-book.ts (3101 price fields by hospital tier)', columns: ['name', 'tier', 'price_field', 'label', 'source'], rows };
}

/** 重复开药: ATC prefixes whose generics are combined by design (solvents, infusions, nutrition). */
function duplicateClassExempt(): KnowledgeTable {
  const rows = [
    {
      name: '血液代用品和灌注液',
      atc_prefix: 'B05',
      reason: '输液、溶媒、电解质与肠外营养（氨基酸、脂肪乳、葡萄糖、氯化钠、氯化钾）按配方联合使用，不构成同类药品重复',
      source: 'WHO ATC B05 Blood substitutes and perfusion solutions',
    },
    {
      name: '其他非治疗产品（溶媒、稀释剂）',
      atc_prefix: 'V07',
      reason: '注射用水等溶媒随药配用，不是治疗药品',
      source: 'WHO ATC V07 All other non-therapeutic products',
    },
  ];
  return { id: 'drug_duplicate_class_exempt', source: 'build/tables-book.ts (WHO ATC/DDD Index)', columns: ['name', 'atc_prefix', 'reason', 'source'], rows };
}

/** 分解住院: main-diagnosis categories of planned repeated stays. */
function readmissionExempt(): KnowledgeTable {
  const rows = [
    {
      name: '为肿瘤放疗、化疗等其他医疗照顾入院',
      category: 'Z51',
      reason: '放疗、化疗按疗程周期规律再入院，不属分解住院',
      source: 'ICD-10 Z51 Other medical care（Z51.0 放疗疗程、Z51.1 化疗疗程）',
    },
  ];
  return { id: 'readmission_exempt', source: 'build/tables-book.ts (ICD-10 Z51)', columns: ['name', 'category', 'reason', 'source'], rows };
}

/** The tables, unsorted. */
export function tablesBook(): KnowledgeTable[] {
  return [itemPriceLevel(), duplicateClassExempt(), readmissionExempt()];
}
