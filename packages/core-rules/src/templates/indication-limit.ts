import type { EncounterFact, OrderFact } from '../model/facts.js';
import { fullYears } from '../model/dates.js';
import { VISIT_LABEL } from './labels.js';
import { icdKey } from './diagnosis-limit.js';
import { isSelfPaid } from './prescription.js';
import { basePoint, readNumber, type PointBase, type Problem, type TemplateDef, type Vars } from './template.js';

/** How a point is judged: on the encounter's diagnoses, or only by reminding the doctor of the limit. */
type Kind = 'diagnosis' | 'reminder';

interface IndicationPoint extends PointBase {
  kind: Kind;
  /** The catalogue limit, verbatim: quoted in every finding. */
  text: string;
  /**
   * ICD-10 prefixes (upper case, no dot) of every diagnosis set, merged, sorted and prefix-free:
   * a code matches when the greatest prefix ≤ it is a prefix of it (one binary search).
   */
  prefixes: readonly string[];
  /** Full years, both bounds included (以上/以下); undefined = no bound. */
  minAge?: number;
  maxAge?: number;
  /** med_mdtrt_type the limit requires (住院 "2"), if any. */
  visitType?: string;
  /** National code prefixes of drugs whose earlier use satisfies the limit (二线: the first line). */
  priorCodes: readonly string[];
}

interface IndicationParams {
  /** 限二线: a use whose diagnosis fits (or cannot be judged) still reminds, unless a first-line drug is in the history. */
  secondLine: boolean;
}

const ICD_PREFIX = /^[A-Z][0-9A-Z]{0,6}$/;

/** Sorted, de-duplicated, with every prefix that another prefix already covers removed. */
export function prefixFree(list: readonly string[]): string[] {
  const sorted = [...new Set(list)].sort();
  const out: string[] = [];
  for (const p of sorted) if (out.length === 0 || !p.startsWith(out[out.length - 1])) out.push(p);
  return out;
}

/** Whether `key` starts with one of the prefix-free sorted `prefixes`. */
export function matchesPrefix(prefixes: readonly string[], key: string): boolean {
  let lo = 0,
    hi = prefixes.length - 1,
    best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (prefixes[mid] <= key) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 && key.startsWith(prefixes[best]);
}

/** `A01;B02,B03` → prefixes of every set (sets `;`, prefixes within a set `,` or `|`). */
function readSets(v: unknown, problem: Problem): string[] | undefined {
  const cell = typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.join(';') : '';
  if (!cell) return [];
  const out: string[] = [];
  let ok = true;
  for (const set of cell.split(';')) {
    for (const raw of set.split(/[,|]/)) {
      const p = raw.trim().toUpperCase().replace(/\./g, '');
      if (!p) continue;
      if (!ICD_PREFIX.test(p)) {
        problem('icd_sets', `must list ICD-10 code prefixes, got ${JSON.stringify(raw.trim())}`);
        ok = false;
        continue;
      }
      out.push(p);
    }
  }
  return ok ? out : undefined;
}

/** The encounter's diagnosis codes (every fsi_diagnose_dtos entry and the main discharge diagnosis), as compared. */
function diagnosisKeys(enc: EncounterFact): readonly string[] {
  let keys = KEYS.get(enc);
  if (keys) return keys;
  const list: string[] = [];
  const diagnoses = enc.dto.fsi_diagnose_dtos;
  if (diagnoses) for (const d of diagnoses) if (d?.dise_codg) list.push(icdKey(d.dise_codg));
  if (enc.dto.dscg_main_dise_codg) list.push(icdKey(enc.dto.dscg_main_dise_codg));
  keys = list;
  KEYS.set(enc, keys);
  return keys;
}

/** One list per encounter, shared by every order and both rules that read it. */
const KEYS = new WeakMap<EncounterFact, readonly string[]>();

/** The encounter's diagnoses for a message: "诊断为名称（编码）、…", or 本次就诊无诊断. */
function diagnosisLabel(enc: EncounterFact): string {
  const parts: string[] = [];
  for (const d of enc.dto.fsi_diagnose_dtos ?? []) if (d?.dise_codg) parts.push(`${d.dise_name ?? ''}（${d.dise_codg}）`);
  if (parts.length === 0 && enc.dto.dscg_main_dise_codg) parts.push(`${enc.dto.dscg_main_dise_name ?? ''}（${enc.dto.dscg_main_dise_codg}）`);
  return parts.length > 0 ? `诊断为${parts.slice(0, 5).join('、')}${parts.length > 5 ? `等${parts.length}项` : ''}` : '本次就诊无诊断';
}

/** Whether the patient's orders before this one (any encounter) include a code with one of the prefixes. */
function hasPrior(order: OrderFact, prefixes: readonly string[]): boolean {
  for (const o of order.enc.patient.orders) {
    if (o === order) continue;
    if (o.beginMs > order.beginMs) break;
    for (const p of prefixes) if (o.code.startsWith(p)) return true;
  }
  return false;
}

/**
 * The hospital approved the order (医院审批标志 `hosp_appr_flag` 1, the doctor confirmed the
 * limit is met) or sent it to the patient's own account (2 转自费): either way the fund is not
 * asked to pay outside the limit. See the rulebook README for the field's national use.
 */
function approvedOrOwnPay(order: OrderFact): boolean {
  // normalizeCheckData turns a number into its string; a caller that skips it may send 1.
  const flag: unknown = order.dto.hosp_appr_flag;
  return flag === '1' || flag === '2' || flag === 1 || flag === 2;
}

/**
 * 药品限适应症 / 药品限二线使用: a drug whose catalogue limit names indications. A current order
 * billed to the fund (not self-paid, no hosp_appr_flag 1/2) offends, 高度可疑 (the rule's
 * sev_deg), when the encounter's diagnoses (all of them, and the main discharge diagnosis) match
 * none of the point's ICD-10 prefixes, or the patient's age or visit type is outside the point's
 * bounds. A point whose text cannot be checked (kind `reminder`) reminds the doctor of the limit
 * at sev_deg 3, quoting it. With `second_line`, a use the diagnoses do not rule out still reminds
 * (the first-line failure is not in the data) unless an earlier order of the patient has one of
 * the point's `prior_codes`. Per order: one binary search per diagnosis, nothing per table row.
 */
export const indicationLimit: TemplateDef<IndicationPoint, IndicationParams> = {
  name: 'indication-limit',
  columns: ['limit_text', 'kind'],
  compileParams(params, problem) {
    for (const k of Object.keys(params)) if (k !== 'second_line') problem(k, 'is not a parameter of indication-limit');
    if (params.second_line !== undefined && typeof params.second_line !== 'boolean') problem('second_line', 'must be true or false');
    return { secondLine: params.second_line === true };
  },
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const text = typeof row.limit_text === 'string' ? row.limit_text.trim() : '';
    if (!text) problem('limit_text', 'is required: the catalogue limit, verbatim');
    const kind = row.kind;
    if (kind !== 'diagnosis' && kind !== 'reminder') problem('kind', `must be "diagnosis" or "reminder", got ${JSON.stringify(kind)}`);
    const prefixes = readSets(row.icd_sets, problem);
    if (kind === 'diagnosis' && prefixes && prefixes.length === 0) problem('icd_sets', 'a diagnosis point needs at least one ICD-10 prefix');
    const minAge = readNumber(row.min_age, 'min_age', problem, { integer: true, min: 0 });
    const maxAge = readNumber(row.max_age, 'max_age', problem, { integer: true, min: 0 });
    const visit = typeof row.visit_type === 'string' && row.visit_type.trim() ? row.visit_type.trim() : undefined;
    if (visit !== undefined && !(visit in VISIT_LABEL)) problem('visit_type', `must be a med_mdtrt_type (1–4), got ${JSON.stringify(row.visit_type)}`);
    const prior =
      typeof row.prior_codes === 'string'
        ? row.prior_codes
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    if (!base || !text || (kind !== 'diagnosis' && kind !== 'reminder') || !prefixes || (kind === 'diagnosis' && prefixes.length === 0)) return undefined;
    if (visit !== undefined && !(visit in VISIT_LABEL)) return undefined;
    return { ...base, kind, text, prefixes: prefixFree(prefixes), minAge, maxAge, visitType: visit, priorCodes: prior };
  },
  checkOrder(order, point, params, ctx): Vars | undefined {
    if (approvedOrOwnPay(order) || isSelfPaid(order)) return undefined;
    const enc = order.enc;
    const offend = (actual: string): Vars => ({ limit: point.text, actual, sev_deg: '2' });
    if (point.visitType !== undefined) {
      const visit = enc.dto.med_mdtrt_type;
      if (visit !== undefined && visit !== point.visitType) return offend(`就诊类型为${VISIT_LABEL[visit] ?? visit}`);
    }
    if (point.minAge !== undefined || point.maxAge !== undefined) {
      const birth = enc.patient.birthMs;
      const age = Number.isNaN(birth) ? NaN : fullYears(birth, Number.isNaN(order.beginMs) ? ctx.nowMs : order.beginMs);
      if (!Number.isNaN(age) && ((point.minAge !== undefined && age < point.minAge) || (point.maxAge !== undefined && age > point.maxAge))) {
        return offend(`患者年龄${age}岁`);
      }
    }
    if (point.kind === 'diagnosis') {
      const keys = diagnosisKeys(enc);
      let matched = false;
      for (let i = 0; i < keys.length && !matched; i++) matched = matchesPrefix(point.prefixes, keys[i]);
      if (!matched) return offend(`${diagnosisLabel(enc)}，不符合限定适应症`);
      if (!params.secondLine) return undefined;
    }
    if (point.priorCodes.length > 0 && hasPrior(order, point.priorCodes)) return undefined;
    return { limit: point.text, actual: params.secondLine ? '未见一线药品治疗无效或不能耐受的证据，请核对限定支付范围' : '请核对限定支付范围', sev_deg: '3' };
  },
};
