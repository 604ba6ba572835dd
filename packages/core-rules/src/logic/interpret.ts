import { joinIndex, joinKey, LogicError } from './errors.js';
import { operationOf, problemAt } from './node.js';
import { DEFAULT_REGISTRY, type Evaluator, type LazyOperatorFn, type OperatorFn, type OperatorRegistry } from './registry.js';

// The reference ("interpreted") path: walks the JSON on every call, exactly like
// json-logic-js's `apply`, calling the registry's operator functions. It shares no evaluation
// code with the compiler's specialised closures, which is what makes the two worth comparing.

/** Where the walk is, kept as a cheap linked list and rendered only when reporting an error. */
interface Trail {
  readonly up: Trail | undefined;
  readonly step: string | number;
}

function render(base: string, trail: Trail | undefined): string {
  const steps: Array<string | number> = [];
  for (let t = trail; t !== undefined; t = t.up) steps.push(t.step);
  let path = base;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    path = typeof step === 'number' ? joinIndex(path, step) : joinKey(path, step);
  }
  return path;
}

/**
 * Evaluates `expr` against `data` by walking it (no compilation). Same results as
 * {@link compileLogic}, slower; kept as the reference implementation and for one-off
 * evaluations. Throws {@link LogicError} when it reaches an unknown operator or a wrong
 * argument count (only on the branches it actually evaluates, like json-logic-js); errors
 * thrown by operators propagate unchanged.
 */
export function applyLogic(expr: unknown, data?: unknown, registry: OperatorRegistry = DEFAULT_REGISTRY, env?: unknown, options: { path?: string } = {}): unknown {
  return apply(expr, data, env, registry, options.path ?? '', undefined);
}

function apply(logic: unknown, data: unknown, env: unknown, registry: OperatorRegistry, base: string, trail: Trail | undefined): unknown {
  if (Array.isArray(logic)) {
    const out = new Array<unknown>(logic.length);
    for (let i = 0; i < logic.length; i++) {
      out[i] = apply(logic[i], data, env, registry, base, { up: trail, step: i });
    }
    return out;
  }
  const operation = operationOf(logic);
  if (operation === undefined) return logic;
  const { op, args, wrapped } = operation;
  const entry = registry.get(op);
  if (entry === undefined || args.length < entry.minArgs || args.length > entry.maxArgs) {
    throw new LogicError(problemAt(logic, render(base, trail), registry)!);
  }
  const opTrail: Trail = { up: trail, step: op };
  const argTrail = (i: number): Trail => (wrapped ? opTrail : { up: opTrail, step: i });
  if (entry.lazy) {
    const evaluators: Evaluator[] = args.map((arg, i) => (d: unknown, e: unknown) => apply(arg, d, e, registry, base, argTrail(i)));
    return (entry.fn as LazyOperatorFn)(Object.freeze(evaluators), data, env);
  }
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = apply(args[i], data, env, registry, base, argTrail(i));
  return (entry.fn as OperatorFn)(values, data, env);
}
