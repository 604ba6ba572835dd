import type { KnowledgeRow } from '../knowledge/types.js';
import type { OrderFact } from '../model/facts.js';
import { readNumber, type PointBase, type TemplateDef, readText } from './template.js';

interface GroupPoint extends PointBase {
  group: string;
}
interface DiscountParams {
  ratio: number;
}

function standardPrice(o: OrderFact): number | undefined {
  return o.dto.hilist_pric;
}

/**
 * 手术项目未按规定折价收费: two or more operations of one 手术组 on one day in one encounter; every
 * one but the highest standard-priced must be charged at most ratio × its standard price.
 */
export const surgeryDiscount: TemplateDef<GroupPoint, DiscountParams> = {
  name: 'surgery-discount',
  columns: ['group'],
  prepareRows(rows) {
    // One point per surgery group: all the group's item codes index the same point.
    const byGroup = new Map<string, KnowledgeRow>();
    for (const row of rows) {
      const group = readText(row.group).trim();
      let merged = byGroup.get(group);
      if (!merged) byGroup.set(group, (merged = { name: group, group, codes: [] }));
      for (const c of row.codes ?? []) merged.codes!.push(c);
    }
    return [...byGroup.values()];
  },
  compileParams(params, problem) {
    for (const k of Object.keys(params)) if (k !== 'ratio') problem(k, 'is not a parameter of surgery-discount');
    const ratio = readNumber(params.ratio, 'ratio', problem, { min: 0 }) ?? 0.5;
    if (ratio > 1) problem('ratio', 'must be between 0 and 1');
    return { ratio };
  },
  compilePoint(row, _params, problem) {
    const group = readText(row.group).trim();
    if (!group) problem('group', 'is required');
    const codes = row.codes ?? [];
    if (codes.length === 0) problem('codes', 'must list at least one national code');
    return group && codes.length > 0 ? { name: group, group, codes } : undefined;
  },
  checkGroup(entries, point, params, _ctx, emit) {
    const sameDay = new Map<string, OrderFact[]>();
    for (const { order } of entries) {
      const key = `${order.enc.dto.mdtrt_id}\u0000${order.beginDay}`;
      const list = sameDay.get(key);
      if (list) list.push(order);
      else sameDay.set(key, [order]);
    }
    for (const orders of sameDay.values()) {
      if (orders.length < 2) continue;
      let main = orders[0];
      for (const o of orders) if ((standardPrice(o) ?? o.dto.pric ?? 0) > (standardPrice(main) ?? main.dto.pric ?? 0)) main = o;
      for (const o of orders) {
        if (o === main) continue;
        const standard = standardPrice(o);
        const pric = o.dto.pric;
        if (standard === undefined || pric === undefined) continue;
        if (pric > params.ratio * standard + 1e-9) {
          emit(o, [main], {
            group: point.group,
            ratio: `${Math.round(params.ratio * 100)}%`,
            standard,
            limit: Math.round(params.ratio * standard * 100) / 100,
            actual: pric,
            main: main.dto.hilist_name ?? main.code,
          });
        }
      }
    }
  },
};
