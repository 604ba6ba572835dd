import { SEX_LABEL } from './labels.js';
import { basePoint, noParams, type PointBase, type TemplateDef, readText } from './template.js';

interface SexPoint extends PointBase {
  sex: '1' | '2';
}

const SEX_CELL = new Map<string, '1' | '2'>([
  ['1', '1'],
  ['2', '2'],
  ['男', '1'],
  ['女', '2'],
]);

/** 区分性别使用: the point's item is for one sex only; unknown sex (0, 9, missing) never fires. */
export const sexLimit: TemplateDef<SexPoint, Record<string, never>> = {
  name: 'sex-limit',
  columns: ['sex'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const sex = SEX_CELL.get(readText(row.sex).trim());
    if (!sex) problem('sex', `must be 1 (男) or 2 (女), got ${JSON.stringify(row.sex)}`);
    return base && sex ? { ...base, sex } : undefined;
  },
  checkOrder(order, point) {
    const gend = order.enc.patient.dto.gend;
    if ((gend !== '1' && gend !== '2') || gend === point.sex) return undefined;
    return { limit: `${SEX_LABEL[point.sex]}性`, actual: SEX_LABEL[gend] };
  },
};
