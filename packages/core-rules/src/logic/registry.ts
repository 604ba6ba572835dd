import { STANDARD_OPERATORS } from './standard-operators.js';

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

/**
 * The explicit set of operators an expression may use. Nothing is global: each rulebook
 * compiles against its own registry, usually `OperatorRegistry.standard()` plus the domain
 * operators. Compiled logic captures the operator functions at compile time, so registering
 * or replacing an operator later affects only expressions compiled afterwards.
 */
export class OperatorRegistry {
  readonly #entries = new Map<string, OperatorEntry>();

  /** Registers (or replaces) a lazy operator. */
  register(name: string, fn: LazyOperatorFn, options: OperatorOptions & { lazy: true }): this;
  /** Registers (or replaces) an eager operator. */
  register(name: string, fn: OperatorFn, options?: OperatorOptions): this;
  register(name: string, fn: OperatorFn | LazyOperatorFn, options: OperatorOptions = {}): this {
    if (typeof name !== 'string' || name === '') throw new TypeError('operator name must be a non-empty string');
    if (typeof fn !== 'function') throw new TypeError(`operator "${name}" must be a function`);
    const minArgs = options.minArgs ?? 0;
    const maxArgs = options.maxArgs ?? Infinity;
    if (!(minArgs >= 0 && maxArgs >= minArgs)) throw new RangeError(`operator "${name}": bad minArgs/maxArgs`);
    this.#entries.set(
      name,
      Object.freeze({
        name,
        fn,
        lazy: options.lazy === true,
        pure: options.pure === true,
        usesData: options.usesData === true,
        minArgs,
        maxArgs,
      }),
    );
    return this;
  }

  /** Removes an operator; returns whether it was registered. */
  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  /** Whether `name` is a registered operator. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** The registered operator called `name`, if any. */
  get(name: string): OperatorEntry | undefined {
    return this.#entries.get(name);
  }

  /** Names of all registered operators, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** An independent copy: registering on the copy leaves this registry unchanged. */
  clone(): OperatorRegistry {
    const copy = new OperatorRegistry();
    for (const [name, entry] of this.#entries) copy.#entries.set(name, entry);
    return copy;
  }

  /**
   * A fresh registry holding every operator of json-logic-js 2.0.5 with its exact semantics:
   * var, missing, missing_some, if, ?:, ==, ===, !=, !==, !, !!, or, and, >, >=, <, <=, max,
   * min, +, -, *, /, %, map, filter, reduce, all, none, some, merge, in, cat, substr, log.
   * Except `log`: it returns its argument and prints nothing (json-logic-js writes it to
   * `console.log`; conditions see patient records, which must not reach stdout). Register
   * another `log` to redirect it.
   */
  static standard(): OperatorRegistry {
    const registry = new OperatorRegistry();
    for (const op of STANDARD_OPERATORS) {
      registry.register(op.name, op.fn as OperatorFn, op.options);
    }
    return registry;
  }
}

/** The registry used when none is given (not re-exported from the package, so nobody mutates it). */
export const DEFAULT_REGISTRY: OperatorRegistry = OperatorRegistry.standard();
