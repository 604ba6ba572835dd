import { fullYears } from '../model/dates.js';
import { SEX_LABEL } from './labels.js';
import { noParams, readNumber, type PointBase, type TemplateDef, readText } from './template.js';

interface DiagnosisPoint extends PointBase {
  from: string;
  to: string;
  sex?: '1' | '2';
  min?: number;
  max?: number;
  label: string;
}

const SEX_CELL = new Map<string, '1' | '2'>([
  ['1', '1'],
  ['2', '2'],
  ['男', '1'],
  ['女', '2'],
]);

/** ICD-10 code as compared: upper case, without the dot, spaces or a trailing dagger/asterisk. */
export function icdKey(code: string): string {
  let plain = true;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    // Digits and upper-case letters only: the common case needs no copy.
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) {
      plain = false;
      break;
    }
  }
  return plain ? code : code.toUpperCase().replace(/[.\s†*+]/g, '');
}

/** Whether a code lies in [from, to], each bound compared on its own length (N40 … N51 holds N40X00). */
function inRange(key: string, from: string, to: string): boolean {
  return key.slice(0, from.length) >= from && key.slice(0, to.length) <= to;
}

/**
 * 诊断与患者性别不符 / 年龄不符: a diagnosis of the encounter (fsi_diagnose_dtos, and the main
 * discharge diagnosis) in an ICD-10 range restricted to one sex, or to ages min_age … max_age
 * (full years at admission, both bounds included: 以上/以下). Unknown sex (0, 9, missing), no
 * birth date, or no usable date never fire. One finding per distinct code and range.
 */
export const diagnosisLimit: TemplateDef<DiagnosisPoint, Record<string, never>, ReadonlyMap<string, readonly number[]>> = {
  name: 'diagnosis-limit',
  columns: ['code_from'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const from = icdKey(readText(row.code_from).trim());
    const to = icdKey(readText(row.code_to).trim()) || from;
    if (!/^[A-Z][0-9A-Z]{1,6}$/.test(from)) problem('code_from', `must be an ICD-10 code or category, got ${JSON.stringify(row.code_from)}`);
    if (!/^[A-Z][0-9A-Z]{1,6}$/.test(to)) problem('code_to', `must be an ICD-10 code or category, got ${JSON.stringify(row.code_to)}`);
    const sexCell = readText(row.sex).trim();
    const sex = sexCell ? SEX_CELL.get(sexCell) : undefined;
    if (sexCell && !sex) problem('sex', `must be 1 (男), 2 (女) or empty, got ${JSON.stringify(row.sex)}`);
    const min = readNumber(row.min_age, 'min_age', problem, { min: 0, integer: true });
    const max = readNumber(row.max_age, 'max_age', problem, { min: 0, integer: true });
    if (!sex && min === undefined && max === undefined && !sexCell) problem('sex', 'the row must restrict sex, min_age or max_age');
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : from === to ? from : `${from}–${to}`;
    const ok = /^[A-Z][0-9A-Z]{1,6}$/.test(from) && /^[A-Z][0-9A-Z]{1,6}$/.test(to) && (sex !== undefined || min !== undefined || max !== undefined) && !(sexCell && !sex);
    if (!ok) return undefined;
    const ages = min !== undefined && max !== undefined ? `${min}至${max}岁` : max !== undefined ? `${max}岁及以下` : min !== undefined ? `${min}岁及以上` : '';
    const label = [sex ? `${SEX_LABEL[sex]}性` : '', ages].filter(Boolean).join('、');
    return { name, codes: [], from, to, sex, min, max, label };
  },
  /** Points by the letters their range covers, so a diagnosis reads only the ranges of its letter. */
  buildLookup(points) {
    const byLetter = new Map<string, number[]>();
    points.forEach((p, i) => {
      for (let c = p.from.charCodeAt(0); c <= p.to.charCodeAt(0); c++) {
        const letter = String.fromCharCode(c);
        const list = byLetter.get(letter);
        if (list) list.push(i);
        else byLetter.set(letter, [i]);
      }
    });
    return byLetter;
  },
  checkEncounter(enc, rule, ctx, _emit, emitVisit) {
    const dto = enc.dto;
    const diagnoses = dto.fsi_diagnose_dtos;
    const n = diagnoses ? diagnoses.length : 0;
    // The diagnoses, then the main discharge diagnosis; only codes whose letter has a range are
    // looked at further, so an encounter without restricted chapters allocates nothing.
    let seen: Set<string> | undefined;
    let age: number | undefined;
    for (let d = 0; d <= n; d++) {
      const code = d < n ? diagnoses![d]?.dise_codg : dto.dscg_main_dise_codg;
      if (!code) continue;
      const key = icdKey(code);
      const candidates = rule.lookup.get(key.charAt(0));
      if (!candidates) continue;
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      const name = (d < n ? diagnoses![d]?.dise_name : dto.dscg_main_dise_name) || code;
      const at = Number.isNaN(enc.admMs) ? ctx.nowMs : enc.admMs;
      for (const i of candidates) {
        const p = rule.points[i];
        if (!inRange(key, p.from, p.to) || !rule.inForce(i, at)) continue;
        const gend = enc.patient.dto.gend;
        if (p.sex && (gend === '1' || gend === '2') && gend !== p.sex) {
          emitVisit(p.name, { diagnosis: code, diagnosis_name: name, limit: p.label, actual: SEX_LABEL[gend] }, code);
        } else if (p.min !== undefined || p.max !== undefined) {
          const birth = enc.patient.birthMs;
          age ??= Number.isNaN(birth) ? NaN : fullYears(birth, at);
          if (!Number.isNaN(age) && ((p.min !== undefined && age < p.min) || (p.max !== undefined && age > p.max))) {
            emitVisit(p.name, { diagnosis: code, diagnosis_name: name, limit: p.label, actual: `${age}岁` }, code);
          }
        }
      }
    }
  },
};
