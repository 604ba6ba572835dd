import { type PointBase, type TemplateDef } from './template.js';
interface TierPoint extends PointBase {
    minTier: number;
    label: string;
}
/** 限医疗机构级别: the hospital's tier (from medins_lv) is below the point's; unknown levels never fire. */
export declare const hospitalTierLimit: TemplateDef<TierPoint, Record<string, never>>;
export {};
//# sourceMappingURL=hospital-tier-limit.d.ts.map