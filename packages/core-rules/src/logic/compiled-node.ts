import { stepMeter, useStepMeter } from './budget.js';
import { freezeConstant } from './constants.js';
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
export function constant(value: unknown): Compiled {
  const frozen = freezeConstant(value);
  return { fn: () => frozen, isConst: true, value: frozen, pure: true };
}

/** A node evaluated at run time. */
export function dynamic(fn: Evaluator, pure: boolean): Compiled {
  return { fn, isConst: false, value: undefined, pure };
}

/** Stands for an absent argument (json-logic-js reads it as `undefined`). */
export const UNDEFINED: Compiled = constant(undefined);

/** `null`: what `if` without a matching branch and `reduce` without a seed give. */
export const NULL: Compiled = constant(null);

/** Argument `i`, or {@link UNDEFINED} when absent. */
export function arg(args: readonly Compiled[], i: number): Compiled {
  return i < args.length ? args[i] : UNDEFINED;
}

/** Whether every argument from `from` on is a constant (and so ignoring it changes nothing). */
export function constantFrom(args: readonly Compiled[], from: number): boolean {
  for (let i = from; i < args.length; i++) if (!args[i].isConst) return false;
  return true;
}

/** Whether all nodes are pure. */
export function allPure(args: readonly Compiled[]): boolean {
  for (let i = 0; i < args.length; i++) if (!args[i].pure) return false;
  return true;
}

/** Steps one compile-time fold may take (see budget.ts); past it the node stays dynamic. */
const FOLD_BUDGET = 100_000;

/**
 * Evaluates `fn` once at compile time when its inputs are all known. If it throws (say `in`
 * against an object whose `indexOf` is not a function), the node stays dynamic so the error
 * surfaces at evaluation time, exactly when json-logic-js would raise it. A fold that would
 * spend more than {@link FOLD_BUDGET} steps (a `reduce` doubling a literal list) stays dynamic
 * too: loading a rulebook must not hang, and the evaluation's own budget stops it later.
 */
export function foldOrKeep(fn: Evaluator, pure: boolean, foldable: boolean): Compiled {
  if (foldable) {
    const previous = useStepMeter(stepMeter(FOLD_BUDGET));
    try {
      return constant(fn(undefined, undefined));
    } catch {
      // fall through: keep it dynamic
    } finally {
      useStepMeter(previous);
    }
  }
  return dynamic(fn, pure);
}
