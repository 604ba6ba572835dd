import { type PointBase, type TemplateDef } from './template.js';
interface DiagnosisPoint extends PointBase {
    from: string;
    to: string;
    sex?: '1' | '2';
    min?: number;
    max?: number;
    label: string;
}
/** ICD-10 code as compared: upper case, without the dot, spaces or a trailing dagger/asterisk. */
export declare function icdKey(code: string): string;
/**
 * 诊断与患者性别不符 / 年龄不符: a diagnosis of the encounter (fsi_diagnose_dtos, and the main
 * discharge diagnosis) in an ICD-10 range restricted to one sex, or to ages min_age … max_age
 * (full years at admission, both bounds included: 以上/以下). Unknown sex (0, 9, missing), no
 * birth date, or no usable date never fire. One finding per distinct code and range.
 */
export declare const diagnosisLimit: TemplateDef<DiagnosisPoint, Record<string, never>, ReadonlyMap<string, readonly number[]>>;
export {};
//# sourceMappingURL=diagnosis-limit.d.ts.map