import type { EncounterFact, OrderFact } from '../evaluate/facts.js';
/**
 * Whether an order is a herbal-slice (中药饮片) line: catalogue type 102, or a national code of
 * the herbal-slice catalogue (T + digits) when the HIS sent no hilist_type.
 */
export declare function isHerbOrder(order: OrderFact): boolean;
/**
 * The herbal prescriptions of one encounter (one mdtrt_id): its current herbal orders grouped by
 * 处方号 `rxno`; orders without one are grouped by their begin day (one day's herbs are one
 * prescription when the HIS does not number them). History orders are not part of a prescription
 * being checked. One pass over the encounter's orders.
 */
export declare function herbPrescriptions(enc: EncounterFact): readonly OrderFact[][];
/** The name an order shows: national name, else the hospital's own. */
export declare function orderName(order: OrderFact): string;
/**
 * Whether the fund is not asked to pay the order at all: its 自费金额 `ownpay_amt` covers its whole
 * amount (the patient pays it out of pocket). A 不予支付 finding on such a line would be moot.
 */
export declare function isSelfPaid(order: OrderFact): boolean;
//# sourceMappingURL=prescription.d.ts.map