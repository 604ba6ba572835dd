import type { EncounterFact } from '../model/facts.js';
import { dayOf, formatDay, parseDateTime } from '../model/dates.js';
import { icdKey } from './diagnosis-limit.js';
import { readNumber, type PointBase, type TemplateDef, readText } from './template.js';

/** A main-diagnosis category the rule does not judge (planned cycles: Z51 放疗、化疗 …). */
interface ExemptCategory extends PointBase {
  prefix: string;
}

interface ReadmissionParams {
  /** Most calendar days from the earlier discharge to the later admission (以内: inclusive). */
  maxDays: number;
}

/** Default of `max_days`: 15 days (「15日内同一疾病再次入院」). */
const DEFAULT_READMISSION_DAYS = 15;

/**
 * Whether an encounter is an inpatient stay: 就诊类型 med_mdtrt_type 2; without it, a 医疗类别
 * med_type of the 2x (住院) family.
 */
function isInpatient(enc: EncounterFact): boolean {
  const t = enc.dto.med_mdtrt_type;
  if (t !== undefined && t !== '') return t === '2';
  const m = enc.dto.med_type;
  return m !== undefined && m.length >= 2 && m.charCodeAt(0) === 50; /* 2 */
}

/**
 * The main diagnosis of an encounter: the discharge main diagnosis `dscg_main_dise_codg`, else the
 * diagnosis flagged main (maindise_flag 1; a discharge one before an admission one); when no
 * diagnosis carries the flag at all, the first by 诊断排序号 dias_srt_no (else as listed).
 */
function mainDiagnosis(enc: EncounterFact): { code: string; name: string } | undefined {
  const dto = enc.dto;
  if (dto.dscg_main_dise_codg) return { code: dto.dscg_main_dise_codg, name: dto.dscg_main_dise_name ?? '' };
  let found: { code: string; name: string } | undefined;
  let flagged = false;
  let first: { code: string; name: string; srt: number } | undefined;
  for (const d of dto.fsi_diagnose_dtos ?? []) {
    if (!d.dise_codg) continue;
    if (d.maindise_flag === '1') {
      flagged = true;
      if (d.inout_dise_type === '2') return { code: d.dise_codg, name: d.dise_name ?? '' };
      found ??= { code: d.dise_codg, name: d.dise_name ?? '' };
    } else if (d.maindise_flag === undefined || d.maindise_flag === '') {
      const srt = typeof d.dias_srt_no === 'number' ? d.dias_srt_no : Number.MAX_SAFE_INTEGER;
      if (!first || srt < first.srt) first = { code: d.dise_codg, name: d.dise_name ?? '', srt };
    }
  }
  // A HIS that flags no diagnosis lists the main one first (诊断排序号 1).
  if (found || flagged || !first) return found;
  return { code: first.code, name: first.name };
}

/** ICD-10 category (3 characters, without the dot) of a code. */
function category(code: string): string {
  return icdKey(code).slice(0, 3);
}

/**
 * 分解住院: an inpatient encounter admitted within `max_days` calendar days (0 … max_days, the
 * discharge day counting as day 0) of the discharge of another inpatient encounter of the same
 * patient at the same hospital, both with the same main-diagnosis ICD-10 category (3 characters),
 * is 可疑 — the later admission is the finding (no offending order; its current orders are
 * 涉及项). History comes from the request: every encounter entry of the patient, each with
 * `adm_date`, `dscg_date` and a main diagnosis. Same hospital: equal `medins_id`, or either
 * missing (a request comes from one hospital's HIS). Categories listed in the rule's table
 * (Z51 planned radiotherapy/chemotherapy cycles …) are not judged. One finding per later stay,
 * naming the closest earlier discharge.
 */
export const readmission: TemplateDef<ExemptCategory, ReadmissionParams> = {
  name: 'readmission',
  columns: ['category'],
  pairTable: true,
  compileParams(params, problem) {
    for (const k of Object.keys(params)) if (k !== 'max_days') problem(k, 'is not a parameter of readmission');
    const maxDays = readNumber(params.max_days, 'max_days', problem, { integer: true, min: 0 });
    return { maxDays: maxDays ?? DEFAULT_READMISSION_DAYS };
  },
  compilePoint(row, _params, problem) {
    const prefix = icdKey(readText(row.category).trim());
    if (!/^[A-Z]\d{0,2}$/.test(prefix)) {
      problem('category', `must be an ICD-10 chapter letter or category (Z51), got ${JSON.stringify(row.category)}`);
      return undefined;
    }
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : prefix;
    return { name, codes: [], prefix };
  },
  checkEncounter(enc, rule, _ctx, _emit, emitVisit) {
    const encounters = enc.patient.encounters;
    if (encounters.length < 2 || !isInpatient(enc) || Number.isNaN(enc.admMs)) return;
    const main = mainDiagnosis(enc);
    if (!main) return;
    const cat = category(main.code);
    if (cat.length < 3) return;
    for (let p = 0; p < rule.points.length; p++) {
      if (cat.startsWith(rule.points[p].prefix) && rule.inForce(p, enc.admMs)) return;
    }
    const admDay = dayOf(enc.admMs);
    const hospital = enc.dto.medins_id;
    let best: { enc: EncounterFact; gap: number; dscg: number; code: string } | undefined;
    for (const prev of encounters) {
      if (prev === enc || !isInpatient(prev)) continue;
      const other = prev.dto.medins_id;
      if (hospital && other && hospital !== other) continue;
      const dscgMs = parseDateTime(prev.dto.dscg_date);
      if (Number.isNaN(dscgMs) || (!Number.isNaN(prev.admMs) && prev.admMs >= enc.admMs)) continue;
      const dscgDay = dayOf(dscgMs);
      const gap = admDay - dscgDay;
      if (gap < 0 || gap > rule.params.maxDays) continue;
      const prevMain = mainDiagnosis(prev);
      if (!prevMain || category(prevMain.code) !== cat) continue;
      if (!best || gap < best.gap) best = { enc: prev, gap, dscg: dscgDay, code: prevMain.code };
    }
    if (!best) return;
    emitVisit(
      cat,
      {
        diagnosis: main.code,
        diagnosis_name: main.name || main.code,
        category: cat,
        previous: best.enc.dto.mdtrt_id,
        previous_diagnosis: best.code,
        discharge: formatDay(best.dscg),
        days: best.gap,
        limit: `出院后${rule.params.maxDays}日内同一主诊断类目（${cat}）再次入院`,
        actual: `前次就诊${best.enc.dto.mdtrt_id}于${formatDay(best.dscg)}出院，间隔${best.gap}日`,
      },
      main.code,
    );
  },
};
