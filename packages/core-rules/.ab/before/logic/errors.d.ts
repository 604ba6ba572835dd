/**
 * Stable codes of problems found in a JsonLogic expression:
 * - `unknown_operator`: a one-key object whose key is not a registered operator;
 * - `arity`: an operator given fewer or more arguments than it accepts;
 * - `malformed`: a value that is not JSON (function, symbol, bigint) or an object with several
 *   keys of which one is an operator name (almost always two operations in one object by mistake).
 */
export type LogicErrorCode = 'unknown_operator' | 'arity' | 'malformed';
/** One problem in an expression, located by its JSON path (e.g. `condition.and[1].in`). */
export interface LogicProblem {
    /** JSON path of the offending value; an operator's path ends with the operator name. */
    path: string;
    /** English description, without the path. */
    message: string;
    /** Stable machine-readable code. */
    code: LogicErrorCode;
}
/**
 * Thrown by {@link compileLogic} for a bad expression and by {@link applyLogic} when it meets an
 * unknown operator. Carries the JSON path so the rulebook loader can name the field; the
 * message never includes a stack trace worth showing to a user.
 */
export declare class LogicError extends Error {
    /** JSON path of the offending value (e.g. `condition.and[1].in`). */
    readonly path: string;
    /** Stable machine-readable code. */
    readonly code: LogicErrorCode;
    /** The message without the path prefix. */
    readonly detail: string;
    constructor(problem: LogicProblem);
}
/** Appends an object key to a JSON path: `a` + `in` → `a.in`; odd keys are quoted: `a["x.y"]`. */
export declare function joinKey(path: string, key: string): string;
/** Appends an array index to a JSON path: `a.and` + 1 → `a.and[1]`. */
export declare function joinIndex(path: string, index: number): string;
//# sourceMappingURL=errors.d.ts.map