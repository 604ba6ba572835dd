/** Reads a non-negative number from a cell or param; undefined when empty. */
export function readNumber(v, field, problem, opts = {}) {
    if (v === undefined || v === null || v === '')
        return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
        problem(field, `must be a${opts.integer ? 'n integer' : ' number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got ${JSON.stringify(v)}`);
        return undefined;
    }
    return n;
}
/** Reads a list cell: an array, or a `|`-separated string (empty → []). */
export function readList(v) {
    if (v === undefined || v === null || v === '')
        return [];
    if (Array.isArray(v))
        return v.map((x) => String(x).trim()).filter(Boolean);
    return String(v).split('|').map((x) => x.trim()).filter(Boolean);
}
/** Name and codes every point row carries. */
export function basePoint(row, problem) {
    const name = typeof row.name === 'string' ? row.name.trim() : '';
    if (!name)
        problem('name', 'is required');
    const codes = row.codes ?? [];
    if (codes.length === 0)
        problem('codes', 'must list at least one national code');
    if (!name || codes.length === 0)
        return undefined;
    return { name, codes };
}
/** No params: anything given is reported. */
export function noParams(params, problem) {
    for (const k of Object.keys(params))
        problem(k, 'is not a parameter of this template');
    return {};
}
//# sourceMappingURL=template.js.map