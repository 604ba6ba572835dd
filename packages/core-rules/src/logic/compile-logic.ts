import type { LogicPathOptions } from './check.js';
import { LAZY_SPECIALISATIONS } from './specialise-control.js';
import { EAGER_SPECIALISATIONS } from './specialise-standard.js';
import { allPure, constant, dynamic, foldOrKeep, type Compiled } from './compiled-node.js';
import { joinIndex, joinKey, LogicError } from './errors.js';
import { argPath, operationOf, problemAt } from './node.js';
import { DEFAULT_REGISTRY, type Evaluator, type LazyOperatorFn, type OperatorEntry, type OperatorFn, type OperatorRegistry } from './registry.js';
import { STANDARD_FUNCTIONS } from './standard-operators.js';

/**
 * A compiled expression: evaluate it with the data `var` reads and the opaque `env` handed to
 * custom operators. Results may be deep-frozen constants shared between calls: treat them as
 * read-only.
 */
export type CompiledLogic = (data: unknown, env?: unknown) => unknown;

/**
 * Compiles a JsonLogic expression once into nested closures; evaluating never looks at the
 * JSON again. At compile time: constant sub-expressions are computed (pure operators over
 * constants, `if`/`and`/`or` with constant conditions, `map`/`filter`/… over literal lists);
 * literal arrays are built once and frozen; `in` against a literal list becomes a Set lookup;
 * `var` with a literal path is split once. Results equal json-logic-js 2.0.5's for every
 * expression it accepts.
 *
 * @throws LogicError naming the JSON path of the first problem {@link checkLogic} would report
 *   (unknown operator, wrong argument count, non-JSON value, several operations in one object),
 *   even inside a branch that could never be taken.
 */
export function compileLogic(expr: unknown, registry: OperatorRegistry = DEFAULT_REGISTRY, options: LogicPathOptions = {}): CompiledLogic {
  return compileNode(expr, options.path ?? '', registry).fn;
}

function compileNode(value: unknown, path: string, registry: OperatorRegistry): Compiled {
  const problem = problemAt(value, path, registry);
  if (problem !== undefined) throw new LogicError(problem);
  if (Array.isArray(value)) return compileArray(value, path, registry);
  const operation = operationOf(value);
  if (operation === undefined) return constant(value);
  const opPath = joinKey(path, operation.op);
  const args = operation.args.map((arg, i) => compileNode(arg, argPath(opPath, i, operation.wrapped), registry));
  // problemAt has vouched for the operator.
  const entry = registry.get(operation.op)!;
  if (STANDARD_FUNCTIONS.get(entry.name) === entry.fn) {
    if (entry.lazy) return LAZY_SPECIALISATIONS[entry.name](args);
    const special = foldable(entry, args) ? undefined : EAGER_SPECIALISATIONS[entry.name]?.(args);
    if (special !== undefined) return special;
  }
  return compileCall(entry, args);
}

function compileArray(items: readonly unknown[], path: string, registry: OperatorRegistry): Compiled {
  // Code lists run to thousands of plain strings: skip the per-element walk for those.
  if (items.every(isJsonPrimitive)) return constant(items.slice());
  const nodes = items.map((item, i) => compileNode(item, joinIndex(path, i), registry));
  // A literal array is built (and frozen) once; json-logic-js rebuilds it on every call.
  if (nodes.every((node) => node.isConst)) return constant(nodes.map((node) => node.value));
  const pure = allPure(nodes);
  const fns = nodes.map((node) => node.fn);
  if (fns.length === 2) {
    const [a, b] = fns;
    return dynamic((d, e) => [a(d, e), b(d, e)], pure);
  }
  return dynamic((d, e) => {
    const out: unknown[] = [];
    for (let i = 0; i < fns.length; i++) out.push(fns[i](d, e));
    return out;
  }, pure);
}

/** A pure operator that ignores data, over constants only: computed now, once. */
function foldable(entry: OperatorEntry, args: readonly Compiled[]): boolean {
  return entry.pure && !entry.usesData && args.every((arg) => arg.isConst);
}

/** The registered function called as it is: custom operators and standard ones without a fast path. */
function compileCall(entry: OperatorEntry, args: readonly Compiled[]): Compiled {
  const pure = entry.pure && allPure(args);
  const fold = foldable(entry, args);
  if (entry.lazy) {
    const fn = entry.fn as LazyOperatorFn;
    const evaluators: readonly Evaluator[] = Object.freeze(args.map((arg) => arg.fn));
    return foldOrKeep((d, e) => fn(evaluators, d, e), pure, fold);
  }
  const fn = entry.fn as OperatorFn;
  const fns = args.map((arg) => arg.fn);
  // The args array is fresh per call: an operator may keep or return it.
  switch (fns.length) {
    case 0:
      return foldOrKeep((d, e) => fn([], d, e), pure, fold);
    case 1: {
      const [a] = fns;
      return foldOrKeep((d, e) => fn([a(d, e)], d, e), pure, fold);
    }
    case 2: {
      const [a, b] = fns;
      return foldOrKeep((d, e) => fn([a(d, e), b(d, e)], d, e), pure, fold);
    }
    case 3: {
      const [a, b, c] = fns;
      return foldOrKeep((d, e) => fn([a(d, e), b(d, e), c(d, e)], d, e), pure, fold);
    }
    default:
      return foldOrKeep(
        (d, e) => {
          const values = new Array<unknown>(fns.length);
          for (let i = 0; i < fns.length; i++) values[i] = fns[i](d, e);
          return fn(values, d, e);
        },
        pure,
        fold,
      );
  }
}

function isJsonPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || value === null;
}
