import type { Evaluator } from './registry.js';
/** A compiled sub-expression, with what the compiler knows about it for folding. */
export interface Compiled {
    /** Evaluates the sub-expression. */
    readonly fn: Evaluator;
    /** Known at compile time; `value` holds it (deep-frozen). */
    readonly isConst: boolean;
    readonly value: unknown;
    /** Depends on nothing but `data`: no env, no side effect. Such logic applied to a constant
     *  (e.g. the per-element logic of `map` over a literal list) can be folded. */
    readonly pure: boolean;
}
/** A compile-time constant node; the value is deep-frozen so sharing it between calls is safe. */
export declare function constant(value: unknown): Compiled;
/** A node evaluated at run time. */
export declare function dynamic(fn: Evaluator, pure: boolean): Compiled;
/** Stands for an absent argument (json-logic-js reads it as `undefined`). */
export declare const UNDEFINED: Compiled;
/** `null`: what `if` without a matching branch and `reduce` without a seed give. */
export declare const NULL: Compiled;
/** Argument `i`, or {@link UNDEFINED} when absent. */
export declare function arg(args: readonly Compiled[], i: number): Compiled;
/** Whether every argument from `from` on is a constant (and so ignoring it changes nothing). */
export declare function constantFrom(args: readonly Compiled[], from: number): boolean;
/** Whether all nodes are pure. */
export declare function allPure(args: readonly Compiled[]): boolean;
/** Steps one compile-time fold may take (see budget.ts); past it the node stays dynamic. */
export declare const FOLD_BUDGET = 100000;
/**
 * Evaluates `fn` once at compile time when its inputs are all known. If it throws (say `in`
 * against an object whose `indexOf` is not a function), the node stays dynamic so the error
 * surfaces at evaluation time, exactly when json-logic-js would raise it. A fold that would
 * spend more than {@link FOLD_BUDGET} steps (a `reduce` doubling a literal list) stays dynamic
 * too: loading a rulebook must not hang, and the evaluation's own budget stops it later.
 */
export declare function foldOrKeep(fn: Evaluator, pure: boolean, foldable: boolean): Compiled;
//# sourceMappingURL=compiled-node.d.ts.map