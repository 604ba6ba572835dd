import { STANDARD_OPERATORS } from './standard-operators.js';

export type { Evaluator, LazyOperatorFn, OperatorEntry, OperatorFn, OperatorOptions } from './operator-types.js';
import type { LazyOperatorFn, OperatorEntry, OperatorFn, OperatorOptions } from './operator-types.js';

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
