import { joinIndex, joinKey, LogicError } from './errors.js';
import { operationOf, problemAt } from './node.js';
import { DEFAULT_REGISTRY } from './registry.js';
function render(base, trail) {
    const steps = [];
    for (let t = trail; t !== undefined; t = t.up)
        steps.push(t.step);
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
export function applyLogic(expr, data, registry = DEFAULT_REGISTRY, env, options = {}) {
    return apply(expr, data, env, registry, options.path ?? '', undefined);
}
function apply(logic, data, env, registry, base, trail) {
    if (Array.isArray(logic)) {
        const out = new Array(logic.length);
        for (let i = 0; i < logic.length; i++) {
            out[i] = apply(logic[i], data, env, registry, base, { up: trail, step: i });
        }
        return out;
    }
    const operation = operationOf(logic);
    if (operation === undefined)
        return logic;
    const { op, args, wrapped } = operation;
    const entry = registry.get(op);
    if (entry === undefined || args.length < entry.minArgs || args.length > entry.maxArgs) {
        throw new LogicError(problemAt(logic, render(base, trail), registry));
    }
    const opTrail = { up: trail, step: op };
    const argTrail = (i) => (wrapped ? opTrail : { up: opTrail, step: i });
    if (entry.lazy) {
        const evaluators = args.map((arg, i) => (d, e) => apply(arg, d, e, registry, base, argTrail(i)));
        return entry.fn(Object.freeze(evaluators), data, env);
    }
    const values = new Array(args.length);
    for (let i = 0; i < args.length; i++)
        values[i] = apply(args[i], data, env, registry, base, argTrail(i));
    return entry.fn(values, data, env);
}
//# sourceMappingURL=interpret.js.map