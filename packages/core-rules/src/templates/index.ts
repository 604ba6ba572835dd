import type { TemplateName } from '../rulebook/types.js';
import type { TemplateDef } from './template.js';
import { sexLimit } from './sex-limit.js';
import { ageLimit } from './age-limit.js';
import { insuranceTypeLimit } from './insurance-type-limit.js';
import { visitTypeLimit } from './visit-type-limit.js';
import { hospitalTierLimit } from './hospital-tier-limit.js';
import { payableDays } from './payable-days.js';
import { pairExclusion } from './pair-exclusion.js';
import { dailyCount } from './daily-count.js';
import { rollingCount } from './rolling-count.js';
import { surgeryDiscount } from './surgery-discount.js';
import { itemCourse } from './item-course.js';
import { codeList } from './code-list.js';
import { prescriptionAllInList } from './prescription-all-in-list.js';
import { prescriptionPair } from './prescription-pair.js';
import { diagnosisLimit } from './diagnosis-limit.js';
import { indicationLimit } from './indication-limit.js';
import { itemPriceLimit } from './item-price-limit.js';
import { duplicateClass } from './duplicate-class.js';
import { readmission } from './readmission.js';

/** Every built-in template by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TEMPLATES: Record<TemplateName, TemplateDef<any, any>> = {
  'sex-limit': sexLimit,
  'age-limit': ageLimit,
  'insurance-type-limit': insuranceTypeLimit,
  'visit-type-limit': visitTypeLimit,
  'hospital-tier-limit': hospitalTierLimit,
  'payable-days': payableDays,
  'pair-exclusion': pairExclusion,
  'daily-count': dailyCount,
  'rolling-count': rollingCount,
  'surgery-discount': surgeryDiscount,
  'item-course': itemCourse,
  'code-list': codeList,
  'prescription-all-in-list': prescriptionAllInList,
  'prescription-pair': prescriptionPair,
  'diagnosis-limit': diagnosisLimit,
  'indication-limit': indicationLimit,
  'item-price-limit': itemPriceLimit,
  'duplicate-class': duplicateClass,
  readmission: readmission,
};

export type { TemplateDef, PointBase, EncounterRuleView } from './template.js';
