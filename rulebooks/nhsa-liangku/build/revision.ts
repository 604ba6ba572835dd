/**
 * The 2026-01 revision (source/2026/update2026-01_*): NHSA re-issued eight drug rules of batches
 * 1–6 against the 2025 national drug catalogue. Each revision row either replaces a published
 * point (`取代批次` / `取代知识点`) or is new. From the revision's publication date (index.csv)
 * the revision row applies and the replaced row stops (`effective_to`, exclusive), so a claim
 * for an earlier service date is still judged by the old codes and limit.
 *
 * The revision sheets carry no limit column. A row's limit comes from the point it replaces when
 * that point belongs to the same rule (or, for 药品限儿童使用, to 药品儿童专用, whose points
 * moved there); otherwise it is read from the row's text (`逻辑依据`) by the fixed readers
 * below. A text a reader cannot read stops the build with file and line.
 */
import { join } from 'node:path';
import { DRUG_CODE, SourceError, check, code, positiveInt, readSource, required, type SourceRow } from './source.js';
import type { KnowledgeTable } from './tables.js';

/** The columns every revised table gains: when each point applies (empty = open). */
const EFFECTIVE_COLUMNS = ['effective_from', 'effective_to'] as const;

/** Folder of the 2026 publications beside a 2025 source folder (source/2025 → source/2026). */
export function sourceDir2026(dir2025: string): string {
  return join(dir2025, '..', '2026');
}

/** Publication date (yyyy-MM-dd) of each file base in source/2026/index.csv. */
function publicationDates(dir2026: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of readSource(dir2026, 'index.csv', ['batch', 'rule_name', 'rule_code', 'published', 'announcement', 'files', 'knowledge_points', 'codes'])) {
    const date = required(row, 'published');
    check(/^\d{4}-\d{2}-\d{2}$/.test(date), row, `published "${date}" is not yyyy-MM-dd`);
    out.set(required(row, 'files'), date);
  }
  return out;
}

/** Limit columns read from a revision row's text; a string is why the text cannot be read. */
type TextReader = (text: string) => Record<string, string> | string;

/** How one revision file maps onto a knowledge table. */
export interface RevisionSpec {
  /** File base in source/2026 (…_rules.csv / …_codes.csv). */
  base: string;
  /** Knowledge table the rows go to. */
  table: string;
  /** Limit columns carried from a replaced point. */
  limit: readonly string[];
  /** Reads the limit from the text of a row that replaces no point of this rule. */
  fromText: TextReader;
  /** Other tables whose replaced points move into this one (their limit columns carry over). */
  movedFrom?: readonly string[];
}

const LEVELS: Record<string, string> = { 一: '1', 二: '2', 三: '3' };

/** 限二级及以上医疗机构 → min_tier 2; several levels named (三级医院 … 或二级及以上专科医院) → the lowest. */
export function tierFromText(text: string): Record<string, string> | string {
  const found = [...text.matchAll(/([一二三])级/g)].map((m) => LEVELS[m[1]]);
  if (found.length === 0) return 'names no hospital level (一级/二级/三级)';
  const min = found.sort()[0];
  return { min_tier: min, object: `${Object.keys(LEVELS).find((k) => LEVELS[k] === min)}级` };
}

/** 住院患者 / 住院方可支付 → inpatient only. */
export function visitFromText(text: string): Record<string, string> | string {
  return text.includes('住院') ? { med_mdtrt_types: '2', object: '住院' } : 'names no visit type (住院)';
}

/** Organs and conditions of one sex only → gend code. */
const MALE = /前列腺|睾丸|阴茎|精子|男性/;
const FEMALE = /子宫|卵巢|阴道|月经|妊娠|孕妇|产妇|产后|女性|绝经/;

/** 前列腺癌 → 男; 子宫/卵巢/月经 … → 女; both or neither is an error. */
export function sexFromText(text: string): Record<string, string> | string {
  const m = MALE.test(text);
  const f = FEMALE.test(text);
  if (m === f) return m ? 'names conditions of both sexes' : 'names no condition of one sex';
  return { sex: m ? '1' : '2' };
}

/**
 * 限儿童 … → object 儿童 (the rule's max_age governs); 「N岁及以上」 sets min_age, 「N-M岁」 sets
 * min_age N and max_age M+1 (ages are full years and max_age is exclusive: M岁 is allowed).
 */
export function childFromText(text: string): Record<string, string> | string {
  if (!/儿童|小儿|婴幼儿|新生儿/.test(text)) return 'names no child population (儿童/小儿/婴幼儿/新生儿)';
  const object = /新生儿/.test(text) && !/儿童|小儿/.test(text) ? '新生儿' : '儿童';
  const range = /(\d+)\s*[-~～至]\s*(\d+)\s*岁/.exec(text);
  if (range) return { min_age: range[1], max_age: String(Number(range[2]) + 1), object };
  const from = /(\d+)\s*岁(?:及以上|以上)/.exec(text);
  return { min_age: from ? from[1] : '', max_age: '', object };
}

/** 支付不超过14天 / 最多支付14天 → max_days; 「单次」 limits the days to one stay. */
export function daysFromText(text: string): Record<string, string> | string {
  const m = /(?:支付不超过|最多支付|支付不超|限)\s*(\d+)\s*天/.exec(text);
  if (!m) return 'names no day limit (支付不超过N天 / 最多支付N天)';
  return { max_days: m[1], per_stay: text.includes('单次') ? '1' : '' };
}

/** 限工伤保险 / 限生育保险: the table fixes the insurance; the text must name it. */
function insuranceText(word: string, insutypes: string, object: string): TextReader {
  return (text) => (text.includes(word) ? { insutypes, object } : `does not name ${word}`);
}

/** The eight revised rules. */
const REVISIONS: readonly RevisionSpec[] = [
  { base: 'update2026-01_drug_gender', table: 'drug_gender', limit: ['sex'], fromText: sexFromText },
  { base: 'update2026-01_drug_children_only', table: 'drug_children_only', limit: ['min_age', 'max_age', 'object'], fromText: childFromText },
  { base: 'update2026-01_drug_children_payment', table: 'drug_children_payment', limit: ['min_age', 'max_age', 'object'], fromText: childFromText, movedFrom: ['drug_children_only'] },
  { base: 'update2026-01_drug_insurance_work_injury', table: 'drug_insurance_injury', limit: ['insutypes', 'object'], fromText: insuranceText('工伤', '', '工伤保险') },
  { base: 'update2026-01_drug_insurance_maternity', table: 'drug_insurance_maternity', limit: ['insutypes', 'object'], fromText: insuranceText('生育', '510', '生育保险') },
  { base: 'update2026-01_drug_encounter_type', table: 'drug_visit_type', limit: ['med_mdtrt_types', 'object'], fromText: visitFromText },
  { base: 'update2026-01_drug_hospital_level', table: 'drug_hospital_tier', limit: ['min_tier', 'object'], fromText: tierFromText },
  { base: 'update2026-01_drug_max_payable_days', table: 'drug_payable_days', limit: ['max_days', 'per_stay'], fromText: daysFromText },
];

/** Batch (1–6) of the published points of each table the revision touches. */
const TABLE_BATCH: Record<string, number> = {
  drug_gender: 1,
  drug_children_only: 1,
  drug_insurance_injury: 3,
  drug_insurance_maternity: 3,
  drug_visit_type: 4,
  drug_hospital_tier: 5,
  drug_payable_days: 6,
};

/** One revision row with its codes. */
interface RevisionRow {
  row: SourceRow;
  name: string;
  text: string;
  batch: number | undefined;
  replaces: string;
  codes: string[];
}

function readRevision(dir: string, base: string): RevisionRow[] {
  const rulesFile = `${base}_rules.csv`;
  const codesFile = `${base}_codes.csv`;
  const byName = new Map<string, RevisionRow & { count: number }>();
  for (const row of readSource(dir, rulesFile, ['序号', '药品通用名', '检出逻辑', '逻辑依据', '代码数量', '取代批次', '取代知识点'])) {
    positiveInt(row, '序号');
    const name = required(row, '药品通用名');
    check(!byName.has(name), row, `duplicate 药品通用名 "${name}"`);
    const b = row.cell['取代批次'];
    const replaces = row.cell['取代知识点'];
    check((b === '') === (replaces === ''), row, '取代批次 and 取代知识点 must be both given or both empty');
    check(b === '' || /^[1-6]$/.test(b), row, `取代批次 "${b}" is not a batch 1–6`);
    byName.set(name, { row, name, text: required(row, '逻辑依据'), batch: b === '' ? undefined : Number(b), replaces, codes: [], count: positiveInt(row, '代码数量') });
  }
  for (const row of readSource(dir, codesFile, ['药品通用名', '序号', '国标代码'])) {
    const name = required(row, '药品通用名');
    positiveInt(row, '序号');
    const point = byName.get(name);
    check(point !== undefined, row, `药品通用名 "${name}" has no row in ${rulesFile}`);
    const c = code(row, '国标代码', DRUG_CODE);
    if (!point.codes.includes(c)) point.codes.push(c);
  }
  for (const p of byName.values()) {
    check(p.codes.length === p.count, p.row, `代码数量 ${p.count} but ${codesFile} lists ${p.codes.length} codes for "${p.name}"`);
  }
  return [...byName.values()];
}

/**
 * A code the revision lists under one of its rows while a published point it does not replace
 * still holds it (the revision renamed the point: 小儿清热止咳口服液(小儿清热止咳合剂) → 小儿清热止咳合剂
 * (小儿清热止咳口服液)): from the revision date the code belongs to the revision row only. The
 * published point stops on that date and continues, from it, with its other codes (if any).
 * Returns how many published points gave up codes.
 */
function moveCodes(table: KnowledgeTable, date: string): number {
  const revised = new Set(table.rows.filter((r) => r.effective_from === date).flatMap((r) => r.codes.split('|')));
  let moved = 0;
  for (const row of [...table.rows]) {
    if (row.effective_from || row.effective_to) continue;
    const codes = row.codes.split('|');
    const gone = codes.filter((c) => revised.has(c));
    if (gone.length === 0) continue;
    moved++;
    row.effective_to = date;
    const kept = codes.filter((c) => !revised.has(c));
    if (kept.length > 0) table.rows.push({ ...row, codes: kept.join('|'), effective_from: date, effective_to: '', revision: `${date} 修订：编码 ${gone.join('、')} 改列入修订知识点` });
  }
  return moved;
}

/** What the revision did. */
export interface RevisionResult {
  /** Date the revision applies from. */
  date: string;
  /** Rows replacing a point / new rows, per table. */
  counts: Record<string, { replaced: number; added: number; moved?: number }>;
}

/**
 * Applies the revision to the batch 1–6 tables (rows get effective_from / effective_to) and
 * creates the tables of rules the revision adds (drug_children_payment). A 取代知识点 that names
 * no published point of its 取代批次 (any rule of that batch) stops the build.
 */
export function applyRevision(dir2026: string, tables: KnowledgeTable[]): RevisionResult {
  const names = new Map<number, Set<string>>();
  for (const t of tables) {
    const b = TABLE_BATCH[t.id];
    if (b === undefined) continue;
    if (!names.has(b)) names.set(b, new Set());
    for (const row of t.rows) names.get(b)!.add(row.name);
  }
  const date = publicationDates(dir2026).get('update2026-01_drug_gender');
  if (!date) throw new SourceError('index.csv', 0, 'no publication date for update2026-01_drug_gender');
  const byId = new Map(tables.map((t) => [t.id, t]));
  const counts: RevisionResult['counts'] = {};
  for (const spec of REVISIONS) {
    const dates = publicationDates(dir2026);
    const published = dates.get(spec.base);
    if (published !== date) throw new SourceError('index.csv', 0, `${spec.base} published ${published ?? '(missing)'}, expected the revision date ${date}`);
    let table = byId.get(spec.table);
    if (!table) {
      table = { id: spec.table, source: '', columns: ['name', 'codes', ...spec.limit, 'note'], rows: [] };
      tables.push(table);
      byId.set(spec.table, table);
    }
    table.source = `${table.source ? `${table.source}; ` : ''}${spec.base}_rules.csv + ${spec.base}_codes.csv (${date})`;
    for (const c of [...EFFECTIVE_COLUMNS, 'revision']) if (!table.columns.includes(c)) table.columns.push(c);
    counts[spec.table] = { replaced: 0, added: 0 };
    for (const r of readRevision(dir2026, spec.base)) {
      let limit: Record<string, string> | undefined;
      let revision = `${date} 修订新增`;
      if (r.batch !== undefined) {
        check(names.get(r.batch)?.has(r.replaces) === true, r.row, `取代知识点 "${r.replaces}" is not a point of batch ${r.batch}`);
        // The rule's own point of that name (its batch may differ from 取代批次, which names the
        // batch that first published the drug), else a point of a table whose points moved here.
        const sources = [spec.table, ...(spec.movedFrom ?? [])];
        for (const id of sources) {
          const from = byId.get(id)!;
          const old = from.rows.filter((x) => x.name === r.replaces && !x.effective_from && !x.effective_to && (id === spec.table || TABLE_BATCH[id] === r.batch));
          if (old.length === 0) continue;
          check(old.length === 1, r.row, `取代知识点 "${r.replaces}" matches ${old.length} points of ${id}`);
          limit = Object.fromEntries(spec.limit.map((c) => [c, old[0][c] ?? '']));
          old[0].effective_to = date;
          revision = `${date} 修订，取代第${r.batch}批「${r.replaces}」${id === spec.table ? '' : `（原${id}）`}`;
          break;
        }
      }
      if (!limit) {
        const read = spec.fromText(r.text);
        check(typeof read !== 'string', r.row, `逻辑依据 "${r.text}": ${read as string}`);
        limit = Object.fromEntries(spec.limit.map((c) => [c, read[c] ?? '']));
        if (r.batch !== undefined) revision = `${date} 修订（第${r.batch}批「${r.replaces}」不属本规则），限定值取自逻辑依据`;
      }
      if (r.batch !== undefined && revision.includes('取代')) counts[spec.table].replaced++;
      else counts[spec.table].added++;
      const row: Record<string, string> = { name: r.name, codes: [...r.codes].sort().join('|'), ...limit, effective_from: date, effective_to: '', revision };
      if (table.columns.includes('note')) row.note = r.text;
      table.rows.push(row);
    }
  }
  for (const spec of REVISIONS) counts[spec.table].moved = moveCodes(byId.get(spec.table)!, date);
  for (const spec of REVISIONS) {
    for (const row of byId.get(spec.table)!.rows) for (const c of [...EFFECTIVE_COLUMNS, 'revision']) row[c] ??= '';
  }
  return { date, counts };
}
