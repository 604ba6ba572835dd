import { allPure, arg, constantFrom, dynamic } from './compiled-node.js';
import { getVar, inOperator, toNumber, walkPath } from './standard-operators.js';
import { truthy } from './truthy.js';
/**
 * A two-argument operator. json-logic-js evaluates every argument, so extra dynamic arguments
 * (evaluated and ignored) send us back to the generic path.
 */
function binary(args, both, rightConstant) {
    if (!constantFrom(args, 2))
        return undefined;
    const a = arg(args, 0);
    const b = arg(args, 1);
    return dynamic(b.isConst ? rightConstant(a.fn, b.value) : both(a.fn, b.fn), a.pure && b.pure);
}
function unary(args, make) {
    if (!constantFrom(args, 1))
        return undefined;
    const a = arg(args, 0);
    return dynamic(make(a.fn), a.pure);
}
function compileVar(args) {
    if (!constantFrom(args, 2))
        return undefined;
    const path = arg(args, 0);
    const fallback = arg(args, 1);
    const pure = path.pure && fallback.pure;
    if (!path.isConst) {
        const p = path.fn;
        const f = fallback.fn;
        return dynamic((d, e) => {
            const at = p(d, e);
            return getVar(at, d, f(d, e));
        }, pure);
    }
    const p = path.value;
    if (p === undefined || p === '' || p === null) {
        if (fallback.isConst)
            return dynamic((d) => d, pure);
        const f = fallback.fn;
        return dynamic((d, e) => { f(d, e); return d; }, pure);
    }
    // The path is split once, here, not on every call.
    const segments = String(p).split('.');
    if (!fallback.isConst) {
        const f = fallback.fn;
        return dynamic((d, e) => {
            const v = f(d, e);
            return walkPath(segments, d, v === undefined ? null : v);
        }, pure);
    }
    const notFound = fallback.value === undefined ? null : fallback.value;
    if (segments.length === 1) {
        const k = segments[0];
        return dynamic((d) => {
            if (d === null || d === undefined)
                return notFound;
            const v = d[k];
            return v === undefined ? notFound : v;
        }, pure);
    }
    if (segments.length === 2) {
        const k0 = segments[0];
        const k1 = segments[1];
        return dynamic((d) => {
            if (d === null || d === undefined)
                return notFound;
            const v0 = d[k0];
            if (v0 === undefined || v0 === null)
                return notFound;
            const v1 = v0[k1];
            return v1 === undefined ? notFound : v1;
        }, pure);
    }
    return dynamic((d) => walkPath(segments, d, notFound), pure);
}
/** `<` / `<=` with a third argument: the "between" form. */
function between(args, two, dynamicThird, constantThird) {
    if (args.length <= 2 || (args[2].isConst && args[2].value === undefined))
        return two(args);
    if (!constantFrom(args, 3))
        return undefined;
    const [a, b, c] = args;
    const pure = allPure(args);
    return dynamic(c.isConst ? constantThird(a.fn, b.fn, c.value) : dynamicThird(a.fn, b.fn, c.fn), pure);
}
const lessThan = (args) => binary(args, (a, b) => (d, e) => a(d, e) < b(d, e), (a, b) => (d, e) => a(d, e) < b);
const lessOrEqual = (args) => binary(args, (a, b) => (d, e) => a(d, e) <= b(d, e), (a, b) => (d, e) => a(d, e) <= b);
function compileIn(args) {
    if (!constantFrom(args, 2))
        return undefined;
    const needle = arg(args, 0);
    const haystack = arg(args, 1);
    const a = needle.fn;
    const pure = needle.pure && haystack.pure;
    if (!haystack.isConst) {
        const b = haystack.fn;
        return dynamic((d, e) => inOperator(a(d, e), b(d, e)), pure);
    }
    const list = haystack.value;
    if (Array.isArray(list)) {
        // Built once. Array.indexOf is strict equality; a Set is SameValueZero, which differs only
        // for NaN (indexOf never finds it), so NaN is left out. Objects can only match by identity,
        // so they go to indexOf on the (frozen) list itself.
        const set = new Set();
        for (const item of list) {
            if (item === null || (typeof item !== 'object' && typeof item !== 'function' && item === item))
                set.add(item);
        }
        return dynamic((d, e) => {
            const x = a(d, e);
            return x !== null && (typeof x === 'object' || typeof x === 'function') ? list.indexOf(x) !== -1 : set.has(x);
        }, pure);
    }
    if (typeof list === 'string') {
        if (list === '')
            return dynamic((d, e) => { a(d, e); return false; }, pure);
        return dynamic((d, e) => list.indexOf(a(d, e)) !== -1, pure);
    }
    return dynamic((d, e) => inOperator(a(d, e), list), pure);
}
function compilePlus(args) {
    const pure = allPure(args);
    // 0 + …: the seed of json-logic-js's reduce; it also turns a "-0" string into +0.
    if (args.length === 1) {
        const a = args[0].fn;
        return dynamic((d, e) => 0 + toNumber(a(d, e)), pure);
    }
    if (args.length === 2) {
        const a = args[0].fn;
        const b = args[1].fn;
        return dynamic((d, e) => 0 + toNumber(a(d, e)) + toNumber(b(d, e)), pure);
    }
    const fns = args.map((x) => x.fn);
    return dynamic((d, e) => {
        let sum = 0;
        for (let i = 0; i < fns.length; i++)
            sum = sum + toNumber(fns[i](d, e));
        return sum;
    }, pure);
}
function compileTimes(args) {
    // One argument comes back as it is (json-logic-js reduces without a seed).
    if (args.length === 1)
        return args[0];
    const pure = allPure(args);
    if (args.length === 2) {
        const a = args[0].fn;
        const b = args[1].fn;
        return dynamic((d, e) => toNumber(a(d, e)) * toNumber(b(d, e)), pure);
    }
    const fns = args.map((x) => x.fn);
    return dynamic((d, e) => {
        let product = fns[0](d, e);
        for (let i = 1; i < fns.length; i++)
            product = toNumber(product) * toNumber(fns[i](d, e));
        return product;
    }, pure);
}
function compileMinus(args) {
    if (!constantFrom(args, 2))
        return undefined;
    const a = arg(args, 0);
    const b = arg(args, 1);
    const pure = a.pure && b.pure;
    const af = a.fn;
    if (b.isConst) {
        const bv = b.value;
        if (bv === undefined)
            return dynamic((d, e) => -af(d, e), pure);
        return dynamic((d, e) => af(d, e) - bv, pure);
    }
    const bf = b.fn;
    return dynamic((d, e) => {
        const x = af(d, e);
        const y = bf(d, e);
        return y === undefined ? -x : x - y;
    }, pure);
}
/** Fast paths by operator name, for eager standard operators. */
export const EAGER_SPECIALISATIONS = {
    'var': compileVar,
    '==': (args) => binary(args, (a, b) => (d, e) => a(d, e) == b(d, e), (a, b) => (d, e) => a(d, e) == b),
    '===': (args) => binary(args, (a, b) => (d, e) => a(d, e) === b(d, e), (a, b) => (d, e) => a(d, e) === b),
    '!=': (args) => binary(args, (a, b) => (d, e) => a(d, e) != b(d, e), (a, b) => (d, e) => a(d, e) != b),
    '!==': (args) => binary(args, (a, b) => (d, e) => a(d, e) !== b(d, e), (a, b) => (d, e) => a(d, e) !== b),
    '>': (args) => binary(args, (a, b) => (d, e) => a(d, e) > b(d, e), (a, b) => (d, e) => a(d, e) > b),
    '>=': (args) => binary(args, (a, b) => (d, e) => a(d, e) >= b(d, e), (a, b) => (d, e) => a(d, e) >= b),
    '<': (args) => between(args, lessThan, (a, b, c) => (d, e) => {
        const x = a(d, e);
        const y = b(d, e);
        const z = c(d, e);
        return z === undefined ? x < y : x < y && y < z;
    }, (a, b, z) => (d, e) => {
        const x = a(d, e);
        const y = b(d, e);
        return x < y && y < z;
    }),
    '<=': (args) => between(args, lessOrEqual, (a, b, c) => (d, e) => {
        const x = a(d, e);
        const y = b(d, e);
        const z = c(d, e);
        return z === undefined ? x <= y : x <= y && y <= z;
    }, (a, b, z) => (d, e) => {
        const x = a(d, e);
        const y = b(d, e);
        return x <= y && y <= z;
    }),
    '/': (args) => binary(args, (a, b) => (d, e) => a(d, e) / b(d, e), (a, b) => (d, e) => a(d, e) / b),
    '%': (args) => binary(args, (a, b) => (d, e) => a(d, e) % b(d, e), (a, b) => (d, e) => a(d, e) % b),
    '!': (args) => unary(args, (a) => (d, e) => !truthy(a(d, e))),
    '!!': (args) => unary(args, (a) => (d, e) => truthy(a(d, e))),
    'in': compileIn,
    '+': compilePlus,
    '*': compileTimes,
    '-': compileMinus,
};
//# sourceMappingURL=compile-standard.js.map