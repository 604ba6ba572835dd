import { chargeSteps } from './budget.js';
import { truthy } from './truthy.js';
/**
 * json-logic-js converts with `parseFloat`; for a number that is the identity except that -0
 * becomes 0 (parseFloat goes through String(-0) === "0"). Skipping the string round trip for
 * numbers keeps `+` and `*` cheap without changing a single result.
 */
export function toNumber(value) {
    if (typeof value === 'number')
        return value === 0 ? 0 : value;
    return parseFloat(value);
}
/**
 * `var`: json-logic-js's lookup. An absent/empty/null path returns the data itself; otherwise
 * the path is `String(path)` split on dots, each step is a plain property read (so numeric
 * steps index arrays and strings), and null/undefined on the way gives the default (or null).
 */
export function getVar(path, data, fallback) {
    const notFound = fallback === undefined ? null : fallback;
    if (path === undefined || path === '' || path === null)
        return data;
    return walkPath(String(path).split('.'), data, notFound);
}
/** Follows pre-split path segments through `data`; shared by `var` and the compiler. */
export function walkPath(segments, data, notFound) {
    let current = data;
    for (let i = 0; i < segments.length; i++) {
        if (current === null || current === undefined)
            return notFound;
        current = current[segments[i]];
        if (current === undefined)
            return notFound;
    }
    return current;
}
/**
 * One key of `missing`. json-logic-js evaluates `{"var": key}` as logic, so an array key acts
 * as var's `[path, default]`. Deliberate difference: a key that is itself a one-key object
 * (which can only come from data) is not executed as logic; it is looked up as a string.
 */
function lookupMissingKey(key, data) {
    if (Array.isArray(key))
        return getVar(key[0], data, key[1]);
    return getVar(key, data, undefined);
}
/** `missing`: the keys whose value is null/absent or "" (one array argument = the key list). */
export function missing(args, data) {
    const keys = Array.isArray(args[0]) ? args[0] : args;
    chargeSteps(keys.length);
    const absent = [];
    for (let i = 0; i < keys.length; i++) {
        const value = lookupMissingKey(keys[i], data);
        if (value === null || value === '')
            absent.push(keys[i]);
    }
    return absent;
}
/** `in`: substring for strings, `indexOf` (strict equality) for arrays, false otherwise. */
export function inOperator(needle, haystack) {
    const h = haystack;
    if (!h || typeof h.indexOf === 'undefined')
        return false;
    if (typeof h.length === 'number')
        chargeSteps(h.length);
    return h.indexOf(needle) !== -1;
}
/** `merge`: one level of arrays spread ([].concat(a, b, c)); the result's size is charged first. */
export function merge(args) {
    let size = 0;
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        size += Array.isArray(a) ? a.length : 1;
    }
    chargeSteps(size);
    return [].concat(...args);
}
/** `cat`: the arguments joined; the length of the string built is charged. */
export function cat(args) {
    const s = args.join('');
    chargeSteps(s.length);
    return s;
}
/** `substr`: String.prototype.substr, plus PHP-style negative length. */
export function substr(source, start, end) {
    if (end < 0) {
        const temp = String(source).substr(start);
        return temp.substr(0, temp.length + end);
    }
    return String(source).substr(start, end);
}
/** `+`: sum of parseFloat'ed arguments starting from 0 (so one argument casts to number). */
export function plus(args) {
    let sum = 0;
    // sum starts at +0 and toNumber never yields -0, so parseFloat(sum) would be the identity.
    for (let i = 0; i < args.length; i++)
        sum = sum + toNumber(args[i]);
    return sum;
}
/** `*`: json-logic-js reduces without a seed: one argument comes back unconverted. */
export function times(args) {
    if (args.length === 0)
        throw new TypeError('Reduce of empty array with no initial value');
    let product = args[0];
    for (let i = 1; i < args.length; i++)
        product = toNumber(product) * toNumber(args[i]);
    return product;
}
const eager = {
    '==': (a) => a[0] == a[1],
    '===': (a) => a[0] === a[1],
    '!=': (a) => a[0] != a[1],
    '!==': (a) => a[0] !== a[1],
    '>': (a) => a[0] > a[1],
    '>=': (a) => a[0] >= a[1],
    '<': (a) => (a[2] === undefined
        ? a[0] < a[1]
        : a[0] < a[1] && a[1] < a[2]),
    '<=': (a) => (a[2] === undefined
        ? a[0] <= a[1]
        : a[0] <= a[1] && a[1] <= a[2]),
    '!!': (a) => truthy(a[0]),
    '!': (a) => !truthy(a[0]),
    '%': (a) => a[0] % a[1],
    'in': (a) => inOperator(a[0], a[1]),
    'cat': (a) => cat(a),
    'substr': (a) => substr(a[0], a[1], a[2]),
    '+': (a) => plus(a),
    '*': (a) => times(a),
    '-': (a) => (a[1] === undefined ? -a[0] : a[0] - a[1]),
    '/': (a) => a[0] / a[1],
    'min': (a) => Math.min(...a),
    'max': (a) => Math.max(...a),
    // [].concat(a, b, c) === [].concat(a).concat(b).concat(c): one level of arrays is spread.
    'merge': (a) => merge(a),
};
const dataReaders = {
    'var': (a, data) => getVar(a[0], data, a[1]),
    'missing': (a, data) => missing(a, data),
    'missing_some': (a, data) => {
        const options = a[1];
        // json-logic-js evaluates {"missing": options}: an array spreads into arguments.
        const absent = missing(Array.isArray(options) ? options : [options], data);
        // options.length throws for null/undefined options, exactly as in json-logic-js.
        return options.length - absent.length >= a[0] ? [] : absent;
    },
};
const ifOperator = (args, data, env) => {
    let i = 0;
    for (; i < args.length - 1; i += 2) {
        if (truthy(args[i](data, env)))
            return args[i + 1](data, env);
    }
    return args.length === i + 1 ? args[i](data, env) : null;
};
/** The scope array of map/filter/…: evaluated in the current scope. */
function scope(args, data, env) {
    return args.length > 0 ? args[0](data, env) : undefined;
}
/** The per-element logic of map/filter/…; an absent one evaluates to undefined. */
function perElement(args, index) {
    return index < args.length ? args[index] : () => undefined;
}
const lazy = {
    'if': ifOperator,
    '?:': ifOperator,
    'and': (args, data, env) => {
        let current;
        for (let i = 0; i < args.length; i++) {
            current = args[i](data, env);
            if (!truthy(current))
                return current;
        }
        return current;
    },
    'or': (args, data, env) => {
        let current;
        for (let i = 0; i < args.length; i++) {
            current = args[i](data, env);
            if (truthy(current))
                return current;
        }
        return current;
    },
    'map': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        if (!Array.isArray(items))
            return [];
        chargeSteps(items.length);
        return items.map((item) => logic(item, env));
    },
    'filter': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        if (!Array.isArray(items))
            return [];
        chargeSteps(items.length);
        return items.filter((item) => truthy(logic(item, env)));
    },
    'reduce': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        const initial = args.length > 2 ? args[2](data, env) : null;
        if (!Array.isArray(items))
            return initial;
        chargeSteps(items.length);
        return items.reduce((accumulator, current) => logic({ current, accumulator }, env), initial);
    },
    'all': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        if (!Array.isArray(items) || !items.length)
            return false;
        chargeSteps(items.length);
        for (let i = 0; i < items.length; i++)
            if (!truthy(logic(items[i], env)))
                return false;
        return true;
    },
    'none': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        if (!Array.isArray(items) || !items.length)
            return true;
        chargeSteps(items.length);
        for (let i = 0; i < items.length; i++)
            if (truthy(logic(items[i], env)))
                return false;
        return true;
    },
    'some': (args, data, env) => {
        const items = scope(args, data, env);
        const logic = perElement(args, 1);
        if (!Array.isArray(items) || !items.length)
            return false;
        chargeSteps(items.length);
        for (let i = 0; i < items.length; i++)
            if (truthy(logic(items[i], env)))
                return true;
        return false;
    },
};
function build() {
    const list = [];
    for (const [name, fn] of Object.entries(dataReaders)) {
        list.push({ name, fn, options: { pure: true, usesData: true, minArgs: name === 'missing_some' ? 2 : 0 } });
    }
    for (const [name, fn] of Object.entries(lazy))
        list.push({ name, fn, options: { lazy: true, pure: true } });
    for (const [name, fn] of Object.entries(eager)) {
        // `*` with no argument always throws in json-logic-js, so it is a compile-time error here.
        list.push({ name, fn, options: { pure: true, minArgs: name === '*' ? 1 : 0 } });
    }
    // json-logic-js prints its argument; here it only returns it: conditions see whole patient
    // records, which must never reach stdout (or any log). Kept as a call, never folded away.
    list.push({ name: 'log', fn: ((a) => a[0]), options: {} });
    return list;
}
/** Every json-logic-js 2.0.5 operator, ready to register. */
export const STANDARD_OPERATORS = Object.freeze(build());
/** name → the standard implementation; the compiler specialises an operator only while the
 *  registry still maps its name to this very function. */
export const STANDARD_FUNCTIONS = new Map(STANDARD_OPERATORS.map((op) => [op.name, op.fn]));
//# sourceMappingURL=standard-operators.js.map