import { type PointBase, type TemplateDef } from './template.js';
interface InsurancePoint extends PointBase {
    allowed: ReadonlySet<string>;
    label: string;
}
/**
 * 限工伤保险 / 限生育保险: billed under an insurance type outside `insutypes` (an empty list: no
 * medical-insurance type may pay, as for 工伤-only drugs).
 */
export declare const insuranceTypeLimit: TemplateDef<InsurancePoint, Record<string, never>>;
export {};
//# sourceMappingURL=insurance-type-limit.d.ts.map