import { toWallClock } from '../model/dates.js';
import { tierOf } from '../templates/labels.js';
import { patientFacts } from './facts.js';
import { renderMessage } from './message.js';
import { LogicBudgetError, stepMeter } from '../logic/index.js';
/** Default of {@link EvaluateOptions.maxInvolved}. */
export const DEFAULT_MAX_INVOLVED = 20;
/** Default of {@link EvaluateOptions.maxFindingsPerRule}. */
export const DEFAULT_MAX_FINDINGS_PER_RULE = 200;
/**
 * Default of {@link EvaluateOptions.conditionBudget}: room for a condition that walks every order
 * of the patient for each of 1,000 orders (10⁶ steps) several times over, while a runaway one
 * stops within tens of milliseconds.
 */
export const DEFAULT_CONDITION_BUDGET = 5_000_000;
/** A whole number ≥ min, or Infinity; the option is named when it is not. */
function limitOption(value, name, min, fallback) {
    if (value === undefined)
        return fallback;
    if (value !== Infinity && !(Number.isInteger(value) && value >= min)) {
        throw new RangeError(`options.${name} must be a whole number ≥ ${min} or Infinity, got ${String(value)}`);
    }
    return value;
}
/** Splits "1,2" (or an array) into trimmed non-empty items. */
export function splitList(v) {
    if (v === undefined)
        return [];
    const items = Array.isArray(v) ? v : String(v).split(/[,，;|\s]+/);
    return items.map((s) => String(s).trim()).filter((s) => s !== '');
}
/** 1–5 are 事前 scenes, 6–10 事中; mixed or unknown scenes give undefined (every phase). */
export function phaseOfScenes(scenes) {
    if (scenes.length === 0)
        return undefined;
    let pre = 0, mid = 0;
    for (const s of scenes) {
        const n = Number(s);
        if (n >= 1 && n <= 5)
            pre++;
        else if (n >= 6 && n <= 10)
            mid++;
    }
    if (pre === scenes.length)
        return '事前';
    if (mid === scenes.length)
        return '事中';
    return undefined;
}
function activeMask(rb, scenes, phase, ruleIds) {
    const key = `${scenes.join(',')}|${phase ?? ''}|${ruleIds.join(',')}`;
    const cache = rb.compiled.masks;
    let mask = cache.get(key);
    if (mask)
        return mask;
    const rules = rb.compiled.rules;
    mask = new Uint8Array(rules.length);
    const only = ruleIds.length > 0 ? new Set(ruleIds) : null;
    for (const r of rules) {
        if (only && !only.has(r.id))
            continue;
        if (phase && r.phases && !r.phases.has(phase))
            continue;
        if (scenes.length > 0 && r.scenes && !scenes.some((s) => r.scenes.has(s)))
            continue;
        mask[r.index] = 1;
    }
    // Scene/phase/rule-id combinations are few in practice; bound the cache all the same.
    if (cache.size < 256)
        cache.set(key, mask);
    return mask;
}
/** `；另有 n 项…` when a finding lists fewer 涉及项 than it has. */
function omittedNote(omitted) {
    return omitted > 0 ? `；另有${omitted}项涉及项未列出` : '';
}
/** Evaluation state for one request. */
class Run {
    prefix;
    taskId;
    ctx;
    limits;
    result = [];
    errors = [];
    truncated = [];
    warnings = [];
    /** Parallel to `result` when the caller asked for sources. */
    sources;
    /** Whether the unknown-medins_lv warning has been given (once per request). */
    levelWarned = false;
    seq = 0;
    /** Findings kept and dropped per rule index. */
    kept;
    dropped = new Map();
    /** Step meters of the condition rules, by rule index, made on first use. */
    meters = new Map();
    constructor(prefix, taskId, ctx, limits, ruleCount, withSources) {
        this.prefix = prefix;
        this.taskId = taskId;
        this.ctx = ctx;
        this.limits = limits;
        this.kept = new Uint32Array(ruleCount);
        this.sources = withSources ? [] : undefined;
    }
    /** The rule's step meter for this request (one budget shared by all its calls). */
    meter(rule) {
        let m = this.meters.get(rule.index);
        if (!m)
            this.meters.set(rule.index, (m = stepMeter(this.limits.conditionBudget)));
        return m;
    }
    /** Rules stopped by their step budget: their findings are withdrawn (the rule did not finish). */
    spent = new Set();
    fail(rule, e) {
        if (e instanceof LogicBudgetError)
            this.spent.add(rule);
        if (this.errors.some((x) => x.rule_id === rule.id))
            return;
        this.errors.push({ rule_id: rule.id, rule_name: rule.name, message: e instanceof Error ? e.message : String(e) });
    }
    /** Whether one more finding of the rule fits; counts it as dropped when not. */
    admit(rule) {
        if (this.kept[rule.index] < this.limits.maxFindingsPerRule) {
            this.kept[rule.index]++;
            return true;
        }
        let t = this.dropped.get(rule.index);
        if (!t) {
            this.dropped.set(rule.index, (t = { rule_id: rule.id, rule_name: rule.name, kept: this.kept[rule.index], dropped: 0 }));
            this.truncated.push(t);
        }
        t.dropped++;
        return false;
    }
    emit(rule, pointName, offending, involved, vars, from = 0, to = involved.length) {
        // History orders count towards limits but are never the offending order.
        if (!offending.current)
            return;
        if (!this.admit(rule))
            return;
        const jr = `${this.prefix}${++this.seq}`;
        const patnId = offending.enc.patient.dto.patn_id;
        const od = offending.dto;
        const details = [{
                jrd_id: `${jr}-1`, patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, rx_id: od.rx_id, vola_item_type: '1', vola_amt: offending.amount,
            }];
        const listed = Math.min(to, from + this.limits.maxInvolved);
        for (let i = from; i < listed; i++) {
            const o = involved[i];
            details.push({ jrd_id: `${jr}-${details.length + 1}`, patn_id: patnId, mdtrt_id: o.enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2', vola_amt: 0 });
        }
        const item = od.hilist_name ?? od.hosplist_name ?? offending.code;
        const base = { point: pointName, item, code: offending.code, rule_name: rule.name, patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, rx_id: od.rx_id };
        this.result.push({
            jr_id: jr, rule_id: rule.id, rule_name: rule.name, vola_cont: renderMessage(rule.message, vars, base),
            patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, vola_amt: offending.amount,
            vola_amt_stas: offending.amountKnown ? '1' : '0', sev_deg: rule.sevDeg,
            vola_evid: `知识点：${pointName}；医保编码：${offending.code}；项目：${item}${vars.limit !== undefined ? `；限定：${vars.limit}` : ''}${vars.actual !== undefined ? `；实际：${vars.actual}` : ''}${omittedNote(to - listed)}`,
            vola_bhvr_type: rule.category, task_id: this.taskId, judge_result_detail_dtos: details,
        });
        this.sources?.push({ order: od, encounter: offending.enc.dto, patient: offending.enc.patient.dto });
    }
    /**
     * A finding about the encounter as a whole: an encounter condition, or an encounter template's
     * finding without an offending order (`about`: its point, message values and the item judged,
     * e.g. a diagnosis code).
     */
    emitEncounter(rule, enc, about) {
        if (!this.admit(rule))
            return;
        const jr = `${this.prefix}${++this.seq}`;
        const patnId = enc.patient.dto.patn_id;
        const amount = enc.dto.medfee_sumamt;
        const details = [];
        let omitted = 0;
        for (const o of enc.orders) {
            if (!o.current)
                continue;
            if (details.length >= this.limits.maxInvolved) {
                omitted++;
                continue;
            }
            details.push({ jrd_id: `${jr}-${details.length + 1}`, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2', vola_amt: 0 });
        }
        const vars = { rule_name: rule.name, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id };
        if (about) {
            vars.point = about.point;
            vars.item = about.item;
        }
        let evid = `就诊：${enc.dto.mdtrt_id}`;
        if (about) {
            const v = about.vars;
            evid = `知识点：${about.point}；就诊：${enc.dto.mdtrt_id}；项目：${about.item}${v.limit !== undefined ? `；限定：${v.limit}` : ''}${v.actual !== undefined ? `；实际：${v.actual}` : ''}`;
        }
        this.result.push({
            jr_id: jr, rule_id: rule.id, rule_name: rule.name, vola_cont: renderMessage(rule.message, about?.vars ?? vars, vars),
            patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id, vola_amt: amount ?? 0, vola_amt_stas: amount === undefined ? '0' : '1',
            sev_deg: rule.sevDeg, vola_evid: `${evid}${omittedNote(omitted)}`, vola_bhvr_type: rule.category, task_id: this.taskId,
            judge_result_detail_dtos: details,
        });
        this.sources?.push({ order: undefined, encounter: enc.dto, patient: enc.patient.dto });
    }
}
function conditionData(patient, enc, order, point, params, ctx) {
    return { patient: patient.dto, encounter: enc.dto, order: order?.dto, point, params, now: new Date(ctx.nowMs).toISOString().slice(0, 19).replace('T', ' ') };
}
function runOrderRule(run, rule, order, point) {
    try {
        if (rule.template) {
            const vars = rule.template.checkOrder(order, rule.points[point], rule.params, run.ctx);
            if (vars)
                run.emit(rule, rule.points[point].name, order, [], vars);
            return;
        }
        const patient = order.enc.patient;
        const env = { patient, encounter: order.enc, order, nowMs: run.ctx.nowMs };
        const row = point >= 0 ? rule.rows[point] : undefined;
        if (rule.condition(conditionData(patient, order.enc, order, row, rule.params, run.ctx), env, run.meter(rule))) {
            run.emit(rule, point >= 0 ? rule.points[point].name : (order.dto.hilist_name ?? order.code), order, [], {});
        }
    }
    catch (e) {
        run.fail(rule, e);
    }
}
/** The first active rule that reads the hospital level (hospital-tier-limit), if any. */
function activeLevelRule(rb, mask) {
    return rb.compiled.rules.find((r) => mask[r.index] === 1 && r.template?.name === 'hospital-tier-limit');
}
/**
 * A medins_lv outside the national table is never guessed at (the level rules do not fire on
 * it), but the caller is told, once per request, when an active rule needed it.
 */
function warnUnknownLevel(run, rb, mask, patient, p) {
    if (run.levelWarned)
        return;
    // The entries as sent, so the path names the entry that holds the value.
    const encs = patient.dto.fsi_encounter_dtos ?? [];
    for (let e = 0; e < encs.length; e++) {
        const lv = encs[e].medins_lv;
        if (lv === undefined || tierOf(lv) !== undefined)
            continue;
        run.levelWarned = true;
        const rule = activeLevelRule(rb, mask);
        if (rule) {
            run.warnings.push({
                field: `patient_dtos[${p}].fsi_encounter_dtos[${e}].medins_lv`,
                message: `医疗机构等级 ${JSON.stringify(lv)} 不在国家等级代码表（01–14）中，${rule.name}未判断`,
            });
        }
        return;
    }
}
function evaluatePatient(run, rb, mask, patient, p) {
    warnUnknownLevel(run, rb, mask, patient, p);
    const { index, orderRules, encounterRules, encounterTemplateRules } = rb.compiled;
    let buckets;
    for (const order of patient.orders) {
        const hits = index.get(order.code);
        if (hits) {
            for (let h = 0; h < hits.length; h++) {
                const hit = hits[h];
                const rule = hit.rule;
                if (mask[rule.index] === 0)
                    continue;
                // The point judges only orders given while it is in force (see CodeHit).
                if (order.beginMs < hit.fromMs || order.beginMs >= hit.toMs)
                    continue;
                if (rule.template?.checkGroup) {
                    const key = rule.index * 1_048_576 + hit.point;
                    buckets ??= new Map();
                    let b = buckets.get(key);
                    if (!b)
                        buckets.set(key, (b = { rule, point: hit.point, entries: [] }));
                    b.entries.push({ order, role: hit.role });
                }
                else if (order.current) {
                    runOrderRule(run, rule, order, hit.point);
                }
            }
        }
        if (order.current) {
            for (const rule of orderRules)
                if (mask[rule.index] === 1)
                    runOrderRule(run, rule, order, -1);
        }
    }
    if (buckets) {
        for (const b of buckets.values()) {
            const { rule } = b;
            const point = rule.points[b.point];
            try {
                rule.template.checkGroup(b.entries, point, rule.params, run.ctx, (off, inv, vars, from, to) => run.emit(rule, point.name, off, inv, vars, from, to));
            }
            catch (e) {
                run.fail(rule, e);
            }
        }
    }
    for (const rule of encounterTemplateRules) {
        if (mask[rule.index] === 0)
            continue;
        const view = rule.encounterView;
        for (const enc of patient.encounters) {
            // As for encounter conditions: an encounter with only history orders is context, not judged.
            if (enc.orders.length > 0 && !enc.orders.some((o) => o.current))
                continue;
            try {
                rule.template.checkEncounter(enc, view, run.ctx, (point, off, inv, vars, from, to) => run.emit(rule, point, off, inv, vars, from, to), (point, vars, item) => run.emitEncounter(rule, enc, { point, vars, item }));
            }
            catch (e) {
                run.fail(rule, e);
            }
        }
    }
    for (const rule of encounterRules) {
        if (mask[rule.index] === 0)
            continue;
        for (const enc of patient.encounters) {
            // An encounter is judged when it has something current to judge (or no orders at all).
            if (enc.orders.length > 0 && !enc.orders.some((o) => o.current))
                continue;
            try {
                const env = { patient, encounter: enc, nowMs: run.ctx.nowMs };
                if (rule.condition(conditionData(patient, enc, undefined, undefined, rule.params, run.ctx), env, run.meter(rule)))
                    run.emitEncounter(rule, enc);
            }
            catch (e) {
                run.fail(rule, e);
            }
        }
    }
}
/**
 * Audits one request against a compiled rulebook. Synchronous and pure: the time comes in the
 * options; a rule that fails becomes an entry in `errors` and the other rules still run.
 * Findings come one per offending order in the national output.result shape. Time and memory
 * are linear in the request: each finding lists at most `maxInvolved` 涉及项 and each rule keeps
 * at most `maxFindingsPerRule` findings (the rest are counted in `truncated`).
 */
export function evaluate(rb, data, options) {
    const nowMs = toWallClock(options.now);
    if (Number.isNaN(nowMs))
        throw new RangeError(`options.now is not a date: ${String(options.now)}`);
    const scenes = options.scenes ?? splitList(data.trig_scen);
    const phase = options.phase ?? phaseOfScenes(scenes);
    const ruleIds = options.ruleIds ?? splitList(data.rule_ids);
    const mask = activeMask(rb, scenes, phase, ruleIds);
    const taskId = data.task_id ?? '';
    const limits = {
        maxInvolved: limitOption(options.maxInvolved, 'maxInvolved', 0, DEFAULT_MAX_INVOLVED),
        maxFindingsPerRule: limitOption(options.maxFindingsPerRule, 'maxFindingsPerRule', 1, DEFAULT_MAX_FINDINGS_PER_RULE),
        conditionBudget: limitOption(options.conditionBudget, 'conditionBudget', 1, DEFAULT_CONDITION_BUDGET),
    };
    const run = new Run(options.idPrefix ?? (taskId ? `${taskId}-` : 'JR-'), taskId, { nowMs }, limits, rb.compiled.rules.length, options.withSources === true);
    const patients = data.patient_dtos;
    for (let p = 0; p < patients.length; p++)
        evaluatePatient(run, rb, mask, patientFacts(patients[p], nowMs), p);
    let considered = 0;
    for (let i = 0; i < mask.length; i++)
        considered += mask[i];
    let result = run.result;
    let sources = run.sources;
    if (run.spent.size > 0) {
        const spent = new Set([...run.spent].map((r) => r.id));
        const keep = (f) => !spent.has(f.rule_id);
        if (sources)
            sources = sources.filter((_s, i) => keep(result[i]));
        result = result.filter(keep);
    }
    const out = { result, errors: run.errors, truncated: run.truncated, warnings: run.warnings, rules_considered: considered };
    if (sources)
        out.sources = sources;
    return out;
}
//# sourceMappingURL=evaluate.js.map