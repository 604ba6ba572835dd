import { INSUTYPE_LABEL } from './labels.js';
import { basePoint, noParams, readList, type PointBase, type TemplateDef } from './template.js';

interface InsurancePoint extends PointBase {
  allowed: ReadonlySet<string>;
  label: string;
}

/**
 * 限工伤保险 / 限生育保险: billed under an insurance type outside `insutypes` (an empty list: no
 * medical-insurance type may pay, as for 工伤-only drugs).
 */
export const insuranceTypeLimit: TemplateDef<InsurancePoint, Record<string, never>> = {
  name: 'insurance-type-limit',
  columns: ['insutypes'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const allowed = readList(row.insutypes);
    for (const c of allowed) if (!/^\d{3}$/.test(c)) problem('insutypes', `${JSON.stringify(c)} is not an insutype code`);
    const object = typeof row.object === 'string' && row.object ? row.object : allowed.map((c) => INSUTYPE_LABEL[c] ?? c).join('、');
    return base ? { ...base, allowed: new Set(allowed), label: object } : undefined;
  },
  checkOrder(order, point) {
    const insutype = order.enc.dto.insutype;
    if (insutype !== undefined && point.allowed.has(insutype)) return undefined;
    return { limit: point.label, actual: insutype ? (INSUTYPE_LABEL[insutype] ?? insutype) : '未知险种' };
  },
};
