/**
 * Knowledge tables of the batch 10–11 rules and of the 2025 book's 配伍禁忌 and diagnosis rules
 * (see rules-h10.ts). `dir2026` is source/2026.
 */
import type { KnowledgeTable } from './tables.js';
import { herbNeverPayable, herbSingleUse, internetHospitalDrugs } from './herbs-and-internet.js';
import { herbIncompatibility } from './herb-incompatibility.js';
import { diagnosisAge, diagnosisSex } from './diagnosis-limits.js';

/** Tables whose rows are not one-code-one-point (pairs share herbs; diagnosis ranges have no codes). */
export const NOT_CODE_UNIQUE: ReadonlySet<string> = new Set(['herb_incompatibility', 'diagnosis_sex', 'diagnosis_age']);

/** The tables, unsorted. */
export function tablesH10(dir2026: string): KnowledgeTable[] {
  return [internetHospitalDrugs(dir2026), herbNeverPayable(dir2026), herbSingleUse(dir2026), herbIncompatibility(dir2026), diagnosisSex(), diagnosisAge()];
}
