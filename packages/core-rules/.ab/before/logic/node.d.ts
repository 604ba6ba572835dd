import { type LogicProblem } from './errors.js';
import type { OperatorRegistry } from './registry.js';
/** An operation node: `{ op: args }`, with a non-array value standing for one argument. */
export interface Operation {
    readonly op: string;
    readonly args: readonly unknown[];
    /** The value was not an array (`{"var": "x"}`), so its one argument sits at the op's path. */
    readonly wrapped: boolean;
}
/**
 * json-logic-js's `is_logic`: a non-null, non-array object with exactly one own enumerable key.
 * Everything else (primitives, `{}`, objects with several keys) is data returned as it is;
 * arrays are evaluated element by element.
 */
export declare function operationOf(value: unknown): Operation | undefined;
/** JSON path of argument `index` of an operation whose operator key is at `opPath`. */
export declare function argPath(opPath: string, index: number, wrapped: boolean): string;
/**
 * The problem with this one node (not its children), if any: a non-JSON value, several
 * operations in one object, an unknown operator, or a wrong number of arguments.
 */
export declare function problemAt(value: unknown, path: string, registry: OperatorRegistry): LogicProblem | undefined;
//# sourceMappingURL=node.d.ts.map