/**
 * The generated hospital's price list: real national codes from the knowledge tables of the
 * national rulebook (@preaudit/nhsa-liangku: the NHSA 两库 batches 1–8, drugs and service items
 * that the national rules limit) mixed with common drugs, items and consumables outside them. The outside codes are synthetic but shaped like national codes
 * (23-character western drugs, 15-digit service items, 27-character consumables) and checked
 * not to collide with a real one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvObjects } from '@preaudit/core-rules';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

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
  type: '101' | '102' | '201' | '301';
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

/** The knowledge tables the catalog is drawn from (ids of the national rulebook's manifest). */
const TABLES = [
  'drug_gender',
  'drug_children_only',
  'drug_insurance_injury',
  'drug_insurance_maternity',
  'drug_visit_type',
  'drug_hospital_tier',
  'drug_payable_days',
  'item_gender',
  'item_children_only',
  'surgery_discount',
  'item_daily_count',
  'item_duplicate_billing',
  'item_age_limit',
  'item_course',
  'item_period_count',
  'drug_internet_hospital',
  'herb_never_payable',
  'herb_single_use',
  'drug_children_payment',
  'drug_second_line',
  'drug_indication',
] as const;
type TableId = (typeof TABLES)[number];

/** Reads every table the catalog needs from the rulebook folder, by the file its manifest names. */
function readTables(dir: string): Record<TableId, Record<string, string>[]> {
  const manifestPath = join(dir, 'rulebook.json');
  let knowledge: Record<string, { file?: unknown } | undefined>;
  try {
    knowledge = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { knowledge?: typeof knowledge }).knowledge ?? {};
  } catch (err) {
    throw new Error(`national rulebook not readable at ${manifestPath}: ${(err as Error).message}`);
  }
  const out = {} as Record<TableId, Record<string, string>[]>;
  for (const id of TABLES) {
    const file = knowledge[id]?.file;
    if (typeof file !== 'string') throw new Error(`${manifestPath}: knowledge.${id} is missing; the generator needs the national tables (${TABLES.join(', ')})`);
    out[id] = parseCsvObjects(readFileSync(join(dir, file), 'utf8')).map((r) => r.row);
  }
  return out;
}

const COMMON_DRUGS: Array<[string, number, string]> = [
  ['阿莫西林胶囊', 12.5, '盒'],
  ['头孢克肟片', 28, '盒'],
  ['左氧氟沙星片', 22, '盒'],
  ['0.9%氯化钠注射液', 4.2, '袋'],
  ['5%葡萄糖注射液', 4.8, '袋'],
  ['奥美拉唑肠溶胶囊', 18, '盒'],
  ['硝苯地平控释片', 32, '盒'],
  ['二甲双胍片', 9.6, '盒'],
  ['阿托伐他汀钙片', 36, '盒'],
  ['布洛芬缓释胶囊', 15, '盒'],
  ['氨溴索口服溶液', 19, '瓶'],
  ['头孢曲松钠注射剂', 16, '支'],
  ['地塞米松磷酸钠注射液', 1.5, '支'],
  ['蒙脱石散', 14, '盒'],
  ['复方甘草片', 6, '瓶'],
  ['阿司匹林肠溶片', 16.8, '盒'],
  ['氯沙坦钾片', 38, '盒'],
  ['胰岛素注射液', 58, '支'],
  ['甲硝唑氯化钠注射液', 7.5, '瓶'],
  ['维生素C片', 3, '瓶'],
];
const COMMON_ITEMS: Array<[string, number, string]> = [
  ['门诊诊查费', 15, '次'],
  ['血常规检查', 20, '次'],
  ['尿常规检查', 10, '次'],
  ['肝功能检查', 60, '次'],
  ['肾功能检查', 45, '次'],
  ['血糖测定', 8, '次'],
  ['心电图检查', 25, '次'],
  ['胸部X线摄影', 80, '次'],
  ['腹部彩色多普勒超声', 150, '次'],
  ['头颅CT平扫', 260, '次'],
  ['静脉输液', 12, '次'],
  ['肌肉注射', 4, '次'],
  ['换药', 20, '次'],
  ['雾化吸入', 15, '次'],
  ['静脉采血', 5, '次'],
  ['C反应蛋白测定', 30, '次'],
];
const CONSUMABLES: Array<[string, number, string]> = [
  ['一次性使用输液器', 6, '套'],
  ['一次性使用无菌注射器', 1.2, '支'],
  ['医用外科口罩', 1, '个'],
  ['医用纱布块', 3, '包'],
  ['一次性使用导尿包', 35, '套'],
  ['静脉留置针', 18, '支'],
  ['医用胶带', 4, '卷'],
  ['一次性使用吸痰管', 5, '根'],
];

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * Loads the catalog from the knowledge tables of a rulebook folder: by default the bundled
 * national rulebook; `dir` may name another folder with the same tables (a rebuilt or newer
 * national rulebook). Deterministic: the tables are sorted and there is no randomness here.
 */
export function loadCatalog(dir: string = NATIONAL_RULEBOOK_DIR): Catalog {
  const tables = readTables(dir);
  const byCode = new Map<string, CatalogItem>();
  let hosp = 0;
  const add = (code: string, name: string, type: CatalogItem['type'], price: number, unit: string, national: boolean, tags: ItemTags): CatalogItem => {
    code = code.trim();
    const existing = byCode.get(code);
    if (existing) {
      Object.assign(existing.tags, tags);
      return existing;
    }
    const item: CatalogItem = { code, name: name.trim(), type, price, unit, national, hospCode: `H${String(++hosp).padStart(6, '0')}`, tags: { ...tags } };
    byCode.set(code, item);
    return item;
  };
  // Prices of national items are derived from the code so they are stable across runs.
  const priceOf = (code: string, lo: number, hi: number) => {
    let h = 0;
    for (let i = 0; i < code.length; i++) h = (h * 31 + code.charCodeAt(i)) >>> 0;
    return Math.round((lo + ((h % 1000) / 1000) * (hi - lo)) * 100) / 100;
  };
  const codesOf = (row: Record<string, string>) => (row.codes ?? '').split('|').filter((c) => c.trim() !== '');
  /** Every code of every point of a table, one catalog item each. */
  const points = (
    id: TableId,
    type: CatalogItem['type'],
    lo: number,
    hi: number,
    unit: string,
    tagOf: (row: Record<string, string>) => ItemTags,
    each?: (item: CatalogItem, row: Record<string, string>) => void,
  ) => {
    for (const row of tables[id]) {
      for (const code of codesOf(row)) {
        const item = add(code, row.name, type, priceOf(code, lo, hi), unit, true, tagOf(row));
        each?.(item, row);
      }
    }
  };
  const sex = (row: Record<string, string>): ItemTags => ({ sex: row.sex === '1' ? '1' : '2' });
  points('drug_gender', '101', 3, 280, '盒', sex);
  points('drug_children_only', '101', 3, 280, '盒', () => ({ children: true }));
  points('drug_insurance_injury', '101', 3, 280, '盒', () => ({ insurance: 'injury' }));
  points('drug_insurance_maternity', '101', 3, 280, '盒', () => ({ insurance: 'maternity' }));
  points('drug_visit_type', '101', 3, 280, '盒', () => ({ inpatientOnly: true }));
  points('drug_hospital_tier', '101', 3, 280, '盒', (r) => ({ minTier: Number(r.min_tier) >= 3 ? 3 : 2 }));
  points('drug_payable_days', '101', 3, 280, '盒', (r) => ({ maxDays: parseInt(r.max_days, 10) || 14 }));
  points('item_gender', '201', 20, 600, '次', sex);
  points('item_children_only', '201', 20, 300, '次', () => ({ children: true }));
  const surgery = new Map<string, CatalogItem[]>();
  points(
    'surgery_discount',
    '201',
    800,
    6000,
    '次',
    (r) => ({ surgeryGroup: r.group }),
    (item, r) => {
      const list = surgery.get(r.group) ?? [];
      list.push(item);
      surgery.set(r.group, list);
    },
  );
  const daily: CatalogItem[] = [];
  for (const r of tables.item_daily_count) {
    const perDay = r.unit === '日' || r.unit === '天';
    for (const code of codesOf(r)) {
      const item = add(code, r.name, '201', priceOf(code, 8, 80), perDay ? '日' : '小时', true, { dailyMax: Number(r.max_count) || 1 });
      if (perDay && Number(r.max_count) === 1) daily.push(item);
    }
  }
  const pairs: Array<[CatalogItem, CatalogItem]> = [];
  for (const r of tables.item_duplicate_billing) {
    if (!r.main_code || !r.sub_code) continue;
    const main = add(r.main_code, r.main_name, '201', priceOf(r.main_code, 10, 400), '次', true, {});
    const sub = add(r.sub_code, r.sub_name, '201', priceOf(r.sub_code, 10, 400), '次', true, {});
    pairs.push([main, sub]);
  }
  points('item_age_limit', '201', 20, 120, '次', () => ({ ageLimit: true }));
  points('item_course', '201', 20, 120, '次', () => ({ course: true }));
  points('item_period_count', '201', 20, 120, '次', () => ({ course: true }));
  // Batches 10–11: internet-only limits and herbal slices (中药饮片, type 102), untagged: the generator
  // sends no internet visits and no herbal prescriptions, so they are in the catalog but never drawn.
  points('drug_internet_hospital', '101', 3, 280, '盒', () => ({}));
  points('herb_never_payable', '102', 5, 500, '克', () => ({}));
  points('herb_single_use', '102', 0.1, 5, '克', () => ({}));
  // 药品限儿童使用 applies from 2026-01-28 (the revision); untagged, so a generated period before it
  // never draws these codes as a limit to break.
  points('drug_children_payment', '101', 3, 280, '盒', () => ({}));
  // 药品限二线使用 / 药品限适应症 (2026 batches 9, 12–17): untagged, the generator draws no
  // diagnoses to match them, so they are never chosen as a limit to break on purpose.
  points('drug_second_line', '101', 3, 280, '盒', () => ({}));
  points('drug_indication', '101', 3, 280, '盒', () => ({}));

  const national = new Set(byCode.keys());
  const synth = (kind: 'drug' | 'item' | 'consumable', i: number): string => {
    for (let salt = 0; ; salt++) {
      const n = i * 7919 + salt * 104729;
      const code =
        kind === 'drug'
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
    // Untagged national drugs (batch-10 internet-only limits) have no limit the generator can keep or break.
    limitedDrugs: all.filter((i) => i.national && i.type === '101' && Object.keys(i.tags).length > 0),
    limitedItems: all.filter((i) => i.national && i.type === '201' && !t(i).surgeryGroup && t(i).dailyMax === undefined && (t(i).sex || t(i).children || t(i).ageLimit || t(i).course)),
    daily,
    surgery,
    pairs,
    commonDrugs,
    commonItems,
    consumables,
  };
}
