/** The types of JsonLogic operators, shared by the registry and the operator implementations. */

/**
 * An eager operator: receives its arguments already evaluated, the current `data` (what `var`
 * reads; inside `map`/`filter`/… the current element) and the opaque `env` the caller passed
 * at evaluation time (the rules engine passes patient/encounter/order context and knowledge
 * tables there). The `args` array is fresh on every call; the values in it may be frozen shared
 * constants and must be treated as read-only.
 */
export type OperatorFn = (args: unknown[], data: unknown, env: unknown) => unknown;

/**
 * Evaluates one argument of a lazy operator: pass the current `data` to evaluate it in the same
 * scope, or another value to evaluate it in a new scope (as `map` does with each element).
 */
export type Evaluator = (data: unknown, env: unknown) => unknown;

/**
 * A lazy operator (control flow: `if`, `and`, `map`, …): receives one {@link Evaluator} per
 * argument, unevaluated, and decides what to evaluate and with which data. An absent argument
 * is simply missing from `args` (check `args.length`). The array is shared between calls and
 * frozen.
 */
export type LazyOperatorFn = (args: readonly Evaluator[], data: unknown, env: unknown) => unknown;

/** How an operator behaves; the defaults describe an opaque custom operator. */
export interface OperatorOptions {
  /** Arguments are passed unevaluated as {@link Evaluator}s (default false). */
  lazy?: boolean;
  /**
   * Same arguments (and same `data`, if {@link usesData}) always give the same result, `env`
   * is never read and calling it has no side effect (default false). The compiler evaluates a
   * pure operator whose arguments are all constants once, at compile time.
   */
  pure?: boolean;
  /** The result depends on `data` (like `var`), so it is not folded even with constant args. */
  usesData?: boolean;
  /** Fewest arguments accepted; fewer is reported at compile time (default 0). */
  minArgs?: number;
  /** Most arguments accepted; more is reported at compile time (default unlimited). */
  maxArgs?: number;
}

/** A registered operator as the compiler, interpreter and checker see it. */
export interface OperatorEntry {
  readonly name: string;
  readonly fn: OperatorFn | LazyOperatorFn;
  readonly lazy: boolean;
  readonly pure: boolean;
  readonly usesData: boolean;
  readonly minArgs: number;
  readonly maxArgs: number;
}
