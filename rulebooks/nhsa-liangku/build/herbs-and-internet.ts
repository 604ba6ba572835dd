/**
 * The 2026 batches 10 and 11 (source/2026): 超互联网医院药品支付范围 (22 narcotic and psychotropic
 * drugs), 中药饮片单复方均不予支付 (37 herbs) and 中药饮片单方使用不予支付 (116 herbs). Each point
 * applies from its batch's publication date (index.csv); `dir` is source/2026, so an earlier service date is not judged
 * by it. The files carry 代码数量 per point; a point whose codes do not add up stops the build.
 */
import { DRUG_CODE } from './source.js';
import { readBatch } from './batch-source.js';
import type { KnowledgeTable } from './tables.js';

/** National herbal-slice (中药饮片) code: T + 9 digits. */
const HERB_CODE = /^T\d{9}$/;

/** One 2026 batch file pair as knowledge rows with their effective date. */
function batchPoints(dir: string, base: string, logic: string, shape: RegExp): Array<Record<string, string>> {
  return readBatch(dir, base, logic, shape).map((p) => ({ name: p.name, codes: p.codes, note: p.text, effective_from: p.effective_from, effective_to: '' }));
}

const COLUMNS = ['name', 'codes', 'note', 'effective_from', 'effective_to'];

/** batch10 超互联网医院药品支付范围. */
export function internetHospitalDrugs(dir: string): KnowledgeTable {
  const base = 'batch10_drug_internet_hospital';
  return {
    id: 'drug_internet_hospital',
    source: `2026/${base}_rules.csv + ${base}_codes.csv`,
    columns: COLUMNS,
    rows: batchPoints(dir, base, '互联网诊疗时开具麻醉药品精神药品', DRUG_CODE),
  };
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
    id: 'herb_single_use',
    source: `2026/${base}_rules.csv + ${base}_codes.csv`,
    columns: COLUMNS,
    rows: batchPoints(dir, base, '单独使用时统筹基金不予支付，且全部由这些饮片组成的处方统筹基金也不予支付。', HERB_CODE),
  };
}

/** Every herb (name → T-code) the 2026 batch-11 files list: the codes the incompatibility table can name. */
export function vendoredHerbCodes(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of [herbNeverPayable(dir), herbSingleUse(dir)]) for (const r of t.rows) out.set(r.name, r.codes.split('|'));
  return out;
}
