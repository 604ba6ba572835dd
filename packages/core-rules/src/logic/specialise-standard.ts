import { allPure, arg, constantFrom, dynamic, type Compiled } from './compiled-node.js';
import type { Evaluator } from './registry.js';
import { getVar, inOperator, toNumber, walkPath } from './standard-operators.js';
import { truthy } from './truthy.js';

// Fast paths for the eager standard operators. Each returns undefined to fall back to the
// generic call of the registered function (same semantics, one args array per call). Folding
// of all-constant arguments has already happened in compile.ts, so at least one argument here
// is dynamic. Each operator writes its own closures (rather than sharing one helper that calls
// an `op` callback) so every call site stays monomorphic.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;
type Specialise = (args: readonly Compiled[]) => Compiled | undefined;

/**
 * A two-argument operator. json-logic-js evaluates every argument, so extra dynamic arguments
 * (evaluated and ignored) send us back to the generic path.
 */
function binary(args: readonly Compiled[], both: (a: Evaluator, b: Evaluator) => Evaluator, rightConstant: (a: Evaluator, b: Loose) => Evaluator): Compiled | undefined {
  if (!constantFrom(args, 2)) return undefined;
  const a = arg(args, 0);
  const b = arg(args, 1);
  return dynamic(b.isConst ? rightConstant(a.fn, b.value) : both(a.fn, b.fn), a.pure && b.pure);
}

function unary(args: readonly Compiled[], make: (a: Evaluator) => Evaluator): Compiled | undefined {
  if (!constantFrom(args, 1)) return undefined;
  const a = arg(args, 0);
  return dynamic(make(a.fn), a.pure);
}

function compileVar(args: readonly Compiled[]): Compiled | undefined {
  if (!constantFrom(args, 2)) return undefined;
  const path = arg(args, 0);
  const fallback = arg(args, 1);
  const pure = path.pure && fallback.pure;
  if (!path.isConst) {
    const p = path.fn;
    const f = fallback.fn;
    return dynamic((d, e) => {
      const at = p(d, e);
      return getVar(at, d, f(d, e));
    }, pure);
  }
  const p = path.value;
  if (p === undefined || p === '' || p === null) {
    if (fallback.isConst) return dynamic((d) => d, pure);
    const f = fallback.fn;
    return dynamic((d, e) => {
      f(d, e);
      return d;
    }, pure);
  }
  // The path is split once, here, not on every call.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- json-logic-js does String(path): an array path joins with commas, exactly as there
  const segments = String(p).split('.');
  if (!fallback.isConst) {
    const f = fallback.fn;
    return dynamic((d, e) => {
      const v = f(d, e);
      return walkPath(segments, d, v === undefined ? null : v);
    }, pure);
  }
  const notFound = fallback.value === undefined ? null : fallback.value;
  if (segments.length === 1) {
    const k = segments[0];
    return dynamic((d) => {
      if (d === null || d === undefined) return notFound;
      const v = (d as Record<string, unknown>)[k];
      return v === undefined ? notFound : v;
    }, pure);
  }
  if (segments.length === 2) {
    const k0 = segments[0];
    const k1 = segments[1];
    return dynamic((d) => {
      if (d === null || d === undefined) return notFound;
      const v0 = (d as Record<string, unknown>)[k0];
      if (v0 === undefined || v0 === null) return notFound;
      const v1 = (v0 as Record<string, unknown>)[k1];
      return v1 === undefined ? notFound : v1;
    }, pure);
  }
  return dynamic((d) => walkPath(segments, d, notFound), pure);
}

/** `<` / `<=` with a third argument: the "between" form. */
function between(
  args: readonly Compiled[],
  two: Specialise,
  dynamicThird: (a: Evaluator, b: Evaluator, c: Evaluator) => Evaluator,
  constantThird: (a: Evaluator, b: Evaluator, c: Loose) => Evaluator,
): Compiled | undefined {
  if (args.length <= 2 || (args[2].isConst && args[2].value === undefined)) return two(args);
  if (!constantFrom(args, 3)) return undefined;
  const [a, b, c] = args;
  const pure = allPure(args);
  return dynamic(c.isConst ? constantThird(a.fn, b.fn, c.value) : dynamicThird(a.fn, b.fn, c.fn), pure);
}

const lessThan: Specialise = (args) =>
  binary(
    args,
    (a, b) => (d, e) => (a(d, e) as Loose) < (b(d, e) as Loose),
    (a, b) => (d, e) => (a(d, e) as Loose) < b,
  );
const lessOrEqual: Specialise = (args) =>
  binary(
    args,
    (a, b) => (d, e) => (a(d, e) as Loose) <= (b(d, e) as Loose),
    (a, b) => (d, e) => (a(d, e) as Loose) <= b,
  );

function compileIn(args: readonly Compiled[]): Compiled | undefined {
  if (!constantFrom(args, 2)) return undefined;
  const needle = arg(args, 0);
  const haystack = arg(args, 1);
  const a = needle.fn;
  const pure = needle.pure && haystack.pure;
  if (!haystack.isConst) {
    const b = haystack.fn;
    return dynamic((d, e) => inOperator(a(d, e), b(d, e)), pure);
  }
  const list = haystack.value;
  if (Array.isArray(list)) {
    // Built once. Array.indexOf is strict equality; a Set is SameValueZero, which differs only
    // for NaN (indexOf never finds it), so NaN is left out. Objects can only match by identity,
    // so they go to indexOf on the (frozen) list itself.
    const set = new Set<unknown>();
    for (const item of list) {
      if (item === null || (typeof item !== 'object' && typeof item !== 'function' && item === item)) set.add(item);
    }
    return dynamic((d, e) => {
      const x = a(d, e);
      return x !== null && (typeof x === 'object' || typeof x === 'function') ? list.indexOf(x) !== -1 : set.has(x);
    }, pure);
  }
  if (typeof list === 'string') {
    if (list === '')
      return dynamic((d, e) => {
        a(d, e);
        return false;
      }, pure);
    return dynamic((d, e) => list.indexOf(a(d, e) as string) !== -1, pure);
  }
  return dynamic((d, e) => inOperator(a(d, e), list), pure);
}

function compilePlus(args: readonly Compiled[]): Compiled | undefined {
  const pure = allPure(args);
  // 0 + …: the seed of json-logic-js's reduce; it also turns a "-0" string into +0.
  if (args.length === 1) {
    const a = args[0].fn;
    return dynamic((d, e) => 0 + toNumber(a(d, e)), pure);
  }
  if (args.length === 2) {
    const a = args[0].fn;
    const b = args[1].fn;
    return dynamic((d, e) => 0 + toNumber(a(d, e)) + toNumber(b(d, e)), pure);
  }
  const fns = args.map((x) => x.fn);
  return dynamic((d, e) => {
    let sum = 0;
    for (let i = 0; i < fns.length; i++) sum = sum + toNumber(fns[i](d, e));
    return sum;
  }, pure);
}

function compileTimes(args: readonly Compiled[]): Compiled | undefined {
  // One argument comes back as it is (json-logic-js reduces without a seed).
  if (args.length === 1) return args[0];
  const pure = allPure(args);
  if (args.length === 2) {
    const a = args[0].fn;
    const b = args[1].fn;
    return dynamic((d, e) => toNumber(a(d, e)) * toNumber(b(d, e)), pure);
  }
  const fns = args.map((x) => x.fn);
  return dynamic((d, e) => {
    let product: unknown = fns[0](d, e);
    for (let i = 1; i < fns.length; i++) product = toNumber(product) * toNumber(fns[i](d, e));
    return product;
  }, pure);
}

function compileMinus(args: readonly Compiled[]): Compiled | undefined {
  if (!constantFrom(args, 2)) return undefined;
  const a = arg(args, 0);
  const b = arg(args, 1);
  const pure = a.pure && b.pure;
  const af = a.fn;
  if (b.isConst) {
    const bv: Loose = b.value;
    if (bv === undefined) return dynamic((d, e) => -(af(d, e) as Loose), pure);
    return dynamic((d, e) => (af(d, e) as Loose) - bv, pure);
  }
  const bf = b.fn;
  return dynamic((d, e) => {
    const x: Loose = af(d, e);
    const y: Loose = bf(d, e);
    return y === undefined ? -x : x - y;
  }, pure);
}

/** Fast paths by operator name, for eager standard operators. */
export const EAGER_SPECIALISATIONS: Readonly<Record<string, Specialise>> = {
  var: compileVar,
  '==': (args) =>
    binary(
      args,
      // eslint-disable-next-line eqeqeq -- JsonLogic `==` semantics
      (a, b) => (d, e) => (a(d, e) as Loose) == b(d, e),
      // eslint-disable-next-line eqeqeq -- JsonLogic `==` semantics
      (a, b) => (d, e) => (a(d, e) as Loose) == b,
    ),
  '===': (args) =>
    binary(
      args,
      (a, b) => (d, e) => a(d, e) === b(d, e),
      (a, b) => (d, e) => a(d, e) === b,
    ),
  '!=': (args) =>
    binary(
      args,
      // eslint-disable-next-line eqeqeq -- JsonLogic `!=` semantics
      (a, b) => (d, e) => (a(d, e) as Loose) != b(d, e),
      // eslint-disable-next-line eqeqeq -- JsonLogic `!=` semantics
      (a, b) => (d, e) => (a(d, e) as Loose) != b,
    ),
  '!==': (args) =>
    binary(
      args,
      (a, b) => (d, e) => a(d, e) !== b(d, e),
      (a, b) => (d, e) => a(d, e) !== b,
    ),
  '>': (args) =>
    binary(
      args,
      (a, b) => (d, e) => (a(d, e) as Loose) > (b(d, e) as Loose),
      (a, b) => (d, e) => (a(d, e) as Loose) > b,
    ),
  '>=': (args) =>
    binary(
      args,
      (a, b) => (d, e) => (a(d, e) as Loose) >= (b(d, e) as Loose),
      (a, b) => (d, e) => (a(d, e) as Loose) >= b,
    ),
  '<': (args) =>
    between(
      args,
      lessThan,
      (a, b, c) => (d, e) => {
        const x: Loose = a(d, e);
        const y: Loose = b(d, e);
        const z: Loose = c(d, e);
        return z === undefined ? x < y : x < y && y < z;
      },
      (a, b, z) => (d, e) => {
        const x: Loose = a(d, e);
        const y: Loose = b(d, e);
        return x < y && y < z;
      },
    ),
  '<=': (args) =>
    between(
      args,
      lessOrEqual,
      (a, b, c) => (d, e) => {
        const x: Loose = a(d, e);
        const y: Loose = b(d, e);
        const z: Loose = c(d, e);
        return z === undefined ? x <= y : x <= y && y <= z;
      },
      (a, b, z) => (d, e) => {
        const x: Loose = a(d, e);
        const y: Loose = b(d, e);
        return x <= y && y <= z;
      },
    ),
  '/': (args) =>
    binary(
      args,
      (a, b) => (d, e) => (a(d, e) as Loose) / (b(d, e) as Loose),
      (a, b) => (d, e) => (a(d, e) as Loose) / b,
    ),
  '%': (args) =>
    binary(
      args,
      (a, b) => (d, e) => (a(d, e) as Loose) % (b(d, e) as Loose),
      (a, b) => (d, e) => (a(d, e) as Loose) % b,
    ),
  '!': (args) => unary(args, (a) => (d, e) => !truthy(a(d, e))),
  '!!': (args) => unary(args, (a) => (d, e) => truthy(a(d, e))),
  in: compileIn,
  '+': compilePlus,
  '*': compileTimes,
  '-': compileMinus,
};
