import { type PointBase, type TemplateDef } from './template.js';
interface RollingPoint extends PointBase {
    maxCount: number;
    periodDays: number;
}
/**
 * 医疗服务项目周期超频次: more than max_count uses (summed cnt) within a rolling window of
 * period_days; uses fewer than period_days apart share a window (1 per 15 days: day 1 and day 15
 * conflict, day 1 and day 16 do not).
 */
export declare const rollingCount: TemplateDef<RollingPoint, Record<string, never>>;
export {};
//# sourceMappingURL=rolling-count.d.ts.map