import { type PointBase, type TemplateDef } from './template.js';
type PairWindow = {
    kind: 'day';
} | {
    kind: 'encounter';
} | {
    kind: 'hours';
    ms: number;
} | {
    kind: 'clock-hour';
};
interface PairPoint extends PointBase {
    mainCode: string;
    subCode: string;
    mainName: string;
    subName: string;
    window: PairWindow;
    windowLabel: string;
}
/** Parses 单日 | 单次就诊 | 同一小时 | <N>小时. */
export declare function parsePairWindow(text: string): PairWindow | undefined;
/**
 * 医疗服务项目重复收费: the sub item is billed with the main item that includes it, within the
 * pair's window (same day; same encounter, i.e. the same mdtrt_id; begin times at most N hours
 * apart, exactly N included, as 以内 reads; or the same clock hour). The sub-item order is 违规项,
 * the main-item orders 涉及项.
 */
export declare const pairExclusion: TemplateDef<PairPoint, Record<string, never>>;
export {};
//# sourceMappingURL=pair-exclusion.d.ts.map