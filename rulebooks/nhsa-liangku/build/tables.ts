/**
 * Turns each NHSA batch file into a knowledge table in the rulebook format
 * (docs: notes/RULEBOOK_FORMAT.md): one row per knowledge point with `name`, `codes` and the
 * template's columns. Every limit value is mapped explicitly; anything unknown stops the build.
 */
import { DRUG_CODE, ITEM_CODE, SourceError, check, code, mapped, positiveInt, readSource, required, type SourceRow } from './source.js';
import { parseCourseText } from './course-text.js';
import { applyRevision, sourceDir2026 } from './revision.js';
import { NOT_CODE_UNIQUE, tablesH10 } from './tables-h10.js';
import { tablesIndications } from './indications.js';
import { BOOK_TABLES, tablesBook } from './tables-book.js';

/** A knowledge table ready to be written as knowledge/<id>.csv. */
export interface KnowledgeTable {
  /** Table id (key in rulebook.json "knowledge"). */
  id: string;
  /** Where it comes from, for rulebook.json. */
  source: string;
  /** Column order of the CSV. */
  columns: string[];
  /** Rows, by column. */
  rows: Array<Record<string, string>>;
}

/** Sex labels of the publication → national gend codes. */
const SEX: Record<string, string> = { 男: '1', 女: '2' };
/** Age-object labels of 限定年龄对象 points (the rule's max_age parameter governs all of them). */
const CHILD_OBJECTS: Record<string, string> = { 儿童: '儿童', 新生儿: '新生儿', 婴幼儿: '婴幼儿' };
/** 限定就医方式 values → allowed med_mdtrt_type codes. */
const VISIT_TYPES: Record<string, string> = { 住院: '2' };
/** 限定机构等级 values → minimum hospital tier. */
const TIERS: Record<string, string> = { 一级: '1', 二级: '2', 三级: '3' };
/** 限定保险类型 objects → [table id, allowed insutypes ('' = no medical-insurance type), label]. */
const INSURANCE: Record<string, { table: string; insutypes: string; object: string }> = {
  工伤: { table: 'drug_insurance_injury', insutypes: '', object: '工伤保险' },
  生育: { table: 'drug_insurance_maternity', insutypes: '510', object: '生育保险' },
};
/** batch07 频度 values; `<N>小时` is accepted as well. */
const PAIR_WINDOWS = new Set(['单日', '单次就诊', '同一小时']);
/** batch08-1 数量单位 values. */
const DAILY_UNITS: Record<string, string> = { 日: '日', 天: '天', 小时: '小时' };

/** Plain code-unit order: stable across machines and locales. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts rows by the given columns (code-unit order). */
function sortRows(rows: Array<Record<string, string>>, keys: readonly string[]): Array<Record<string, string>> {
  return rows.sort((x, y) => {
    for (const k of keys) {
      const c = byText(x[k] ?? '', y[k] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** A drug point from a *_rules.csv row, with its codes from *_codes.csv. */
interface DrugPoint {
  row: SourceRow;
  name: string;
  note: string;
  limit: string;
  codes: string[];
}

/**
 * Joins `<base>_rules.csv` and `<base>_codes.csv` by 药品通用名. Both files must carry the
 * expected 限定类型; a point without codes, a code row without a point, or a duplicate point
 * name is an error.
 */
function drugPoints(dir: string, base: string, limitColumn: string, codeColumn: string, kind: string): DrugPoint[] {
  const rulesFile = `${base}_rules.csv`;
  const codesFile = `${base}_codes.csv`;
  const points = new Map<string, DrugPoint>();
  for (const row of readSource(dir, rulesFile, ['药品通用名', '药品说明', '限定类型', limitColumn])) {
    const name = required(row, '药品通用名');
    check(row.cell['限定类型'] === kind, row, `限定类型 "${row.cell['限定类型']}", expected "${kind}"`);
    check(!points.has(name), row, `duplicate 药品通用名 "${name}"`);
    points.set(name, { row, name, note: row.cell['药品说明'], limit: required(row, limitColumn), codes: [] });
  }
  for (const row of readSource(dir, codesFile, ['药品通用名', '序号', codeColumn, '限定类型'])) {
    const name = required(row, '药品通用名');
    positiveInt(row, '序号');
    check(row.cell['限定类型'] === kind, row, `限定类型 "${row.cell['限定类型']}", expected "${kind}"`);
    const point = points.get(name);
    check(point !== undefined, row, `药品通用名 "${name}" has no row in ${rulesFile}`);
    const c = code(row, codeColumn, DRUG_CODE);
    if (!point.codes.includes(c)) point.codes.push(c);
  }
  for (const p of points.values()) {
    if (p.codes.length === 0) throw new SourceError(rulesFile, p.row.line, `药品通用名 "${p.name}" has no codes in ${codesFile}`);
  }
  return [...points.values()];
}

/** `codes` cell: sorted, |-separated. */
function codesCell(codes: readonly string[]): string {
  return [...codes].sort(byText).join('|');
}

/**
 * Fails when one code would sit in two rows of a table that must map a code to one point
 * (all but the surgery groups, where an operation can belong to several groups).
 */
function assertCodesUnique(table: KnowledgeTable): void {
  // A code may sit in a point and in the revision row that replaces it: their dates do not overlap.
  const seen = new Map<string, Array<Record<string, string>>>();
  const overlap = (a: Record<string, string>, b: Record<string, string>) =>
    (!a.effective_to || !b.effective_from || b.effective_from < a.effective_to) && (!b.effective_to || !a.effective_from || a.effective_from < b.effective_to);
  for (const row of table.rows) {
    for (const c of row.codes.split('|')) {
      const prev = seen.get(c) ?? [];
      const clash = prev.find((p) => overlap(p, row));
      if (clash !== undefined) throw new SourceError(table.source, 0, `code ${c} is in two points in force at once: "${clash.name}" and "${row.name}"`);
      prev.push(row);
      seen.set(c, prev);
    }
  }
}

/** batch01 药品区分性别使用. */
function drugGender(dir: string): KnowledgeTable {
  const rows = drugPoints(dir, 'batch01_drug_gender', '限定对象', '药品代码', '限定性别对象').map((p) => ({
    name: p.name,
    codes: codesCell(p.codes),
    sex: mapped(p.row, '限定对象', SEX),
    note: p.note,
  }));
  return { id: 'drug_gender', source: 'batch01_drug_gender_rules.csv + batch01_drug_gender_codes.csv', columns: ['name', 'codes', 'sex', 'note'], rows };
}

/** batch01 医疗服务项目区分性别使用. */
function itemGender(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch01_item_gender.csv', ['项目名称', '项目说明', '国标代码', '限定类型', '限定性别']).map((row) => {
    check(row.cell['限定类型'] === '限定性别对象', row, `限定类型 "${row.cell['限定类型']}", expected "限定性别对象"`);
    return { name: required(row, '项目名称'), codes: code(row, '国标代码', ITEM_CODE), sex: mapped(row, '限定性别', SEX), note: row.cell['项目说明'] };
  });
  return { id: 'item_gender', source: 'batch01_item_gender.csv', columns: ['name', 'codes', 'sex', 'note'], rows };
}

/** batch01 药品儿童专用: rows leave min/max empty so the rule's max_age parameter governs. */
function drugChildren(dir: string): KnowledgeTable {
  const rows = drugPoints(dir, 'batch01_drug_children_only', '限定对象', '国标代码', '限定年龄对象').map((p) => ({
    name: p.name,
    codes: codesCell(p.codes),
    min_age: '',
    max_age: '',
    object: mapped(p.row, '限定对象', CHILD_OBJECTS),
    note: p.note,
  }));
  return {
    id: 'drug_children_only',
    source: 'batch01_drug_children_only_rules.csv + batch01_drug_children_only_codes.csv',
    columns: ['name', 'codes', 'min_age', 'max_age', 'object', 'note'],
    rows,
  };
}

/** batch01 医疗服务项目儿童专用. */
function itemChildren(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch01_item_children_only.csv', ['项目名称', '国标代码', '限定类型', '限定对象']).map((row) => {
    check(row.cell['限定类型'] === '限定年龄对象', row, `限定类型 "${row.cell['限定类型']}", expected "限定年龄对象"`);
    return { name: required(row, '项目名称'), codes: code(row, '国标代码', ITEM_CODE), min_age: '', max_age: '', object: mapped(row, '限定对象', CHILD_OBJECTS) };
  });
  return { id: 'item_children_only', source: 'batch01_item_children_only.csv', columns: ['name', 'codes', 'min_age', 'max_age', 'object'], rows };
}

/** batch02 手术项目未按规定折价收费: one row per operation and 手术组 (an operation may sit in several groups). */
function surgeryDiscount(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch02_item_secondary_surgery_discount.csv', ['项目名称', '项目说明', '国标代码', '限定类型', '限定值域']).map((row) => {
    check(row.cell['限定类型'] === '限定主次操作', row, `限定类型 "${row.cell['限定类型']}", expected "限定主次操作"`);
    const group = required(row, '限定值域');
    check(group.endsWith('手术组'), row, `限定值域 "${group}" is not a 手术组`);
    return { name: required(row, '项目名称'), codes: code(row, '国标代码', ITEM_CODE), group };
  });
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.group}\u0000${r.codes}`;
    if (seen.has(key)) throw new SourceError('batch02_item_secondary_surgery_discount.csv', 0, `code ${r.codes} listed twice in ${r.group}`);
    seen.add(key);
  }
  return { id: 'surgery_discount', source: 'batch02_item_secondary_surgery_discount.csv', columns: ['name', 'codes', 'group'], rows };
}

/** batch03 药品限工伤保险 / 药品限生育保险, split by 限定对象 into two tables. */
function drugInsurance(dir: string): KnowledgeTable[] {
  const tables = new Map<string, KnowledgeTable>();
  for (const ins of Object.values(INSURANCE)) {
    tables.set(ins.table, {
      id: ins.table,
      source: `batch03_drug_insurance_type_rules.csv + batch03_drug_insurance_type_codes.csv (${ins.object})`,
      columns: ['name', 'codes', 'insutypes', 'object'],
      rows: [],
    });
  }
  for (const p of drugPoints(dir, 'batch03_drug_insurance_type', '限定对象', '国标代码', '限定保险类型')) {
    const ins = mapped(p.row, '限定对象', INSURANCE);
    tables.get(ins.table)!.rows.push({ name: p.name, codes: codesCell(p.codes), insutypes: ins.insutypes, object: ins.object });
  }
  return [...tables.values()];
}

/** batch04 药品限就医方式. */
function drugVisitType(dir: string): KnowledgeTable {
  const rows = drugPoints(dir, 'batch04_drug_encounter_type', '限定值域', '国标代码', '限定就医方式').map((p) => ({
    name: p.name,
    codes: codesCell(p.codes),
    med_mdtrt_types: mapped(p.row, '限定值域', VISIT_TYPES),
    object: p.limit,
    note: p.note,
  }));
  return {
    id: 'drug_visit_type',
    source: 'batch04_drug_encounter_type_rules.csv + batch04_drug_encounter_type_codes.csv',
    columns: ['name', 'codes', 'med_mdtrt_types', 'object', 'note'],
    rows,
  };
}

/** batch05 药品限医疗机构级别. */
function drugHospitalTier(dir: string): KnowledgeTable {
  const rows = drugPoints(dir, 'batch05_drug_hospital_level', '限定值域', '国标代码', '限定机构等级').map((p) => ({
    name: p.name,
    codes: codesCell(p.codes),
    min_tier: mapped(p.row, '限定值域', TIERS),
    object: p.limit,
    note: p.note,
  }));
  return {
    id: 'drug_hospital_tier',
    source: 'batch05_drug_hospital_level_rules.csv + batch05_drug_hospital_level_codes.csv',
    columns: ['name', 'codes', 'min_tier', 'object', 'note'],
    rows,
  };
}

/**
 * Whether a batch06 point limits its days to one stay: its text says 「单次住院」 (单次住院最多支付14天,
 * 单次住院支付不超过3天). Such days are counted within one inpatient encounter, not across stays.
 */
export function perStayText(note: string): boolean {
  return note.includes('单次住院');
}

/**
 * batch06 药品限支付疗程: 限定值域 "N天" is authoritative (the note text may differ); per_stay = 1
 * where the text limits the days to one stay.
 */
function drugPayableDays(dir: string): KnowledgeTable {
  const rows = drugPoints(dir, 'batch06_drug_max_payable_days', '限定值域', '国标代码', '限定支付疗程').map((p) => {
    const m = /^([1-9]\d*)天$/.exec(p.limit);
    check(m !== null, p.row, `限定值域 "${p.limit}" is not "<N>天"`);
    return { name: p.name, codes: codesCell(p.codes), max_days: m[1], per_stay: perStayText(p.note) ? '1' : '', note: p.note };
  });
  return {
    id: 'drug_payable_days',
    source: 'batch06_drug_max_payable_days_rules.csv + batch06_drug_max_payable_days_codes.csv',
    columns: ['name', 'codes', 'max_days', 'per_stay', 'note'],
    rows,
  };
}

/** batch07 医疗服务项目重复收费: one row per (main, sub) pair. */
function itemDuplicateBilling(dir: string): KnowledgeTable {
  const file = 'batch07_item_duplicate_billing_pairs.csv';
  const seen = new Set<string>();
  const rows = readSource(dir, file, ['序号', '频度', '主项名称', '主项编码', '从项名称', '从项编码', '备注']).map((row) => {
    positiveInt(row, '序号');
    const window = required(row, '频度');
    check(PAIR_WINDOWS.has(window) || /^[1-9]\d*小时$/.test(window), row, `unknown 频度 "${window}" (known: 单日, 单次就诊, 同一小时, <N>小时)`);
    const main = code(row, '主项编码', ITEM_CODE);
    const sub = code(row, '从项编码', ITEM_CODE);
    check(main !== sub, row, `main and sub item are the same code ${main}`);
    check(!seen.has(`${main}|${sub}`), row, `pair ${main} → ${sub} listed twice`);
    seen.add(`${main}|${sub}`);
    return { main_code: main, main_name: required(row, '主项名称'), sub_code: sub, sub_name: required(row, '从项名称'), window, note: row.cell['备注'] };
  });
  return { id: 'item_duplicate_billing', source: file, columns: ['main_code', 'main_name', 'sub_code', 'sub_name', 'window', 'note'], rows };
}

/** batch08-1 医疗服务项目限定频次. */
function itemDailyCount(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch08-1_item_max_frequency.csv', ['序号', '项目名称', '限制数量', '数量单位', '项目编码']).map((row) => {
    positiveInt(row, '序号');
    const unit = mapped(row, '数量单位', DAILY_UNITS);
    const max = positiveInt(row, '限制数量');
    check(unit !== '小时' || max <= 24, row, `限制数量 ${max} 小时 exceeds the 24 hours of a day`);
    return { name: required(row, '项目名称'), codes: code(row, '项目编码', ITEM_CODE), max_count: String(max), unit };
  });
  return { id: 'item_daily_count', source: 'batch08-1_item_max_frequency.csv', columns: ['name', 'codes', 'max_count', 'unit'], rows };
}

/** batch08-2 医疗服务项目限年龄: the rule's max_age parameter (法定就业年龄) governs. */
function itemAgeLimit(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch08-2_item_age_limit.csv', ['序号', '项目名称', '备注', '项目代码']).map((row) => {
    positiveInt(row, '序号');
    const note = required(row, '备注');
    check(note.includes('法定就业年龄'), row, `备注 "${note}" does not name the 法定就业年龄 limit`);
    return { name: required(row, '项目名称'), codes: code(row, '项目代码', ITEM_CODE), min_age: '', max_age: '', object: '', note };
  });
  return { id: 'item_age_limit', source: 'batch08-2_item_age_limit.csv', columns: ['name', 'codes', 'min_age', 'max_age', 'object', 'note'], rows };
}

/** batch08-3 医疗服务项目限支付疗程: the 备注 text parsed into span and interval limits. */
function itemCourse(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch08-3_item_max_course_days.csv', ['序号', '项目名称', '备注', '项目代码']).map((row) => {
    positiveInt(row, '序号');
    const note = required(row, '备注');
    const parsed = parseCourseText(note);
    check(typeof parsed !== 'string', row, `备注 "${note}": ${parsed as string}`);
    return {
      name: required(row, '项目名称'),
      codes: code(row, '项目代码', ITEM_CODE),
      max_span_days: parsed.maxSpanDays === undefined ? '' : String(parsed.maxSpanDays),
      min_interval_days: parsed.minIntervalDays === undefined ? '' : String(parsed.minIntervalDays),
      note,
    };
  });
  return { id: 'item_course', source: 'batch08-3_item_max_course_days.csv', columns: ['name', 'codes', 'max_span_days', 'min_interval_days', 'note'], rows };
}

/** batch08-4 医疗服务项目周期超频次. */
function itemPeriodCount(dir: string): KnowledgeTable {
  const rows = readSource(dir, 'batch08-4_item_period_frequency.csv', ['序号', '项目名称', '频次上限', '疗程周期', '备注', '项目代码']).map((row) => {
    positiveInt(row, '序号');
    return {
      name: required(row, '项目名称'),
      codes: code(row, '项目代码', ITEM_CODE),
      max_count: String(positiveInt(row, '频次上限')),
      period_days: String(positiveInt(row, '疗程周期')),
      note: row.cell['备注'],
    };
  });
  return { id: 'item_period_count', source: 'batch08-4_item_period_frequency.csv', columns: ['name', 'codes', 'max_count', 'period_days', 'note'], rows };
}

/**
 * Builds every knowledge table from the batch files in `dir` (source/2025) and the 2026
 * publications in `dir2026` (default: its sibling source/2026), rows sorted, codes checked.
 */
export function buildTables(dir: string, dir2026: string = sourceDir2026(dir)): KnowledgeTable[] {
  const tables = [
    drugGender(dir),
    itemGender(dir),
    drugChildren(dir),
    itemChildren(dir),
    surgeryDiscount(dir),
    ...drugInsurance(dir),
    drugVisitType(dir),
    drugHospitalTier(dir),
    drugPayableDays(dir),
    itemDuplicateBilling(dir),
    itemDailyCount(dir),
    itemAgeLimit(dir),
    itemCourse(dir),
    itemPeriodCount(dir),
  ];
  applyRevision(dir2026, tables);
  tables.push(...tablesH10(dir2026));
  tables.push(...tablesIndications(dir2026));
  tables.push(...tablesBook());
  for (const t of tables) {
    if (t.id === 'item_duplicate_billing') sortRows(t.rows, ['main_code', 'sub_code']);
    else sortRows(t.rows, t.id === 'surgery_discount' ? ['group', 'codes', 'name'] : ['name', 'effective_from', 'codes']);
    if (t.id !== 'surgery_discount' && t.id !== 'item_duplicate_billing' && !NOT_CODE_UNIQUE.has(t.id) && !BOOK_TABLES.has(t.id)) assertCodesUnique(t);
  }
  return tables;
}

/** Every national code a table refers to. */
export function tableCodes(table: KnowledgeTable): Set<string> {
  const out = new Set<string>();
  for (const row of table.rows) {
    if (table.id === 'item_duplicate_billing') {
      out.add(row.main_code);
      out.add(row.sub_code);
    } else {
      // Diagnosis ranges carry no national codes.
      if (row.codes) for (const c of row.codes.split('|')) out.add(c);
    }
  }
  return out;
}
