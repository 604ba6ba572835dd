import { parseDateTime } from '../model/dates.js';
/** Builds the code index of a loaded rulebook: per order, only rules whose knowledge holds its code run. */
export function compileRulebook(rb) {
    const index = new Map();
    const orderRules = [];
    const encounterRules = [];
    const encounterTemplateRules = [];
    const encounterCodes = new Set();
    for (const rule of rb.rules) {
        if (rule.template?.checkEncounter) {
            encounterTemplateRules.push(rule);
            const spans = rule.spans;
            rule.encounterView = {
                points: rule.points, params: rule.params, lookup: rule.lookup,
                inForce: (p, ms) => ms >= spans[p].fromMs && ms < spans[p].toMs,
            };
            // Not indexed (judged per encounter), but their national codes are the rulebook's all the same.
            for (const point of rule.points)
                for (const c of point.codes)
                    encounterCodes.add(c);
            continue;
        }
        if (rule.condition && rule.scope === 'encounter') {
            encounterRules.push(rule);
            continue;
        }
        if (rule.condition && rule.def.knowledge === undefined) {
            orderRules.push(rule);
            continue;
        }
        rule.points.forEach((point, p) => {
            const codes = rule.template?.indexCodes ? rule.template.indexCodes(point) : point.codes.map((c) => [c, 0]);
            for (const [code, role] of codes) {
                let hits = index.get(code);
                if (!hits)
                    index.set(code, (hits = []));
                // A code listed twice in one point must not double-count its orders.
                const span = rule.spans[p];
                if (!hits.some((h) => h.rule === rule && h.point === p && h.role === role))
                    hits.push({ rule, point: p, role, fromMs: span.fromMs, toMs: span.toMs });
            }
        });
    }
    const m = rb.manifest;
    const to = m.effective_to ?? null;
    return {
        id: m.id, version: m.version, name: m.name ?? m.id, issuer: m.issuer,
        effective_from: m.effective_from, effective_to: to,
        effectiveFromMs: parseDateTime(m.effective_from),
        effectiveToMs: to ? parseDateTime(to) : Number.POSITIVE_INFINITY,
        digest: `${m.id}@${m.version}`,
        rules: rb.rules.map((r) => ({
            id: r.id, name: r.name, sev_deg: r.sevDeg, category: r.category, template: r.def.template,
            knowledge: r.def.knowledge, scenes: r.def.scenes, phases: r.def.phases, points: r.points.length,
        })),
        codeCount: index.size + [...encounterCodes].filter((c) => !index.has(c)).length,
        cases: rb.cases,
        compiled: { rules: rb.rules, index, orderRules, encounterRules, encounterTemplateRules, tables: rb.tables, masks: new Map() },
    };
}
//# sourceMappingURL=compile.js.map