// Compiled logic hands the same constant (a literal array, a folded result) to every call, so
// constants are deep-frozen copies: a caller or operator that tried to mutate one would
// otherwise change the answer of every later evaluation. Copies, because the caller's
// expression is theirs and must not be frozen under them.

/** Constants this module built and froze (arrays and plain objects, deeply). */
const OWN = new WeakSet<object>();

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A deep-frozen copy of `value` (arrays and plain objects copied; primitives and other objects,
 * such as a Date or a class instance from a custom operator, returned as they are). Values this
 * module already froze are returned without copying.
 */
export function freezeConstant<T>(value: T): T {
  if (typeof value !== 'object' || value === null || OWN.has(value)) return value;
  if (Array.isArray(value)) {
    const copy = value.map((item: unknown) => freezeConstant(item));
    OWN.add(copy);
    return Object.freeze(copy) as T;
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = freezeConstant((value as Record<string, unknown>)[key]);
  OWN.add(copy);
  return Object.freeze(copy) as T;
}

const SETS = new WeakMap<readonly unknown[], ReadonlySet<unknown>>();

/**
 * Membership set of a list that an operator receives as an argument. When the list is a
 * compiled constant (a literal list in the expression, such as a code list) the Set is built
 * once and cached, so a custom operator like `count_orders` pays O(1) per lookup instead of
 * O(n); any other list gets a fresh Set. Set membership is SameValueZero: like `===` except
 * that NaN is found.
 */
export function literalSet(list: readonly unknown[]): ReadonlySet<unknown> {
  if (!OWN.has(list)) return new Set(list);
  let set = SETS.get(list);
  if (set === undefined) {
    set = new Set(list);
    SETS.set(list, set);
  }
  return set;
}
