import { type PointBase, type TemplateDef } from './template.js';
interface DaysPoint extends PointBase {
    maxDays: number;
    /** Days count within one stay (one mdtrt_id) rather than over all the patient's orders. */
    perStay: boolean;
}
/**
 * 药品限支付疗程: distinct calendar days covered by the patient's orders of the drug (each covers
 * begin..stop day; just its begin day without a stop date, or with one before the begin) exceed
 * max_days. Once exceeded, the order and every later one offend. A point with per_stay = 1 (its
 * text says 「单次住院」) counts the days of each stay (mdtrt_id) on their own.
 */
export declare const payableDays: TemplateDef<DaysPoint, Record<string, never>>;
export {};
//# sourceMappingURL=payable-days.d.ts.map