import { joinIndex, joinKey } from './errors.js';
/**
 * json-logic-js's `is_logic`: a non-null, non-array object with exactly one own enumerable key.
 * Everything else (primitives, `{}`, objects with several keys) is data returned as it is;
 * arrays are evaluated element by element.
 */
export function operationOf(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return undefined;
    const keys = Object.keys(value);
    if (keys.length !== 1)
        return undefined;
    const op = keys[0];
    const raw = value[op];
    return Array.isArray(raw) ? { op, args: raw, wrapped: false } : { op, args: [raw], wrapped: true };
}
/** JSON path of argument `index` of an operation whose operator key is at `opPath`. */
export function argPath(opPath, index, wrapped) {
    return wrapped ? opPath : joinIndex(opPath, index);
}
function plural(n) {
    return n === 1 ? '1 argument' : `${n} arguments`;
}
/**
 * The problem with this one node (not its children), if any: a non-JSON value, several
 * operations in one object, an unknown operator, or a wrong number of arguments.
 */
export function problemAt(value, path, registry) {
    const type = typeof value;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
        return { path, code: 'malformed', message: `not a JSON value (${type})` };
    }
    if (type !== 'object' || value === null || Array.isArray(value))
        return undefined;
    const operation = operationOf(value);
    if (operation === undefined) {
        const keys = Object.keys(value);
        const ops = keys.filter((key) => registry.has(key));
        if (keys.length > 1 && ops.length > 0) {
            return {
                path,
                code: 'malformed',
                message: `an operation must be an object with exactly one key, this one has ${keys.length} (${keys.map((k) => JSON.stringify(k)).join(', ')})`,
            };
        }
        return undefined;
    }
    const opPath = joinKey(path, operation.op);
    const entry = registry.get(operation.op);
    if (entry === undefined) {
        return { path: opPath, code: 'unknown_operator', message: `unknown operator ${JSON.stringify(operation.op)}` };
    }
    const n = operation.args.length;
    if (n < entry.minArgs) {
        return { path: opPath, code: 'arity', message: `operator ${JSON.stringify(operation.op)} needs at least ${plural(entry.minArgs)}, got ${n}` };
    }
    if (n > entry.maxArgs) {
        return { path: opPath, code: 'arity', message: `operator ${JSON.stringify(operation.op)} takes at most ${plural(entry.maxArgs)}, got ${n}` };
    }
    return undefined;
}
//# sourceMappingURL=node.js.map