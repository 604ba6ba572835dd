import { VISIT_LABEL } from './labels.js';
import { basePoint, noParams, readList, type PointBase, type TemplateDef } from './template.js';

interface VisitPoint extends PointBase {
  allowed: ReadonlySet<string>;
  label: string;
}

/** 限就医方式: the encounter's med_mdtrt_type is not one the point allows (e.g. 住院 only). */
export const visitTypeLimit: TemplateDef<VisitPoint, Record<string, never>> = {
  name: 'visit-type-limit',
  columns: ['med_mdtrt_types'],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const allowed = readList(row.med_mdtrt_types);
    if (allowed.length === 0) problem('med_mdtrt_types', 'must list at least one med_mdtrt_type');
    for (const c of allowed) if (!VISIT_LABEL[c]) problem('med_mdtrt_types', `${JSON.stringify(c)} is not a med_mdtrt_type (1–4)`);
    const object = typeof row.object === 'string' && row.object ? row.object : allowed.map((c) => VISIT_LABEL[c] ?? c).join('、');
    return base && allowed.length > 0 ? { ...base, allowed: new Set(allowed), label: object } : undefined;
  },
  checkOrder(order, point) {
    const type = order.enc.dto.med_mdtrt_type;
    if (type !== undefined && point.allowed.has(type)) return undefined;
    return { limit: point.label, actual: type ? (VISIT_LABEL[type] ?? type) : '未知' };
  },
};
