import { type PointBase, type TemplateDef } from './template.js';
interface AgePoint extends PointBase {
    min?: number;
    max?: number;
    label: string;
}
interface AgeParams {
    min_age?: number;
    max_age?: number;
}
/**
 * 限年龄 / 儿童专用: the point's item is for ages in [min_age, max_age). Age is full years from
 * brdy to the order's begin date (else admission, else now); no birth date never fires.
 */
export declare const ageLimit: TemplateDef<AgePoint, AgeParams>;
export {};
//# sourceMappingURL=age-limit.d.ts.map