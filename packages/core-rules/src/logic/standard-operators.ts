import { chargeSteps } from './budget.js';
import type { Evaluator, LazyOperatorFn, OperatorFn, OperatorOptions } from './operator-types.js';
import { truthy } from './truthy.js';

// Operators are deliberately loosely typed: JsonLogic's semantics ARE JavaScript's coercions
// (`1 == "1"`, `"2" > 1`, `-"3"`), and reproducing json-logic-js exactly means using them.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/**
 * json-logic-js converts with `parseFloat`; for a number that is the identity except that -0
 * becomes 0 (parseFloat goes through String(-0) === "0"). Skipping the string round trip for
 * numbers keeps `+` and `*` cheap without changing a single result.
 */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  return parseFloat(value as string);
}

/**
 * `var`: json-logic-js's lookup. An absent/empty/null path returns the data itself; otherwise
 * the path is `String(path)` split on dots, each step is a plain property read (so numeric
 * steps index arrays and strings), and null/undefined on the way gives the default (or null).
 */
export function getVar(path: unknown, data: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === '' || path === null) return data;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- json-logic-js does String(path): an array path joins with commas, exactly as there
  return walkPath(String(path).split('.'), data, notFound);
}

/** Follows pre-split path segments through `data`; shared by `var` and the compiler. */
export function walkPath(segments: readonly string[], data: unknown, notFound: unknown): unknown {
  let current: unknown = data;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || current === undefined) return notFound;
    // A plain property read, also on primitives ("abc"[0], "abc".length), as in json-logic-js.
    current = (current as Record<string, unknown>)[segments[i]];
    if (current === undefined) return notFound;
  }
  return current;
}

/**
 * One key of `missing`. json-logic-js evaluates `{"var": key}` as logic, so an array key acts
 * as var's `[path, default]`. Deliberate difference: a key that is itself a one-key object
 * (which can only come from data) is not executed as logic; it is looked up as a string.
 */
function lookupMissingKey(key: unknown, data: unknown): unknown {
  if (Array.isArray(key)) return getVar(key[0], data, key[1]);
  return getVar(key, data, undefined);
}

/** `missing`: the keys whose value is null/absent or "" (one array argument = the key list). */
function missing(args: readonly unknown[], data: unknown): unknown[] {
  const keys: readonly unknown[] = Array.isArray(args[0]) ? args[0] : args;
  chargeSteps(keys.length);
  const absent: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = lookupMissingKey(keys[i], data);
    if (value === null || value === '') absent.push(keys[i]);
  }
  return absent;
}

/** `in`: substring for strings, `indexOf` (strict equality) for arrays, false otherwise. */
export function inOperator(needle: unknown, haystack: unknown): boolean {
  const h = haystack as { indexOf?: (needle: unknown) => number; length?: unknown } | null | undefined;
  if (!h || typeof h.indexOf === 'undefined') return false;
  if (typeof h.length === 'number') chargeSteps(h.length);
  return h.indexOf(needle) !== -1;
}

/** `merge`: one level of arrays spread ([].concat(a, b, c)); the result's size is charged first. */
function merge(args: readonly unknown[]): unknown[] {
  let size = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    size += Array.isArray(a) ? a.length : 1;
  }
  chargeSteps(size);
  return ([] as unknown[]).concat(...args);
}

/** `cat`: the arguments joined; the length of the string built is charged. */
function cat(args: readonly unknown[]): string {
  const s = args.join('');
  chargeSteps(s.length);
  return s;
}

/** `substr`: String.prototype.substr, plus PHP-style negative length. */
function substr(source: unknown, start: unknown, end: unknown): string {
  if ((end as Loose) < 0) {
    const temp = String(source).substr(start as number);
    return temp.substr(0, temp.length + (end as number));
  }
  return String(source).substr(start as number, end as number | undefined);
}

/** `+`: sum of parseFloat'ed arguments starting from 0 (so one argument casts to number). */
function plus(args: readonly unknown[]): number {
  let sum = 0;
  // sum starts at +0 and toNumber never yields -0, so parseFloat(sum) would be the identity.
  for (let i = 0; i < args.length; i++) sum = sum + toNumber(args[i]);
  return sum;
}

/** `*`: json-logic-js reduces without a seed: one argument comes back unconverted. */
function times(args: readonly unknown[]): unknown {
  if (args.length === 0) throw new TypeError('Reduce of empty array with no initial value');
  let product: unknown = args[0];
  for (let i = 1; i < args.length; i++) product = toNumber(product) * toNumber(args[i]);
  return product;
}

const eager: Record<string, OperatorFn> = {
  // eslint-disable-next-line eqeqeq -- JsonLogic `==` is JavaScript's loose equality by definition
  '==': (a) => (a[0] as Loose) == a[1],
  '===': (a) => a[0] === a[1],
  // eslint-disable-next-line eqeqeq -- JsonLogic `!=` is JavaScript's loose inequality by definition
  '!=': (a) => (a[0] as Loose) != a[1],
  '!==': (a) => a[0] !== a[1],
  '>': (a) => (a[0] as Loose) > (a[1] as Loose),
  '>=': (a) => (a[0] as Loose) >= (a[1] as Loose),
  '<': (a) => (a[2] === undefined ? (a[0] as Loose) < (a[1] as Loose) : (a[0] as Loose) < (a[1] as Loose) && (a[1] as Loose) < (a[2] as Loose)),
  '<=': (a) => (a[2] === undefined ? (a[0] as Loose) <= (a[1] as Loose) : (a[0] as Loose) <= (a[1] as Loose) && (a[1] as Loose) <= (a[2] as Loose)),
  '!!': (a) => truthy(a[0]),
  '!': (a) => !truthy(a[0]),
  '%': (a) => (a[0] as Loose) % (a[1] as Loose),
  in: (a) => inOperator(a[0], a[1]),
  cat: (a) => cat(a),
  substr: (a) => substr(a[0], a[1], a[2]),
  '+': (a) => plus(a),
  '*': (a) => times(a),
  '-': (a) => (a[1] === undefined ? -(a[0] as Loose) : (a[0] as Loose) - (a[1] as Loose)),
  '/': (a) => (a[0] as Loose) / (a[1] as Loose),
  min: (a) => Math.min(...(a as number[])),
  max: (a) => Math.max(...(a as number[])),
  // [].concat(a, b, c) === [].concat(a).concat(b).concat(c): one level of arrays is spread.
  merge: (a) => merge(a),
};

const dataReaders: Record<string, OperatorFn> = {
  var: (a, data) => getVar(a[0], data, a[1]),
  missing: (a, data) => missing(a, data),
  missing_some: (a, data) => {
    const options = a[1] as { length: number };
    // json-logic-js evaluates {"missing": options}: an array spreads into arguments.
    const absent = missing(Array.isArray(options) ? options : [options], data);
    // options.length throws for null/undefined options, exactly as in json-logic-js.
    return options.length - absent.length >= (a[0] as number) ? [] : absent;
  },
};

const ifOperator: LazyOperatorFn = (args, data, env) => {
  let i = 0;
  for (; i < args.length - 1; i += 2) {
    if (truthy(args[i](data, env))) return args[i + 1](data, env);
  }
  return args.length === i + 1 ? args[i](data, env) : null;
};

/** The scope array of map/filter/…: evaluated in the current scope. */
function scope(args: readonly Evaluator[], data: unknown, env: unknown): unknown {
  return args.length > 0 ? args[0](data, env) : undefined;
}

/** The per-element logic of map/filter/…; an absent one evaluates to undefined. */
function perElement(args: readonly Evaluator[], index: number): Evaluator {
  return index < args.length ? args[index] : () => undefined;
}

const lazy: Record<string, LazyOperatorFn> = {
  if: ifOperator,
  '?:': ifOperator,
  and: (args, data, env) => {
    let current: unknown;
    for (let i = 0; i < args.length; i++) {
      current = args[i](data, env);
      if (!truthy(current)) return current;
    }
    return current;
  },
  or: (args, data, env) => {
    let current: unknown;
    for (let i = 0; i < args.length; i++) {
      current = args[i](data, env);
      if (truthy(current)) return current;
    }
    return current;
  },
  map: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    if (!Array.isArray(items)) return [];
    chargeSteps(items.length);
    return items.map((item) => logic(item, env));
  },
  filter: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    if (!Array.isArray(items)) return [];
    chargeSteps(items.length);
    return (items as unknown[]).filter((item) => truthy(logic(item, env)));
  },
  reduce: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    const initial = args.length > 2 ? args[2](data, env) : null;
    if (!Array.isArray(items)) return initial;
    chargeSteps(items.length);
    return (items as unknown[]).reduce<unknown>((accumulator, current) => logic({ current, accumulator }, env), initial);
  },
  all: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    if (!Array.isArray(items) || !items.length) return false;
    chargeSteps(items.length);
    for (let i = 0; i < items.length; i++) if (!truthy(logic(items[i], env))) return false;
    return true;
  },
  none: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    if (!Array.isArray(items) || !items.length) return true;
    chargeSteps(items.length);
    for (let i = 0; i < items.length; i++) if (truthy(logic(items[i], env))) return false;
    return true;
  },
  some: (args, data, env) => {
    const items = scope(args, data, env);
    const logic = perElement(args, 1);
    if (!Array.isArray(items) || !items.length) return false;
    chargeSteps(items.length);
    for (let i = 0; i < items.length; i++) if (truthy(logic(items[i], env))) return true;
    return false;
  },
};

/** A standard operator with the options it is registered with. */
export interface StandardOperator {
  readonly name: string;
  readonly fn: OperatorFn | LazyOperatorFn;
  readonly options: OperatorOptions;
}

function build(): StandardOperator[] {
  const list: StandardOperator[] = [];
  for (const [name, fn] of Object.entries(dataReaders)) {
    list.push({ name, fn, options: { pure: true, usesData: true, minArgs: name === 'missing_some' ? 2 : 0 } });
  }
  for (const [name, fn] of Object.entries(lazy)) list.push({ name, fn, options: { lazy: true, pure: true } });
  for (const [name, fn] of Object.entries(eager)) {
    // `*` with no argument always throws in json-logic-js, so it is a compile-time error here.
    list.push({ name, fn, options: { pure: true, minArgs: name === '*' ? 1 : 0 } });
  }
  // json-logic-js prints its argument; here it only returns it: conditions see whole patient
  // records, which must never reach stdout (or any log). Kept as a call, never folded away.
  const log: OperatorFn = (a) => a[0];
  list.push({ name: 'log', fn: log, options: {} });
  return list;
}

/** Every json-logic-js 2.0.5 operator, ready to register. */
export const STANDARD_OPERATORS: readonly StandardOperator[] = Object.freeze(build());

/** name → the standard implementation; the compiler specialises an operator only while the
 *  registry still maps its name to this very function. */
export const STANDARD_FUNCTIONS: ReadonlyMap<string, OperatorFn | LazyOperatorFn> = new Map(STANDARD_OPERATORS.map((op) => [op.name, op.fn]));
