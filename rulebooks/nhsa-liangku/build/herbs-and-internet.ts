/**
 * The 2026 batches 10 and 11 (source/2026): 超互联网医院药品支付范围 (22 narcotic and psychotropic
 * drugs), 中药饮片单复方均不予支付 (37 herbs) and 中药饮片单方使用不予支付 (116 herbs). Each point
 * applies from its batch's publication date (index.csv); `dir` is source/2026, so an earlier service date is not judged
 * by it. The files carry 代码数量 per point; a point whose codes do not add up stops the build.
 */
import { DRUG_CODE, SourceError, check, code, positiveInt, readSource, required } from './source.js';
import type { KnowledgeTable } from './tables.js';

/** National herbal-slice (中药饮片) code: T + 9 digits. */
export const HERB_CODE = /^T\d{9}$/;

/** Publication date of a file base, from index.csv. */
function published(dir: string, base: string): string {
  const row = readSource(dir, 'index.csv', ['batch', 'rule_name', 'rule_code', 'published', 'announcement', 'files', 'knowledge_points', 'codes'])
    .find((r) => r.cell.files === base);
  if (!row) throw new SourceError('index.csv', 0, `no row for ${base}`);
  const date = required(row, 'published');
  check(/^\d{4}-\d{2}-\d{2}$/.test(date), row, `published "${date}" is not yyyy-MM-dd`);
  return date;
}

/**
 * One 2026 batch file pair (`<base>_rules.csv`: 序号,药品通用名,检出逻辑,逻辑依据,代码数量;
 * `<base>_codes.csv`: 药品通用名,序号,国标代码) as knowledge rows with their effective date.
 */
function batchPoints(dir: string, base: string, logic: string, shape: RegExp): Array<Record<string, string>> {
  const from = published(dir, base);
  const points = new Map<string, { name: string; count: number; note: string; line: number; codes: string[] }>();
  for (const row of readSource(dir, `${base}_rules.csv`, ['序号', '药品通用名', '检出逻辑', '逻辑依据', '代码数量'])) {
    positiveInt(row, '序号');
    const name = required(row, '药品通用名');
    check(row.cell['检出逻辑'] === logic, row, `检出逻辑 "${row.cell['检出逻辑']}", expected "${logic}"`);
    check(!points.has(name), row, `duplicate 药品通用名 "${name}"`);
    points.set(name, { name, count: positiveInt(row, '代码数量'), note: required(row, '逻辑依据'), line: row.line, codes: [] });
  }
  for (const row of readSource(dir, `${base}_codes.csv`, ['药品通用名', '序号', '国标代码'])) {
    const p = points.get(required(row, '药品通用名'));
    check(p !== undefined, row, `药品通用名 "${row.cell['药品通用名']}" has no row in ${base}_rules.csv`);
    positiveInt(row, '序号');
    const c = code(row, '国标代码', shape);
    if (!p.codes.includes(c)) p.codes.push(c);
  }
  return [...points.values()].map((p) => {
    if (p.codes.length !== p.count) throw new SourceError(`${base}_rules.csv`, p.line, `"${p.name}" lists 代码数量 ${p.count} but ${base}_codes.csv has ${p.codes.length} codes`);
    return { name: p.name, codes: [...p.codes].sort().join('|'), note: p.note, effective_from: from, effective_to: '' };
  });
}

const COLUMNS = ['name', 'codes', 'note', 'effective_from', 'effective_to'];

/** batch10 超互联网医院药品支付范围. */
export function internetHospitalDrugs(dir: string): KnowledgeTable {
  const base = 'batch10_drug_internet_hospital';
  return { id: 'drug_internet_hospital', source: `2026/${base}_rules.csv + ${base}_codes.csv`, columns: COLUMNS, rows: batchPoints(dir, base, '互联网诊疗时开具麻醉药品精神药品', DRUG_CODE) };
}

/** batch11 中药饮片单复方均不予支付. */
export function herbNeverPayable(dir: string): KnowledgeTable {
  const base = 'batch11_herb_never_payable';
  return { id: 'herb_never_payable', source: `2026/${base}_rules.csv + ${base}_codes.csv`, columns: COLUMNS, rows: batchPoints(dir, base, '不得纳入基金支付范围的中药饮片', HERB_CODE) };
}

/** batch11 中药饮片单方使用不予支付. */
export function herbSingleUse(dir: string): KnowledgeTable {
  const base = 'batch11_herb_single_use_not_payable';
  return {
    id: 'herb_single_use', source: `2026/${base}_rules.csv + ${base}_codes.csv`, columns: COLUMNS,
    rows: batchPoints(dir, base, '单独使用时统筹基金不予支付，且全部由这些饮片组成的处方统筹基金也不予支付。', HERB_CODE),
  };
}

/** Every herb (name → T-code) the 2026 batch-11 files list: the codes the incompatibility table can name. */
export function vendoredHerbCodes(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of [herbNeverPayable(dir), herbSingleUse(dir)]) for (const r of t.rows) out.set(r.name, r.codes.split('|'));
  return out;
}
