import type { OrderFact } from '../model/facts.js';
import { basePoint, noParams, readNumber, type PointBase, type TemplateDef } from './template.js';

interface RollingPoint extends PointBase {
  maxCount: number;
  periodDays: number;
}

/**
 * 医疗服务项目周期超频次: more than max_count uses (summed cnt) within a rolling window of
 * period_days; uses fewer than period_days apart share a window (1 per 15 days: day 1 and day 15
 * conflict, day 1 and day 16 do not).
 */
export const rollingCount: TemplateDef<RollingPoint, Record<string, never>> = {
  name: 'rolling-count',
  columns: ['max_count', 'period_days'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const maxCount = readNumber(row.max_count, 'max_count', problem, { min: 0 });
    const periodDays = readNumber(row.period_days, 'period_days', problem, { integer: true, min: 1 });
    return base && maxCount !== undefined && periodDays !== undefined ? { ...base, maxCount, periodDays } : undefined;
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    // One list of the orders; each finding names its window as a range of it.
    const orders = new Array<OrderFact>(entries.length);
    for (let i = 0; i < entries.length; i++) orders[i] = entries[i].order;
    let start = 0;
    let sum = 0;
    for (let i = 0; i < orders.length; i++) {
      const order = orders[i];
      sum += order.cnt;
      while (order.beginDay - orders[start].beginDay >= point.periodDays) sum -= orders[start++].cnt;
      if (sum > point.maxCount) emit(order, orders, { limit: point.maxCount, actual: sum, period: point.periodDays }, start, i);
    }
  },
};
