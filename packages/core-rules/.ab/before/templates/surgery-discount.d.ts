import { type PointBase, type TemplateDef } from './template.js';
interface GroupPoint extends PointBase {
    group: string;
}
interface DiscountParams {
    ratio: number;
}
/**
 * 手术项目未按规定折价收费: two or more operations of one 手术组 on one day in one encounter; every
 * one but the highest standard-priced must be charged at most ratio × its standard price.
 */
export declare const surgeryDiscount: TemplateDef<GroupPoint, DiscountParams>;
export {};
//# sourceMappingURL=surgery-discount.d.ts.map