import { chargeSteps, OperatorRegistry } from '../logic/index.js';
import { dayOf, fullYears, parseDateTime } from '../model/dates.js';
function codeSetOf(tables, cache, id) {
    let set = cache.get(id);
    if (!set) {
        const table = tables.get(id);
        if (!table)
            return undefined;
        set = new Set(table.rows.flatMap((r) => r.codes ?? []));
        cache.set(id, set);
    }
    return set;
}
/** The first row listing each code, per table: table_value is a lookup, not a scan. */
function rowIndexOf(table, cache) {
    let index = cache.get(table);
    if (!index) {
        index = new Map();
        for (const row of table.rows)
            for (const c of row.codes ?? [])
                if (!index.has(c))
                    index.set(c, row);
        cache.set(table, index);
    }
    return index;
}
/** First index in the sorted `days` whose day is greater than `day`. */
function upperBound(days, day) {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (days[mid] > day)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
function toMs(v) {
    return typeof v === 'string' ? parseDateTime(v) : typeof v === 'number' ? v : NaN;
}
/**
 * The standard JsonLogic operators plus the domain operators a bureau writes rules with:
 * age_at, days_between, in_table, table_value, count_orders, has_diagnosis, starts_with.
 */
export function domainOperators(tables) {
    const tableSets = new Map();
    const listSets = new WeakMap();
    const rowIndexes = new WeakMap();
    // Per patient (of one request) and code set: the begin days of the matching orders, in order.
    // count_orders runs once per order, so each call is a binary search, not a walk of every order.
    const orderDays = new WeakMap();
    const daysOf = (patient, set) => {
        let bySet = orderDays.get(patient);
        if (!bySet)
            orderDays.set(patient, (bySet = new Map()));
        let days = bySet.get(set);
        if (!days) {
            chargeSteps(patient.orders.length);
            days = [];
            // patient.orders is sorted by begin time, so the days come out sorted.
            for (const o of patient.orders)
                if (set.has(o.code))
                    days.push(o.beginDay);
            bySet.set(set, days);
        }
        return days;
    };
    const registry = OperatorRegistry.standard();
    registry.register('age_at', (args) => {
        const age = fullYears(toMs(args[0]), toMs(args[1]));
        return Number.isNaN(age) ? null : age;
    });
    registry.register('days_between', (args) => {
        const a = toMs(args[0]), b = toMs(args[1]);
        return Number.isNaN(a) || Number.isNaN(b) ? null : dayOf(b) - dayOf(a);
    });
    registry.register('in_table', (args) => {
        const set = codeSetOf(tables, tableSets, String(args[1]));
        return set ? set.has(String(args[0])) : false;
    });
    registry.register('table_value', (args) => {
        const table = tables.get(String(args[1]));
        const row = table ? rowIndexOf(table, rowIndexes).get(String(args[0])) : undefined;
        return row ? (row[String(args[2])] ?? null) : null;
    });
    registry.register('count_orders', (args, _data, env) => {
        const e = env;
        if (!e)
            return 0;
        const spec = args[0];
        let set;
        if (typeof spec === 'string')
            set = codeSetOf(tables, tableSets, spec) ?? new Set([spec]);
        else if (Array.isArray(spec)) {
            set = listSets.get(spec);
            if (!set)
                listSets.set(spec, (set = new Set(spec.map(String))));
        }
        if (!set)
            return 0;
        const windowDays = Number(args[1] ?? Infinity);
        const refDay = e.order ? e.order.beginDay : dayOf(e.nowMs);
        // Orders with refDay - windowDays < beginDay <= refDay (none when windowDays is NaN).
        const days = daysOf(e.patient, set);
        const n = upperBound(days, refDay) - upperBound(days, refDay - windowDays);
        return Number.isNaN(windowDays) || n < 0 ? 0 : n;
    });
    registry.register('has_diagnosis', (args, _data, env) => {
        const e = env;
        if (!e)
            return false;
        // The encounter's diagnoses: every entry the HIS sent for its mdtrt_id (facts merge them).
        const enc = e.encounter.dto;
        const codes = (enc.fsi_diagnose_dtos ?? []).map((d) => d.dise_codg ?? '');
        if (enc.dscg_main_dise_codg)
            codes.push(enc.dscg_main_dise_codg);
        const prefixes = args.flat().map(String);
        chargeSteps(codes.length * prefixes.length);
        return codes.some((c) => prefixes.some((p) => c.startsWith(p)));
    });
    registry.register('starts_with', (args) => typeof args[0] === 'string' && args[0].startsWith(String(args[1])));
    return registry;
}
//# sourceMappingURL=operators.js.map