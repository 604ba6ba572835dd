import { type PointBase, type TemplateDef } from './template.js';
/** One side of an incompatible pair: national codes, and herb names matched inside order names. */
interface Side {
    label: string;
    codes: ReadonlySet<string>;
    names: readonly string[];
    /** Names that contain a side name but are another herb (白附子 is not 附子). */
    exclude: readonly string[];
}
interface PairPoint extends PointBase {
    kind: string;
    a: Side;
    b: Side;
}
interface PairLookup {
    /** National code → the sides (pair index * 2 + 0 for a, 1 for b) that list it. */
    byCode: ReadonlyMap<string, readonly number[]>;
    /** First character of a side name → the names starting with it and their side. */
    byChar: ReadonlyMap<string, ReadonlyArray<{
        name: string;
        hit: number;
    }>>;
}
/**
 * 中药饮片配伍禁忌: two herbs of one incompatible pair (十八反, 十九畏) in one prescription (see
 * {@link herbPrescriptions}). An herb belongs to a side by its national T-code or by a side name
 * found in its order name (炙甘草 is 甘草, 法半夏 is 半夏). Every herb of either side offends, once,
 * naming every pair it is in; the other side's herbs are its 涉及项. Per herb: one code look-up and a scan
 * of its name's characters against the side names that start with each, so a prescription costs
 * linear time whatever the size of the pair table.
 */
export declare const prescriptionPair: TemplateDef<PairPoint, Record<string, never>, PairLookup>;
export {};
//# sourceMappingURL=prescription-pair.d.ts.map