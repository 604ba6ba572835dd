import { basePoint, noParams, readNumber, type OrderFactList, type PointBase, type TemplateDef } from './template.js';

interface DaysPoint extends PointBase { maxDays: number }

/** Longest span one order may claim; a typo'd stop date must not make evaluation loop for years. */
const MAX_ORDER_SPAN = 3660;

/**
 * 药品限支付疗程: distinct calendar days covered by the patient's orders of the drug (each covers
 * begin..stop day) exceed max_days. Once exceeded, the order and every later one offend.
 */
export const payableDays: TemplateDef<DaysPoint, Record<string, never>> = {
  name: 'payable-days',
  columns: ['max_days'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const maxDays = readNumber(row.max_days, 'max_days', problem, { integer: true, min: 1 });
    return base && maxDays !== undefined ? { ...base, maxDays } : undefined;
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    // Orders come in begin-day order, so the covered days are the union of intervals that start
    // in order: a day before the current begin that is not covered yet never will be, and the
    // count grows by the part of [begin, last] past the furthest day covered so far. O(1) per order.
    let covered = 0;
    let through = -Infinity;
    const before: OrderFactList = [];
    for (const { order } of entries) {
      const last = Math.min(order.stopDay, order.beginDay + MAX_ORDER_SPAN);
      const from = Math.max(order.beginDay, through + 1);
      if (last >= from) { covered += last - from + 1; through = last; }
      if (covered > point.maxDays) emit(order, before, { limit: point.maxDays, actual: covered }, 0, before.length);
      before.push(order);
    }
  },
};
