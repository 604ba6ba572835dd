import { type OperatorRegistry } from './registry.js';
/**
 * Evaluates `expr` against `data` by walking it (no compilation). Same results as
 * {@link compileLogic}, slower; kept as the reference implementation and for one-off
 * evaluations. Throws {@link LogicError} when it reaches an unknown operator or a wrong
 * argument count (only on the branches it actually evaluates, like json-logic-js); errors
 * thrown by operators propagate unchanged.
 */
export declare function applyLogic(expr: unknown, data?: unknown, registry?: OperatorRegistry, env?: unknown, options?: {
    path?: string;
}): unknown;
//# sourceMappingURL=interpret.d.ts.map