import type { LogicPathOptions } from './check.js';
import { type OperatorRegistry } from './registry.js';
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
export declare function compileLogic(expr: unknown, registry?: OperatorRegistry, options?: LogicPathOptions): CompiledLogic;
//# sourceMappingURL=compile.d.ts.map