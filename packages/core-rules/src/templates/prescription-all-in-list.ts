import { basePoint, noParams, type PointBase, type TemplateDef } from './template.js';
import { herbPrescriptions, isSelfPaid } from './prescription.js';

/**
 * 中药饮片单方使用不予支付: 「单独使用时统筹基金不予支付，且全部由这些饮片组成的处方统筹基金也不予支付」.
 * A prescription (see {@link herbPrescriptions}) whose every herb is a listed code offends with
 * each of its herbs; one unlisted herb makes the whole prescription payable. Linear: one pass to
 * group, one lookup per herb.
 */
export const prescriptionAllInList: TemplateDef<PointBase, Record<string, never>, Map<string, number>> = {
  name: 'prescription-all-in-list',
  columns: [],
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    return basePoint(row, problem);
  },
  buildLookup(points) {
    const byCode = new Map<string, number>();
    points.forEach((p, i) => {
      for (const c of p.codes) if (!byCode.has(c)) byCode.set(c, i);
    });
    return byCode;
  },
  checkEncounter(enc, rule, _ctx, emit) {
    for (const rx of herbPrescriptions(enc)) {
      let all = true;
      for (const o of rx) {
        const p = rule.lookup.get(o.code);
        // A herb whose point is not yet (or no longer) in force is an unlisted herb.
        if (p === undefined || !rule.inForce(p, o.beginMs)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      const single = rx.length === 1;
      for (const o of rx) {
        // A herb the patient pays in full is not billed to the fund (it still makes up the prescription).
        if (isSelfPaid(o)) continue;
        const point = rule.points[rule.lookup.get(o.code)!];
        emit(point.name, o, single ? [] : rx, {
          limit: single ? '单独使用不予支付' : '全部由单方不予支付饮片组成的处方不予支付',
          actual: single ? '单味处方' : `处方${rx.length}味均在目录内`,
          count: rx.length,
        });
      }
    }
  },
};
