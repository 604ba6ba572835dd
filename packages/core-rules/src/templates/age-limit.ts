import { fullYears } from '../model/dates.js';
import { basePoint, readNumber, type PointBase, type TemplateDef } from './template.js';

interface AgePoint extends PointBase {
  min?: number;
  max?: number;
  label: string;
}
interface AgeParams {
  min_age?: number;
  max_age?: number;
}

/**
 * 限年龄 / 儿童专用: the point's item is for ages in [min_age, max_age). Age is full years from
 * brdy to the order's begin date (else admission, else now); no birth date never fires.
 */
export const ageLimit: TemplateDef<AgePoint, AgeParams> = {
  name: 'age-limit',
  columns: [],
  compileParams(params, problem) {
    const out: AgeParams = {};
    for (const k of Object.keys(params)) if (k !== 'min_age' && k !== 'max_age') problem(k, 'is not a parameter of age-limit');
    out.min_age = readNumber(params.min_age, 'min_age', problem, { min: 0 });
    out.max_age = readNumber(params.max_age, 'max_age', problem, { min: 0 });
    return out;
  },
  compilePoint(row, params, problem) {
    const base = basePoint(row, problem);
    const min = readNumber(row.min_age, 'min_age', problem, { min: 0 }) ?? params.min_age;
    const max = readNumber(row.max_age, 'max_age', problem, { min: 0 }) ?? params.max_age;
    if (min === undefined && max === undefined) problem('max_age', 'the row or the rule params must give min_age or max_age');
    if (!base || (min === undefined && max === undefined)) return undefined;
    const object = typeof row.object === 'string' && row.object ? row.object : '';
    const range = min !== undefined && max !== undefined ? `${min}至${max}岁以下` : max !== undefined ? `${max}岁以下` : `${min}岁及以上`;
    return { ...base, min, max, label: object ? `${object}（${range}）` : range };
  },
  checkOrder(order, point, _params, ctx) {
    const birth = order.enc.patient.birthMs;
    if (Number.isNaN(birth)) return undefined;
    const age = fullYears(birth, Number.isNaN(order.beginMs) ? ctx.nowMs : order.beginMs);
    if (Number.isNaN(age)) return undefined;
    if ((point.max !== undefined && age >= point.max) || (point.min !== undefined && age < point.min)) {
      return { limit: point.label, actual: age };
    }
    return undefined;
  },
};
