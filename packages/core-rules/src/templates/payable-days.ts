import { basePoint, noParams, readNumber, type Emitter, type GroupEntry, type OrderFactList, type PointBase, type Problem, type TemplateDef } from './template.js';

interface DaysPoint extends PointBase {
  maxDays: number;
  /** Days count within one stay (one mdtrt_id) rather than over all the patient's orders. */
  perStay: boolean;
}

/** Longest span one order may claim; a typo'd stop date must not make evaluation loop for years. */
const MAX_ORDER_SPAN = 3660;

/** The optional per_stay cell: "1" per stay, "0" or empty over the patient's history. */
function readPerStay(v: unknown, problem: Problem): boolean {
  if (v === undefined || v === null || v === '' || v === '0' || v === false) return false;
  if (v === '1' || v === true) return true;
  problem('per_stay', `must be 1 (days counted within one stay), 0 or empty, got ${JSON.stringify(v)}`);
  return false;
}

/**
 * Counts the distinct days covered by `entries` (time order); the order that takes the count past
 * the limit and every later one offend.
 */
function countDays(entries: readonly GroupEntry[], point: DaysPoint, emit: Emitter): void {
  // Orders come in begin-day order, so the covered days are the union of intervals that start
  // in order: a day before the current begin that is not covered yet never will be, and the
  // count grows by the part of [begin, last] past the furthest day covered so far. O(1) per order.
  let covered = 0;
  let through = -Infinity;
  const before: OrderFactList = [];
  for (const entry of entries) {
    const order = entry.order;
    const last = Math.min(order.stopDay, order.beginDay + MAX_ORDER_SPAN);
    const from = Math.max(order.beginDay, through + 1);
    if (last >= from) {
      covered += last - from + 1;
      through = last;
    }
    // Each order is judged by the limit of the version it hit (a revision may re-issue a point).
    const maxDays = ((entry.version as DaysPoint | undefined) ?? point).maxDays;
    if (covered > maxDays) emit(order, before, { limit: maxDays, actual: covered, window: point.perStay ? '单次住院' : '累计' }, 0, before.length);
    before.push(order);
  }
}

/**
 * 药品限支付疗程: distinct calendar days covered by the patient's orders of the drug (each covers
 * begin..stop day; just its begin day without a stop date, or with one before the begin) exceed
 * max_days. Once exceeded, the order and every later one offend. A point with per_stay = 1 (its
 * text says 「单次住院」) counts the days of each stay (mdtrt_id) on their own.
 */
export const payableDays: TemplateDef<DaysPoint, Record<string, never>> = {
  name: 'payable-days',
  columns: ['max_days'],
  compileParams: noParams,
  /**
   * Versions of one drug's point (same name: the 2026-01-28 revision re-issued it with new codes)
   * count their days together: a stay spanning the revision is one course, not two.
   */
  versionKey: (point) => point.name,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const maxDays = readNumber(row.max_days, 'max_days', problem, { integer: true, min: 1 });
    const perStay = readPerStay(row.per_stay, problem);
    return base && maxDays !== undefined ? { ...base, maxDays, perStay } : undefined;
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    if (!point.perStay) {
      countDays(entries, point, emit);
      return;
    }
    // One stay is one mdtrt_id, however many encounter entries the HIS sent it as.
    const stays = new Map<string, GroupEntry[]>();
    for (const e of entries) {
      const id = e.order.enc.dto.mdtrt_id;
      const list = stays.get(id);
      if (list) list.push(e);
      else stays.set(id, [e]);
    }
    for (const list of stays.values()) countDays(list, point, emit);
  },
};
