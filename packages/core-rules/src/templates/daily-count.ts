import { formatDay } from '../model/dates.js';
import { basePoint, noParams, readNumber, type OrderFactList, type PointBase, type TemplateDef } from './template.js';

interface DailyPoint extends PointBase {
  maxCount: number;
  unit: string;
}

/**
 * 医疗服务项目限定频次: summed cnt of the item within one calendar day exceeds max_count (unit 日/天:
 * once a day; 小时: hours billed). The order that crosses the limit and every later one that day offend.
 */
export const dailyCount: TemplateDef<DailyPoint, Record<string, never>> = {
  name: 'daily-count',
  columns: ['max_count'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const maxCount = readNumber(row.max_count, 'max_count', problem, { min: 0 });
    const unit = typeof row.unit === 'string' && row.unit ? row.unit : '次';
    return base && maxCount !== undefined ? { ...base, maxCount, unit } : undefined;
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    let day = NaN;
    // Formatted only when the day has a finding.
    let date = '';
    let sum = 0;
    // The day's earlier orders, shared by every finding of the day (the emitter reads a range).
    let sameDay: OrderFactList = [];
    for (const { order } of entries) {
      if (order.beginDay !== day) {
        day = order.beginDay;
        date = '';
        sum = 0;
        sameDay = [];
      }
      sum += order.cnt;
      if (sum > point.maxCount) {
        if (date === '') date = formatDay(day);
        emit(order, sameDay, { limit: point.maxCount, actual: sum, unit: point.unit, date }, 0, sameDay.length);
      }
      sameDay.push(order);
    }
  },
};
