import type { OrderFact } from '../model/facts.js';
import { TIER_LABEL, tierOf } from './labels.js';
import { noParams, readNumber, type PointBase, type TemplateDef, readText } from './template.js';

/** Order price fields a row may name (the national 3101 fields). */
const PRICE_FIELDS = new Set(['lv1_hosp_item_pric', 'lv2_hosp_item_pric', 'lv3_hosp_item_pric', 'hilist_pric']);

interface PricePoint extends PointBase {
  /** Hospital tier of the row (3 三级 … 0 无等级). */
  tier: number;
  /** The order field that holds the price for that tier; '' = none (use the fallback). */
  field: string;
  /** Label of that price, for messages (三级医院价格). */
  label: string;
}

type PriceOrderField = 'lv1_hosp_item_pric' | 'lv2_hosp_item_pric' | 'lv3_hosp_item_pric' | 'hilist_pric';

/** A price in whole fen (分), or undefined when absent, zero, negative or not a number. */
function toFen(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return undefined;
  return Math.round(v * 100);
}

/** Fen as yuan with two decimals. */
function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * Whether an order is a medical service item (医疗服务项目): catalogue type 201, or, when the HIS
 * sent no type, a 15-digit national item code.
 */
function isServiceItem(order: OrderFact): boolean {
  const type = order.dto.hilist_type;
  if (type !== undefined && type !== '') return type === '201';
  const c = order.code;
  if (c.length !== 15) return false;
  for (let i = 0; i < 15; i++) {
    const ch = c.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
  }
  return true;
}

/**
 * 医疗服务项目超限定单价收费: a current service-item order whose unit price `pric` is above the
 * price for the hospital's level — the row of the hospital's tier names the order field
 * (lv3_hosp_item_pric for 三级 …) — or above `hilist_pric` when that level price is absent (no
 * field for the tier, or the order leaves it empty or 0). Refund lines (cnt ≤ 0) are not judged. Prices compare in whole fen (each
 * rounded to the nearest 分), so 12.3 and 12.300000001 are equal and 0.004 元 never fires.
 * The tier comes from `medins_lv` through the national table only: a level outside it (or none)
 * never fires, and the evaluation warns once (the template reads the hospital level).
 */
export const itemPriceLimit: TemplateDef<PricePoint, Record<string, never>, ReadonlyArray<readonly number[]>> = {
  name: 'item-price-limit',
  columns: ['tier', 'price_field'],
  pairTable: true,
  readsHospitalLevel: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const tier = readNumber(row.tier, 'tier', problem, { integer: true, min: 0 });
    if (tier !== undefined && tier > 3) problem('tier', 'must be 0 (无等级), 1, 2 or 3');
    const field = readText(row.price_field).trim();
    if (field && !PRICE_FIELDS.has(field)) problem('price_field', `must be one of ${[...PRICE_FIELDS].join(', ')} or empty, got ${JSON.stringify(row.price_field)}`);
    if (tier === undefined || tier > 3 || (field && !PRICE_FIELDS.has(field))) return undefined;
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : `${TIER_LABEL[tier]}医疗机构`;
    const label = typeof row.label === 'string' && row.label.trim() ? row.label.trim() : field ? `${TIER_LABEL[tier]}医院价格` : '医保目录价格';
    return { name, codes: [], tier, field, label };
  },
  /** Points by tier (0–3). */
  buildLookup(points) {
    const byTier: number[][] = [[], [], [], []];
    points.forEach((p, i) => byTier[p.tier].push(i));
    return byTier;
  },
  checkEncounter(enc, rule, _ctx, emit) {
    const tier = tierOf(enc.dto.medins_lv);
    if (tier === undefined) return;
    const candidates = rule.lookup[tier];
    const orders = enc.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i];
      // A refund (negative cnt) or a zero-quantity line charges nothing at that price.
      if (!o.current || o.cnt <= 0 || !isServiceItem(o)) continue;
      const charged = toFen(o.dto.pric);
      if (charged === undefined) continue;
      // The tier's row in force on the order's day (rows may be dated); none → catalogue price.
      let point: PricePoint | undefined;
      for (let k = 0; k < candidates.length; k++) {
        if (rule.inForce(candidates[k], o.beginMs)) {
          point = rule.points[candidates[k]];
          break;
        }
      }
      let limit = point && point.field ? toFen(o.dto[point.field as PriceOrderField]) : undefined;
      let label = point && point.field ? point.label : '';
      let field = point?.field ?? '';
      if (limit === undefined) {
        limit = toFen(o.dto.hilist_pric);
        label = '医保目录价格';
        field = 'hilist_pric';
      }
      if (limit === undefined || charged <= limit) continue;
      emit(point?.name ?? `${TIER_LABEL[tier]}医疗机构`, o, [], {
        limit: `${label}${yuan(limit)}元`,
        actual: `${yuan(charged)}元`,
        field,
        tier: TIER_LABEL[tier],
        excess: yuan(charged - limit),
      });
    }
  },
};
