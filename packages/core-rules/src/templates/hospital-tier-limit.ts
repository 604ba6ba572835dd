import { TIER_LABEL, tierOf } from './labels.js';
import { basePoint, noParams, readNumber, type PointBase, type TemplateDef } from './template.js';

interface TierPoint extends PointBase {
  minTier: number;
  label: string;
}

/** 限医疗机构级别: the hospital's tier (from medins_lv) is below the point's; unknown levels never fire. */
export const hospitalTierLimit: TemplateDef<TierPoint, Record<string, never>> = {
  name: 'hospital-tier-limit',
  columns: ['min_tier'],
  readsHospitalLevel: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const base = basePoint(row, problem);
    const minTier = readNumber(row.min_tier, 'min_tier', problem, { integer: true, min: 1 });
    if (minTier !== undefined && minTier > 3) problem('min_tier', 'must be 1, 2 or 3');
    const object = typeof row.object === 'string' && row.object ? row.object : minTier !== undefined ? TIER_LABEL[minTier] : '';
    return base && minTier !== undefined && minTier <= 3 ? { ...base, minTier, label: object } : undefined;
  },
  checkOrder(order, point) {
    const tier = tierOf(order.enc.dto.medins_lv);
    if (tier === undefined || tier >= point.minTier) return undefined;
    return { limit: point.label, actual: TIER_LABEL[tier] };
  },
};
