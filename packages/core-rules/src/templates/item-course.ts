import { basePoint, noParams, readNumber, type PointBase, type TemplateDef } from './template.js';

interface CoursePoint extends PointBase {
  maxSpan?: number;
  minInterval?: number;
}

/**
 * 医疗服务项目限支付疗程: days from the patient's first use of the item to this use (inclusive)
 * exceed max_span_days, or this use comes fewer than min_interval_days after the previous one.
 */
export const itemCourse: TemplateDef<CoursePoint, Record<string, never>> = {
  name: 'item-course',
  columns: [],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const maxSpan = readNumber(row.max_span_days, 'max_span_days', problem, { integer: true, min: 1 });
    const minInterval = readNumber(row.min_interval_days, 'min_interval_days', problem, { integer: true, min: 1 });
    if (maxSpan === undefined && minInterval === undefined) problem('max_span_days', 'give max_span_days or min_interval_days');
    return base && (maxSpan !== undefined || minInterval !== undefined) ? { ...base, maxSpan, minInterval } : undefined;
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    if (entries.length === 0) return;
    const first = entries[0].order;
    for (let i = 0; i < entries.length; i++) {
      const order = entries[i].order;
      const span = order.beginDay - first.beginDay + 1;
      if (point.maxSpan !== undefined && span > point.maxSpan) {
        emit(order, [first], { kind: '总时间', limit: point.maxSpan, actual: span });
        continue;
      }
      if (point.minInterval !== undefined && i > 0) {
        const prev = entries[i - 1].order;
        const gap = order.beginDay - prev.beginDay;
        if (gap < point.minInterval) emit(order, [prev], { kind: '间隔', limit: point.minInterval, actual: gap });
      }
    }
  },
};
