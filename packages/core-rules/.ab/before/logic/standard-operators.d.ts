import type { LazyOperatorFn, OperatorFn, OperatorOptions } from './registry.js';
/**
 * json-logic-js converts with `parseFloat`; for a number that is the identity except that -0
 * becomes 0 (parseFloat goes through String(-0) === "0"). Skipping the string round trip for
 * numbers keeps `+` and `*` cheap without changing a single result.
 */
export declare function toNumber(value: unknown): number;
/**
 * `var`: json-logic-js's lookup. An absent/empty/null path returns the data itself; otherwise
 * the path is `String(path)` split on dots, each step is a plain property read (so numeric
 * steps index arrays and strings), and null/undefined on the way gives the default (or null).
 */
export declare function getVar(path: unknown, data: unknown, fallback: unknown): unknown;
/** Follows pre-split path segments through `data`; shared by `var` and the compiler. */
export declare function walkPath(segments: readonly string[], data: unknown, notFound: unknown): unknown;
/** `missing`: the keys whose value is null/absent or "" (one array argument = the key list). */
export declare function missing(args: readonly unknown[], data: unknown): unknown[];
/** `in`: substring for strings, `indexOf` (strict equality) for arrays, false otherwise. */
export declare function inOperator(needle: unknown, haystack: unknown): boolean;
/** `merge`: one level of arrays spread ([].concat(a, b, c)); the result's size is charged first. */
export declare function merge(args: readonly unknown[]): unknown[];
/** `cat`: the arguments joined; the length of the string built is charged. */
export declare function cat(args: readonly unknown[]): string;
/** `substr`: String.prototype.substr, plus PHP-style negative length. */
export declare function substr(source: unknown, start: unknown, end: unknown): string;
/** `+`: sum of parseFloat'ed arguments starting from 0 (so one argument casts to number). */
export declare function plus(args: readonly unknown[]): number;
/** `*`: json-logic-js reduces without a seed: one argument comes back unconverted. */
export declare function times(args: readonly unknown[]): unknown;
/** A standard operator with the options it is registered with. */
export interface StandardOperator {
    readonly name: string;
    readonly fn: OperatorFn | LazyOperatorFn;
    readonly options: OperatorOptions;
}
/** Every json-logic-js 2.0.5 operator, ready to register. */
export declare const STANDARD_OPERATORS: readonly StandardOperator[];
/** name → the standard implementation; the compiler specialises an operator only while the
 *  registry still maps its name to this very function. */
export declare const STANDARD_FUNCTIONS: ReadonlyMap<string, OperatorFn | LazyOperatorFn>;
//# sourceMappingURL=standard-operators.d.ts.map