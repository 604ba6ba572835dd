/**
 * Writes cases/<rule id>.json from the case definitions in case-defs/ (real codes looked up in
 * the built knowledge tables). Run after build.ts:
 *
 *   node --import tsx rulebooks/nhsa-liangku/build/write-cases.ts [--report]
 *
 * --report lists, per case, every other table that holds one of its codes (to keep exact
 * cases honest about other rules that might fire).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleCase } from '@preaudit/core-rules';
import { RULES } from './rules.js';
import { table } from './case-kit.js';
import { dailyCount, duplicateBilling, rollingCount } from './case-defs/item-windows.js';
import { drugChild, drugSex, itemAge, itemChild, itemSex } from './case-defs/patient-limits.js';
import { injury, maternity, tier, visitType } from './case-defs/encounter-limits.js';
import { itemCourse, surgeryDiscount } from './case-defs/item-procedures.js';
import { payableDays } from './case-defs/drug-course.js';
import { diagnosisAge, diagnosisSex, herbNever, herbPairs, herbSingle, internet } from './case-defs/herbs-internet-diagnoses.js';
import { INTERNET_RULE_ID } from './rules-h10.js';
import { indication, secondLine } from './case-defs/indications.js';
import { duplicateDrugs, itemPrice, readmission } from './case-defs/book-rules.js';
import { dailyCountMore, itemAgeMore, itemChildMore, itemCourseMore, payableDaysAcrossRevision } from './case-defs/case-gaps.js';
import { childPayment, revisionChildOnly, revisionDays, revisionInjury, revisionMaternity, revisionSex, revisionTier, revisionVisit } from './case-defs/revision.js';

const CASES: Record<string, RuleCase[]> = {
  GZ10000301004000: [...drugSex, ...revisionSex],
  GZ10000302004000: itemSex,
  GZ10000301002000: [...drugChild, ...revisionChildOnly],
  GZ10000101007000: childPayment,
  GZ10000302003000: [...itemChild, ...itemChildMore],
  GZ10000102002000: surgeryDiscount,
  GZ10000101001000: [...injury, ...revisionInjury],
  GZ10000101002000: [...maternity, ...revisionMaternity],
  'NHSA2025-YPXJYFS': [...visitType, ...revisionVisit],
  GZ10000101012000: [...tier, ...revisionTier],
  GZ10000101010000: [...payableDays, ...revisionDays, ...payableDaysAcrossRevision],
  GZ10000102012000: duplicateBilling,
  GZ10000102014000: [...dailyCount, ...dailyCountMore],
  'NHSA2025-XMXNL': [...itemAge, ...itemAgeMore],
  GZ10000102010000: [...itemCourse, ...itemCourseMore],
  'NHSA2025-XMZQCPC': rollingCount,
  [INTERNET_RULE_ID]: internet,
  GZ10000101003000: herbNever,
  GZ10000101004000: herbSingle,
  GZ10000301012000: herbPairs,
  GZ10000204006000: diagnosisSex,
  GZ10000204007000: diagnosisAge,
  GZ10000101005000: secondLine,
  GZ10000101008000: indication,
  GZ10000102001000: itemPrice,
  GZ10000301006000: duplicateDrugs,
  GZ10000204001000: readmission,
};

const dir = join(import.meta.dirname, '..', 'cases');
for (const r of RULES) if (!CASES[r.id]) throw new Error(`no cases for rule ${r.id}`);
const names = new Set<string>();
for (const list of Object.values(CASES)) {
  for (const c of list) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
  }
}
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.json') && !CASES[f.slice(0, -5)]) rmSync(join(dir, f));
for (const [id, list] of Object.entries(CASES)) writeFileSync(join(dir, `${id}.json`), JSON.stringify(list, null, 2) + '\n');
console.log(`wrote ${Object.keys(CASES).length} case files, ${names.size} cases, to ${dir}`);

if (process.argv.includes('--report')) {
  const membership = new Map<string, string[]>();
  for (const r of RULES) {
    for (const row of table(r.knowledge!)) {
      const codes = row.codes ? row.codes.split('|') : [row.main_code, row.sub_code];
      for (const c of codes) membership.set(c, [...(membership.get(c) ?? []), r.id]);
    }
  }
  for (const [id, list] of Object.entries(CASES)) {
    for (const c of list) {
      const others = new Set<string>();
      for (const p of c.request.patient_dtos)
        for (const e of p.fsi_encounter_dtos ?? [])
          for (const o of e.fsi_order_dtos ?? []) {
            for (const rule of membership.get(o.hilist_code ?? '') ?? []) if (rule !== id) others.add(rule);
          }
      if (others.size) console.log(`${id} | ${c.name} | also in ${[...others].join(', ')}`);
    }
  }
}
