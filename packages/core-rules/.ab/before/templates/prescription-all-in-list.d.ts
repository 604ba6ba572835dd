import { type PointBase, type TemplateDef } from './template.js';
/**
 * 中药饮片单方使用不予支付: 「单独使用时统筹基金不予支付，且全部由这些饮片组成的处方统筹基金也不予支付」.
 * A prescription (see {@link herbPrescriptions}) whose every herb is a listed code offends with
 * each of its herbs; one unlisted herb makes the whole prescription payable. Linear: one pass to
 * group, one lookup per herb.
 */
export declare const prescriptionAllInList: TemplateDef<PointBase, Record<string, never>, Map<string, number>>;
//# sourceMappingURL=prescription-all-in-list.d.ts.map