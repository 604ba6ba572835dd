import { type PointBase, type TemplateDef } from './template.js';
/** Encounter field → the values that put an encounter in the rule's scope. */
type FieldValues = ReadonlyArray<readonly [string, ReadonlySet<string>]>;
interface CodeListParams {
    /** When given, the rule fires only in encounters where one of these fields has one of its values. */
    encounterFields?: FieldValues;
    /** Label of that scope for messages (e.g. 互联网诊疗). */
    scopeLabel: string;
    /** 不予支付 rules: an order the patient pays in full (ownpay_amt ≥ its amount) is not billed to the fund. */
    skipSelfPaid: boolean;
}
/**
 * 目录内不予支付 / 限定场景不予支付: any current order of the point's codes offends (中药饮片单复方均不予
 * 支付); with `encounter_fields`, only in encounters marked by one of those field values (超互联网
 * 医院药品支付范围: an internet visit, as the HIS marks it). An encounter without the fields is not
 * in scope: the rule never guesses. With `skip_self_paid`, a line the patient pays in full
 * (ownpay_amt covers its amount) is not billed to the fund and does not offend.
 */
export declare const codeList: TemplateDef<PointBase, CodeListParams>;
export {};
//# sourceMappingURL=code-list.d.ts.map