/**
 * Thrown by {@link compileLogic} for a bad expression and by {@link applyLogic} when it meets an
 * unknown operator. Carries the JSON path so the rulebook loader can name the field; the
 * message never includes a stack trace worth showing to a user.
 */
export class LogicError extends Error {
    /** JSON path of the offending value (e.g. `condition.and[1].in`). */
    path;
    /** Stable machine-readable code. */
    code;
    /** The message without the path prefix. */
    detail;
    constructor(problem) {
        super(problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`);
        this.name = 'LogicError';
        this.path = problem.path;
        this.code = problem.code;
        this.detail = problem.message;
    }
}
const IDENTIFIER = /^[^.[\]"\s]+$/;
/** Appends an object key to a JSON path: `a` + `in` → `a.in`; odd keys are quoted: `a["x.y"]`. */
export function joinKey(path, key) {
    if (!IDENTIFIER.test(key))
        return `${path}[${JSON.stringify(key)}]`;
    return path === '' ? key : `${path}.${key}`;
}
/** Appends an array index to a JSON path: `a.and` + 1 → `a.and[1]`. */
export function joinIndex(path, index) {
    return `${path}[${index}]`;
}
//# sourceMappingURL=errors.js.map