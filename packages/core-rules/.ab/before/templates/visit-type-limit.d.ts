import { type PointBase, type TemplateDef } from './template.js';
interface VisitPoint extends PointBase {
    allowed: ReadonlySet<string>;
    label: string;
}
/** 限就医方式: the encounter's med_mdtrt_type is not one the point allows (e.g. 住院 only). */
export declare const visitTypeLimit: TemplateDef<VisitPoint, Record<string, never>>;
export {};
//# sourceMappingURL=visit-type-limit.d.ts.map