import type { OrderFact } from '../model/facts.js';
import { orderName } from './prescription.js';
import { noParams, type PointBase, type PointEmitter, type TemplateDef, readText } from './template.js';

/** An ATC prefix the rule does not judge (infusion solvents, parenteral nutrition …). */
interface ExemptPoint extends PointBase {
  prefix: string;
}

/**
 * National western-drug codes (23 characters, `XA02BCA084A012010100453`): `X`, the ATC level-4
 * class (A02BC, characters 1–5), the generic-name code within the catalogue (A084, characters
 * 6–9; the same for every dosage form, spec and maker of one generic), then dosage form, spec and
 * maker. Only such codes carry a pharmacological class.
 */
function isWesternDrugCode(code: string): boolean {
  if (code.length !== 23 || code.charCodeAt(0) !== 88 /* X */) return false;
  // ATC: letter, two digits, two letters.
  const c1 = code.charCodeAt(1),
    c2 = code.charCodeAt(2),
    c3 = code.charCodeAt(3),
    c4 = code.charCodeAt(4),
    c5 = code.charCodeAt(5);
  return c1 >= 65 && c1 <= 90 && c2 >= 48 && c2 <= 57 && c3 >= 48 && c3 <= 57 && c4 >= 65 && c4 <= 90 && c5 >= 65 && c5 <= 90;
}

/** ATC level-4 class of a western-drug code (A02BC). */
export function atcClass(code: string): string {
  return code.slice(1, 6);
}

/** Generic-name code of a western-drug code (A084): equal for two packings of one generic. */
export function genericKey(code: string): string {
  return code.slice(6, 10);
}

/** Whether an order is a western drug of the national catalogue with an ATC class. */
function isWesternDrug(order: OrderFact): boolean {
  const type = order.dto.hilist_type;
  if (type !== undefined && type !== '' && type !== '101') return false;
  return isWesternDrugCode(order.code);
}

/** The prescription key of an order: 处方号 rxno, else its begin day (as the herbal rules group). */
function rxKey(o: OrderFact): string {
  const rxno = o.dto.rxno;
  return rxno !== undefined && rxno !== '' ? `rx:${rxno}` : `day:${o.beginDay}`;
}

/** Above this many western drugs in an encounter the pair pre-scan is skipped (it is quadratic). */
const PAIR_SCAN_MAX = 32;

/** Whether characters [from, to) of two codes are equal. */
function sameChars(a: string, b: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Whether two orders are in one prescription (same rxno; both without one: same begin day). */
function samePrescription(a: OrderFact, b: OrderFact): boolean {
  const ra = a.dto.rxno,
    rb = b.dto.rxno;
  const hasA = ra !== undefined && ra !== '',
    hasB = rb !== undefined && rb !== '';
  if (hasA || hasB) return hasA && hasB && ra === rb;
  return a.beginDay === b.beginDay;
}

/** Whether some two current western drugs are different generics of one class in one prescription with overlapping days. */
function anyDuplicatePair(orders: readonly OrderFact[]): boolean {
  for (let i = 0; i < orders.length; i++) {
    const a = orders[i];
    if (!a.current || !isWesternDrug(a)) continue;
    for (let j = i + 1; j < orders.length; j++) {
      const b = orders[j];
      if (!b.current || !isWesternDrug(b)) continue;
      if (sameChars(a.code, b.code, 1, 6) && !sameChars(a.code, b.code, 6, 10) && samePrescription(a, b) && overlaps(a, b)) return true;
    }
  }
  return false;
}

/** Whether two orders' covered days (begin day … stop day) overlap. */
function overlaps(a: OrderFact, b: OrderFact): boolean {
  return a.beginDay <= b.stopDay && b.beginDay <= a.stopDay;
}

/**
 * 重复开药 (same pharmacological class): within one encounter (one mdtrt_id), two current orders
 * of different generics (generic-name code) of one ATC level-4 class, in one prescription
 * (same `rxno`; without one, the same begin day) and with overlapping days. Each such order
 * offends once; the other generics of its class are its 涉及项. Two packings, specs or makers of
 * one generic never fire. ATC prefixes listed in the rule's table (solvents, infusion fluids,
 * parenteral nutrition, combined by design) are not judged. Encounters without a duplicate pair
 * (up to 32 western drugs) allocate nothing.
 */
export const duplicateClass: TemplateDef<ExemptPoint, Record<string, never>> = {
  name: 'duplicate-class',
  columns: ['atc_prefix'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const prefix = readText(row.atc_prefix).trim().toUpperCase();
    if (!/^[A-Z](\d\d([A-Z]([A-Z])?)?)?$/.test(prefix)) {
      problem('atc_prefix', `must be an ATC code of level 1–4 (B, B05, B05B, B05BA), got ${JSON.stringify(row.atc_prefix)}`);
      return undefined;
    }
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : prefix;
    return { name, codes: [], prefix };
  },
  checkEncounter(enc, rule, _ctx, emit) {
    const orders = enc.orders;
    let drugs = 0;
    for (let i = 0; i < orders.length && drugs <= PAIR_SCAN_MAX; i++) if (orders[i].current && isWesternDrug(orders[i])) drugs++;
    if (drugs < 2) return;
    // The usual prescription has a few western drugs and no duplicate: a pair scan finds that
    // without allocating; only a duplicate (or a very long encounter) builds the groups.
    if (drugs <= PAIR_SCAN_MAX && !anyDuplicatePair(orders)) return;
    // Prescription + class → its orders, in time order.
    const groups = new Map<string, OrderFact[]>();
    for (const o of orders) {
      if (!o.current || !isWesternDrug(o)) continue;
      const key = `${rxKey(o)}|${atcClass(o.code)}`;
      const list = groups.get(key);
      if (list) list.push(o);
      else groups.set(key, [o]);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const cls = atcClass(list[0].code);
      const first = genericKey(list[0].code);
      if (list.every((o) => genericKey(o.code) === first)) continue;
      judgeClass(list, cls, rule.points, (p, ms) => rule.inForce(p, ms), emit);
    }
  },
};

function judgeClass(list: readonly OrderFact[], cls: string, points: readonly ExemptPoint[], inForce: (p: number, ms: number) => boolean, emit: PointEmitter): void {
  for (const o of list) {
    if (exempt(cls, o.beginMs, points, inForce)) continue;
    const mine = genericKey(o.code);
    const others = list.filter((x) => x !== o && genericKey(x.code) !== mine && overlaps(o, x));
    if (others.length === 0) continue;
    const otherNames = [...new Set(others.map((x) => orderName(x) || x.code))];
    emit(cls, o, others, {
      class: cls,
      other: otherNames.slice(0, 5).join('、'),
      limit: `同一处方同一药理分类（ATC ${cls}）限一种通用名`,
      actual: `另有${otherNames.slice(0, 5).join('、')}`,
    });
  }
}

/** Whether the class is exempt on that day (a listed prefix of it in force). */
function exempt(cls: string, ms: number, points: readonly ExemptPoint[], inForce: (p: number, ms: number) => boolean): boolean {
  for (let p = 0; p < points.length; p++) if (cls.startsWith(points[p].prefix) && inForce(p, ms)) return true;
  return false;
}
