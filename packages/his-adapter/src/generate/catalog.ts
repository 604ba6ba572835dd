/**
 * The generated hospital's price list: real national codes from the NHSA 两库 batches 1–8
 * (drugs and service items that the national rules limit) mixed with common drugs, items and
 * consumables outside them. The outside codes are synthetic but shaped like national codes
 * (23-character western drugs, 15-digit service items, 27-character consumables) and checked
 * not to collide with a real one.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from '@preaudit/core-rules';

/** What the national rules say about an item (drives how often the generator breaks them). */
export interface ItemTags {
  /** Limited to sex 1 男 / 2 女. */
  sex?: '1' | '2';
  /** Children only. */
  children?: boolean;
  /** 工伤 / 生育 insurance only. */
  insurance?: 'injury' | 'maternity';
  /** Inpatient only. */
  inpatientOnly?: boolean;
  /** Minimum hospital tier. */
  minTier?: number;
  /** Payable days. */
  maxDays?: number;
  /** Surgery group (secondary operations are discounted). */
  surgeryGroup?: string;
  /** Daily maximum count (unit 日). */
  dailyMax?: number;
  /** Working-age limit. */
  ageLimit?: boolean;
  /** Course/period-limited item. */
  course?: boolean;
}

/** One line of the price list. */
export interface CatalogItem {
  /** National code. */
  code: string;
  /** Name. */
  name: string;
  /** 101 drug, 201 service item, 301 consumable. */
  type: '101' | '201' | '301';
  /** Standard price. */
  price: number;
  /** Unit. */
  unit: string;
  /** From the national knowledge base (true) or outside it. */
  national: boolean;
  /** The hospital's own code for it. */
  hospCode: string;
  /** Rule-relevant facts. */
  tags: ItemTags;
}

/** The price list, grouped the way the generator draws from it. */
export interface Catalog {
  /** Every item. */
  all: CatalogItem[];
  /** Limited drugs (national). */
  limitedDrugs: CatalogItem[];
  /** Limited service items (national), excluding daily and surgery items. */
  limitedItems: CatalogItem[];
  /** Items billed once a day in a stay (national batch 8-1, unit 日). */
  daily: CatalogItem[];
  /** Surgery items by group (national batch 2). */
  surgery: Map<string, CatalogItem[]>;
  /** Duplicate-billing pairs (main, sub) from batch 7. */
  pairs: Array<[CatalogItem, CatalogItem]>;
  /** Common drugs outside the knowledge base. */
  commonDrugs: CatalogItem[];
  /** Common service items outside the knowledge base. */
  commonItems: CatalogItem[];
  /** Consumables. */
  consumables: CatalogItem[];
}

/** Where the NHSA data lives by default: ../shared/data/nhsa-liangku beside the repository. */
export const DEFAULT_LIANGKU_DIR = fileURLToPath(new URL('../../../../../shared/data/nhsa-liangku', import.meta.url));

function read(dir: string, file: string): Record<string, string>[] {
  const path = join(dir, file);
  // The files end with a footer ("合计", "备注：…") that is not a knowledge point.
  return parseCsvObjects(readFileSync(path, 'utf8')).map((r) => r.row).filter((r) => Object.values(r).some((v) => v && v.trim()));
}

const COMMON_DRUGS: Array<[string, number, string]> = [
  ['阿莫西林胶囊', 12.5, '盒'], ['头孢克肟片', 28, '盒'], ['左氧氟沙星片', 22, '盒'], ['0.9%氯化钠注射液', 4.2, '袋'],
  ['5%葡萄糖注射液', 4.8, '袋'], ['奥美拉唑肠溶胶囊', 18, '盒'], ['硝苯地平控释片', 32, '盒'], ['二甲双胍片', 9.6, '盒'],
  ['阿托伐他汀钙片', 36, '盒'], ['布洛芬缓释胶囊', 15, '盒'], ['氨溴索口服溶液', 19, '瓶'], ['头孢曲松钠注射剂', 16, '支'],
  ['地塞米松磷酸钠注射液', 1.5, '支'], ['蒙脱石散', 14, '盒'], ['复方甘草片', 6, '瓶'], ['阿司匹林肠溶片', 16.8, '盒'],
  ['氯沙坦钾片', 38, '盒'], ['胰岛素注射液', 58, '支'], ['甲硝唑氯化钠注射液', 7.5, '瓶'], ['维生素C片', 3, '瓶'],
];
const COMMON_ITEMS: Array<[string, number, string]> = [
  ['门诊诊查费', 15, '次'], ['血常规检查', 20, '次'], ['尿常规检查', 10, '次'], ['肝功能检查', 60, '次'],
  ['肾功能检查', 45, '次'], ['血糖测定', 8, '次'], ['心电图检查', 25, '次'], ['胸部X线摄影', 80, '次'],
  ['腹部彩色多普勒超声', 150, '次'], ['头颅CT平扫', 260, '次'], ['静脉输液', 12, '次'], ['肌肉注射', 4, '次'],
  ['换药', 20, '次'], ['雾化吸入', 15, '次'], ['静脉采血', 5, '次'], ['C反应蛋白测定', 30, '次'],
];
const CONSUMABLES: Array<[string, number, string]> = [
  ['一次性使用输液器', 6, '套'], ['一次性使用无菌注射器', 1.2, '支'], ['医用外科口罩', 1, '个'], ['医用纱布块', 3, '包'],
  ['一次性使用导尿包', 35, '套'], ['静脉留置针', 18, '支'], ['医用胶带', 4, '卷'], ['一次性使用吸痰管', 5, '根'],
];

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Loads the catalog from the NHSA files (batch 1–8) in `dir`. Deterministic: no randomness here. */
export function loadCatalog(dir: string = DEFAULT_LIANGKU_DIR): Catalog {
  if (!existsSync(join(dir, 'batch01_drug_gender_codes.csv'))) {
    throw new Error(`NHSA 两库 data not found in ${dir} (expected batch01_drug_gender_codes.csv …)`);
  }
  const byCode = new Map<string, CatalogItem>();
  let hosp = 0;
  const add = (code: string, name: string, type: CatalogItem['type'], price: number, unit: string, national: boolean, tags: ItemTags): CatalogItem => {
    code = code.trim();
    const existing = byCode.get(code);
    if (existing) { Object.assign(existing.tags, tags); return existing; }
    const item: CatalogItem = { code, name: name.trim(), type, price, unit, national, hospCode: `H${String(++hosp).padStart(6, '0')}`, tags: { ...tags } };
    byCode.set(code, item);
    return item;
  };
  // Prices of national items are derived from the code so they are stable across runs.
  const priceOf = (code: string, lo: number, hi: number) => {
    let h = 0;
    for (let i = 0; i < code.length; i++) h = (h * 31 + code.charCodeAt(i)) >>> 0;
    return Math.round((lo + (h % 1000) / 1000 * (hi - lo)) * 100) / 100;
  };
  const drugRules = (rules: string, codes: string, tagOf: (rule: Record<string, string>) => ItemTags) => {
    const byName = new Map(read(dir, rules).map((r) => [r['药品通用名'], r]));
    for (const r of read(dir, codes)) {
      const rule = byName.get(r['药品通用名']);
      const code = r['国标代码'] ?? r['药品代码'];
      if (!rule || !code) continue;
      add(code, r['药品通用名'], '101', priceOf(code, 3, 280), '盒', true, tagOf(rule));
    }
  };
  drugRules('batch01_drug_gender_rules.csv', 'batch01_drug_gender_codes.csv', (r) => ({ sex: r['限定对象'] === '男' ? '1' : '2' }));
  drugRules('batch01_drug_children_only_rules.csv', 'batch01_drug_children_only_codes.csv', () => ({ children: true }));
  drugRules('batch03_drug_insurance_type_rules.csv', 'batch03_drug_insurance_type_codes.csv', (r) => ({ insurance: r['限定对象'].includes('生育') ? 'maternity' : 'injury' }));
  drugRules('batch04_drug_encounter_type_rules.csv', 'batch04_drug_encounter_type_codes.csv', () => ({ inpatientOnly: true }));
  drugRules('batch05_drug_hospital_level_rules.csv', 'batch05_drug_hospital_level_codes.csv', (r) => ({ minTier: r['限定值域'].includes('三') ? 3 : 2 }));
  drugRules('batch06_drug_max_payable_days_rules.csv', 'batch06_drug_max_payable_days_codes.csv', (r) => ({ maxDays: parseInt(r['限定值域'], 10) || 14 }));
  for (const r of read(dir, 'batch01_item_gender.csv')) add(r['国标代码'], r['项目名称'], '201', priceOf(r['国标代码'], 20, 600), '次', true, { sex: r['限定性别'] === '男' ? '1' : '2' });
  for (const r of read(dir, 'batch01_item_children_only.csv')) add(r['国标代码'], r['项目名称'], '201', priceOf(r['国标代码'], 20, 300), '次', true, { children: true });
  const surgery = new Map<string, CatalogItem[]>();
  for (const r of read(dir, 'batch02_item_secondary_surgery_discount.csv')) {
    const item = add(r['国标代码'], r['项目名称'], '201', priceOf(r['国标代码'], 800, 6000), '次', true, { surgeryGroup: r['限定值域'] });
    const list = surgery.get(r['限定值域']) ?? [];
    list.push(item);
    surgery.set(r['限定值域'], list);
  }
  const daily: CatalogItem[] = [];
  for (const r of read(dir, 'batch08-1_item_max_frequency.csv')) {
    if (!r['项目编码']) continue;
    const perDay = r['数量单位'] === '日' || r['数量单位'] === '天';
    const item = add(r['项目编码'], r['项目名称'], '201', priceOf(r['项目编码'], 8, 80), perDay ? '日' : '小时', true, { dailyMax: Number(r['限制数量']) || 1 });
    if (perDay && Number(r['限制数量']) === 1) daily.push(item);
  }
  const pairs: Array<[CatalogItem, CatalogItem]> = [];
  for (const r of read(dir, 'batch07_item_duplicate_billing_pairs.csv')) {
    if (!r['主项编码'] || !r['从项编码']) continue;
    const main = add(r['主项编码'], r['主项名称'], '201', priceOf(r['主项编码'], 10, 400), '次', true, {});
    const sub = add(r['从项编码'], r['从项名称'], '201', priceOf(r['从项编码'], 10, 400), '次', true, {});
    pairs.push([main, sub]);
  }
  for (const r of read(dir, 'batch08-2_item_age_limit.csv')) add(r['项目代码'], r['项目名称'], '201', priceOf(r['项目代码'], 20, 120), '次', true, { ageLimit: true });
  for (const r of read(dir, 'batch08-3_item_max_course_days.csv')) add(r['项目代码'], r['项目名称'], '201', priceOf(r['项目代码'], 20, 120), '次', true, { course: true });
  for (const r of read(dir, 'batch08-4_item_period_frequency.csv')) add(r['项目代码'], r['项目名称'], '201', priceOf(r['项目代码'], 20, 120), '次', true, { course: true });

  const national = new Set(byCode.keys());
  const synth = (kind: 'drug' | 'item' | 'consumable', i: number): string => {
    for (let salt = 0; ; salt++) {
      const n = i * 7919 + salt * 104729;
      const code = kind === 'drug'
        ? `XZ${ALNUM[n % 24]}${ALNUM[(n >> 3) % 24]}${String(900 + (i % 100)).padStart(3, '0')}A${String(n % 1_000_000_000_000_000).padStart(15, '0')}`.slice(0, 23)
        : kind === 'item'
          ? `0099${String(i).padStart(6, '0')}${String(salt).padStart(5, '0')}`
          : `C99${String(i).padStart(8, '0')}${String(n).padStart(16, '0')}`.slice(0, 27);
      if (!national.has(code)) return code;
    }
  };
  const commonDrugs = COMMON_DRUGS.map(([name, price, unit], i) => add(synth('drug', i), name, '101', price, unit, false, {}));
  const commonItems = COMMON_ITEMS.map(([name, price, unit], i) => add(synth('item', i), name, '201', price, unit, false, {}));
  const consumables = CONSUMABLES.map(([name, price, unit], i) => add(synth('consumable', i), name, '301', price, unit, false, {}));
  const all = [...byCode.values()];
  const t = (i: CatalogItem) => i.tags;
  return {
    all,
    limitedDrugs: all.filter((i) => i.national && i.type === '101'),
    limitedItems: all.filter((i) => i.national && i.type === '201' && !t(i).surgeryGroup && t(i).dailyMax === undefined && (t(i).sex || t(i).children || t(i).ageLimit || t(i).course)),
    daily,
    surgery,
    pairs,
    commonDrugs,
    commonItems,
    consumables,
  };
}
