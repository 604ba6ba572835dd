import { type PointBase, type TemplateDef } from './template.js';
interface SexPoint extends PointBase {
    sex: '1' | '2';
}
/** 区分性别使用: the point's item is for one sex only; unknown sex (0, 9, missing) never fires. */
export declare const sexLimit: TemplateDef<SexPoint, Record<string, never>>;
export {};
//# sourceMappingURL=sex-limit.d.ts.map