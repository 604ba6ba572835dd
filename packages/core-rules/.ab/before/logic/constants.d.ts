/**
 * A deep-frozen copy of `value` (arrays and plain objects copied; primitives and other objects,
 * such as a Date or a class instance from a custom operator, returned as they are). Values this
 * module already froze are returned without copying.
 */
export declare function freezeConstant<T>(value: T): T;
/** Whether `value` is a constant built (and frozen) by the compiler. */
export declare function isCompiledConstant(value: unknown): boolean;
/**
 * Membership set of a list that an operator receives as an argument. When the list is a
 * compiled constant (a literal list in the expression, such as a code list) the Set is built
 * once and cached, so a custom operator like `count_orders` pays O(1) per lookup instead of
 * O(n); any other list gets a fresh Set. Set membership is SameValueZero: like `===` except
 * that NaN is found.
 */
export declare function literalSet(list: readonly unknown[]): ReadonlySet<unknown>;
//# sourceMappingURL=constants.d.ts.map