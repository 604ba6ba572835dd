import { chargeSteps } from './budget.js';
import { allPure, arg, dynamic, foldOrKeep, NULL, UNDEFINED, type Compiled } from './compiled-node.js';
import type { Evaluator } from './registry.js';
import { truthy } from './truthy.js';

// Fast paths for the lazy standard operators. Constant conditions are resolved here: a branch
// that can never be taken is compiled (so its errors are still reported) but not kept.

type Specialise = (args: readonly Compiled[]) => Compiled;

function compileIf(args: readonly Compiled[]): Compiled {
  const conditions: Compiled[] = [];
  const branches: Compiled[] = [];
  let otherwise: Compiled = NULL;
  let decided = false;
  let i = 0;
  for (; i < args.length - 1; i += 2) {
    const condition = args[i];
    if (condition.isConst) {
      if (truthy(condition.value)) {
        otherwise = args[i + 1];
        decided = true;
        break;
      }
      continue; // never taken
    }
    conditions.push(condition);
    branches.push(args[i + 1]);
  }
  if (!decided && args.length === i + 1) otherwise = args[i];
  if (conditions.length === 0) return otherwise;
  const pure = allPure(conditions) && allPure(branches) && otherwise.pure;
  const elseFn = otherwise.fn;
  if (conditions.length === 1) {
    const c = conditions[0].fn;
    const then = branches[0].fn;
    return dynamic((d, e) => (truthy(c(d, e)) ? then(d, e) : elseFn(d, e)), pure);
  }
  const cs = conditions.map((x) => x.fn);
  const bs = branches.map((x) => x.fn);
  return dynamic((d, e) => {
    for (let j = 0; j < cs.length; j++) if (truthy(cs[j](d, e))) return bs[j](d, e);
    return elseFn(d, e);
  }, pure);
}

/**
 * `and` (stopOn = falsy) and `or` (stopOn = truthy) return the first argument that stops them,
 * else the last. A constant that would stop them ends the list; a constant that would not, and
 * is not last, can never be the answer and is dropped.
 */
function shortCircuit(args: readonly Compiled[], stopWhenTruthy: boolean): Compiled {
  const kept: Compiled[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    if (!x.isConst || i === args.length - 1) {
      kept.push(x);
      if (x.isConst) break;
      continue;
    }
    if (truthy(x.value) === stopWhenTruthy) {
      kept.push(x);
      break;
    }
  }
  if (kept.length === 0) return UNDEFINED;
  if (kept.length === 1) return kept[0];
  const pure = allPure(kept);
  const fns = kept.map((x) => x.fn);
  if (fns.length === 2) {
    const [a, b] = fns;
    return stopWhenTruthy
      ? dynamic((d, e) => {
          const v = a(d, e);
          return truthy(v) ? v : b(d, e);
        }, pure)
      : dynamic((d, e) => {
          const v = a(d, e);
          return truthy(v) ? b(d, e) : v;
        }, pure);
  }
  const last = fns.length - 1;
  return stopWhenTruthy
    ? dynamic((d, e) => {
        for (let j = 0; j < last; j++) {
          const v = fns[j](d, e);
          if (truthy(v)) return v;
        }
        return fns[last](d, e);
      }, pure)
    : dynamic((d, e) => {
        for (let j = 0; j < last; j++) {
          const v = fns[j](d, e);
          if (!truthy(v)) return v;
        }
        return fns[last](d, e);
      }, pure);
}

/**
 * map/filter/all/none/some/reduce: the first argument is evaluated in the current scope, the
 * second once per element with the element as data (env unchanged). Arguments past those are
 * never evaluated, as in json-logic-js. Over a literal list with pure per-element logic the
 * whole result is computed at compile time. Arrays are taken as dense (JSON has no holes). Each
 * element is a step of the evaluation budget (charged up front, see budget.ts).
 */
function scoped(args: readonly Compiled[], make: (items: Evaluator, logic: Evaluator, seed: Evaluator) => Evaluator, seeded: boolean): Compiled {
  const items = arg(args, 0);
  const logic = arg(args, 1);
  const seed = seeded && args.length > 2 ? args[2] : NULL;
  const pure = items.pure && logic.pure && seed.pure;
  const fn = make(items.fn, logic.fn, seed.fn);
  return foldOrKeep(fn, pure, items.isConst && logic.pure && seed.isConst);
}

/** Fast paths by operator name, for lazy standard operators. */
export const LAZY_SPECIALISATIONS: Readonly<Record<string, Specialise>> = {
  if: compileIf,
  '?:': compileIf,
  and: (args) => shortCircuit(args, false),
  or: (args) => shortCircuit(args, true),
  map: (args) =>
    scoped(
      args,
      (items, logic) => (d, e) => {
        const list = items(d, e);
        if (!Array.isArray(list)) return [];
        chargeSteps(list.length);
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) out.push(logic(list[i], e));
        return out;
      },
      false,
    ),
  filter: (args) =>
    scoped(
      args,
      (items, logic) => (d, e) => {
        const list = items(d, e);
        if (!Array.isArray(list)) return [];
        chargeSteps(list.length);
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) if (truthy(logic(list[i], e))) out.push(list[i]);
        return out;
      },
      false,
    ),
  reduce: (args) =>
    scoped(
      args,
      (items, logic, seed) => (d, e) => {
        const list = items(d, e);
        let accumulator: unknown = seed(d, e);
        if (!Array.isArray(list)) return accumulator;
        chargeSteps(list.length);
        // A fresh scope object per element: the logic may return it (`{"var": ""}`).
        for (let i = 0; i < list.length; i++) accumulator = logic({ current: (list as unknown[])[i], accumulator }, e);
        return accumulator;
      },
      true,
    ),
  all: (args) =>
    scoped(
      args,
      (items, logic) => (d, e) => {
        const list = items(d, e);
        if (!Array.isArray(list) || list.length === 0) return false;
        chargeSteps(list.length);
        for (let i = 0; i < list.length; i++) if (!truthy(logic(list[i], e))) return false;
        return true;
      },
      false,
    ),
  none: (args) =>
    scoped(
      args,
      (items, logic) => (d, e) => {
        const list = items(d, e);
        if (!Array.isArray(list) || list.length === 0) return true;
        chargeSteps(list.length);
        for (let i = 0; i < list.length; i++) if (truthy(logic(list[i], e))) return false;
        return true;
      },
      false,
    ),
  some: (args) =>
    scoped(
      args,
      (items, logic) => (d, e) => {
        const list = items(d, e);
        if (!Array.isArray(list) || list.length === 0) return false;
        chargeSteps(list.length);
        for (let i = 0; i < list.length; i++) if (truthy(logic(list[i], e))) return true;
        return false;
      },
      false,
    ),
};
