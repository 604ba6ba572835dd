import type { CheckData } from '../model/request.js';
import type { EvaluationResult, JudgeResultDetailDto, ResultDto, RuleErrorEntry } from '../model/result.js';
import type { Phase } from '../rulebook/types.js';
import { toWallClock } from '../model/dates.js';
import type { GroupEntry, TemplateContext, Vars } from '../templates/template.js';
import type { CompiledRule } from './compile-rules.js';
import type { CompiledRulebook } from './compile.js';
import { patientFacts, type EncounterFact, type OrderFact, type PatientFact } from './facts.js';
import { renderMessage } from './message.js';
import type { ConditionEnv } from './operators.js';

/** How to evaluate one request. */
export interface EvaluateOptions {
  /** Evaluation time (stands in for missing order/admission dates). */
  now: string | Date | number;
  /** Scenes to run (overrides the request's trig_scen). */
  scenes?: string[];
  /** Phase to run; default derived from the scenes (1–5 事前, 6–10 事中), else every phase. */
  phase?: Phase;
  /** Only these rules (overrides the request's rule_ids). */
  ruleIds?: string[];
  /** Prefix of jr_id; give one unique per check (default: task_id + "-"). */
  idPrefix?: string;
}

/** Splits "1,2" (or an array) into trimmed non-empty items. */
export function splitList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  const items = Array.isArray(v) ? v : String(v).split(/[,，;|\s]+/);
  return items.map((s) => String(s).trim()).filter((s) => s !== '');
}

/** 1–5 are 事前 scenes, 6–10 事中; mixed or unknown scenes give undefined (every phase). */
export function phaseOfScenes(scenes: readonly string[]): Phase | undefined {
  if (scenes.length === 0) return undefined;
  let pre = 0, mid = 0;
  for (const s of scenes) {
    const n = Number(s);
    if (n >= 1 && n <= 5) pre++;
    else if (n >= 6 && n <= 10) mid++;
  }
  if (pre === scenes.length) return '事前';
  if (mid === scenes.length) return '事中';
  return undefined;
}

function activeMask(rb: CompiledRulebook, scenes: string[], phase: Phase | undefined, ruleIds: string[]): Uint8Array {
  const key = `${scenes.join(',')}|${phase ?? ''}|${ruleIds.join(',')}`;
  const cache = rb.compiled.masks;
  let mask = cache.get(key);
  if (mask) return mask;
  const rules = rb.compiled.rules;
  mask = new Uint8Array(rules.length);
  const only = ruleIds.length > 0 ? new Set(ruleIds) : null;
  for (const r of rules) {
    if (only && !only.has(r.id)) continue;
    if (phase && r.phases && !r.phases.has(phase)) continue;
    if (scenes.length > 0 && r.scenes && !scenes.some((s) => r.scenes!.has(s))) continue;
    mask[r.index] = 1;
  }
  // Scene/phase/rule-id combinations are few in practice; bound the cache all the same.
  if (cache.size < 256) cache.set(key, mask);
  return mask;
}

interface Bucket {
  rule: CompiledRule;
  point: number;
  entries: GroupEntry[];
}

/** Evaluation state for one request. */
class Run {
  readonly result: ResultDto[] = [];
  readonly errors: RuleErrorEntry[] = [];
  private seq = 0;
  constructor(readonly prefix: string, readonly taskId: string, readonly ctx: TemplateContext) {}

  fail(rule: CompiledRule, e: unknown): void {
    if (this.errors.some((x) => x.rule_id === rule.id)) return;
    this.errors.push({ rule_id: rule.id, rule_name: rule.name, message: e instanceof Error ? e.message : String(e) });
  }

  emit(rule: CompiledRule, pointName: string, offending: OrderFact, involved: readonly OrderFact[], vars: Vars): void {
    // History orders count towards limits but are never the offending order.
    if (!offending.current) return;
    const jr = `${this.prefix}${++this.seq}`;
    const patnId = offending.enc.patient.dto.patn_id;
    const od = offending.dto;
    const details: JudgeResultDetailDto[] = [{
      jrd_id: `${jr}-1`, patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, rx_id: od.rx_id, vola_item_type: '1', vola_amt: offending.amount,
    }];
    for (let i = 0; i < involved.length; i++) {
      const o = involved[i];
      details.push({ jrd_id: `${jr}-${i + 2}`, patn_id: patnId, mdtrt_id: o.enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2', vola_amt: 0 });
    }
    const item = od.hilist_name ?? od.hosplist_name ?? offending.code;
    const base: Vars = { point: pointName, item, code: offending.code, rule_name: rule.name, patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, rx_id: od.rx_id };
    this.result.push({
      jr_id: jr, rule_id: rule.id, rule_name: rule.name, vola_cont: renderMessage(rule.message, vars, base),
      patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, vola_amt: offending.amount,
      vola_amt_stas: offending.amountKnown ? '1' : '0', sev_deg: rule.sevDeg,
      vola_evid: `知识点：${pointName}；医保编码：${offending.code}；项目：${item}${vars.limit !== undefined ? `；限定：${vars.limit}` : ''}${vars.actual !== undefined ? `；实际：${vars.actual}` : ''}`,
      vola_bhvr_type: rule.category, task_id: this.taskId, judge_result_detail_dtos: details,
    });
  }

  emitEncounter(rule: CompiledRule, enc: EncounterFact): void {
    const jr = `${this.prefix}${++this.seq}`;
    const patnId = enc.patient.dto.patn_id;
    const amount = enc.dto.medfee_sumamt;
    const details: JudgeResultDetailDto[] = enc.orders.filter((o) => o.current).map((o, i) => ({
      jrd_id: `${jr}-${i + 1}`, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2' as const, vola_amt: 0,
    }));
    const vars: Vars = { rule_name: rule.name, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id };
    this.result.push({
      jr_id: jr, rule_id: rule.id, rule_name: rule.name, vola_cont: renderMessage(rule.message, vars),
      patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id, vola_amt: amount ?? 0, vola_amt_stas: amount === undefined ? '0' : '1',
      sev_deg: rule.sevDeg, vola_evid: `就诊：${enc.dto.mdtrt_id}`, vola_bhvr_type: rule.category, task_id: this.taskId,
      judge_result_detail_dtos: details,
    });
  }
}

function conditionData(patient: PatientFact, enc: EncounterFact, order: OrderFact | undefined, point: unknown, params: unknown, ctx: TemplateContext) {
  return { patient: patient.dto, encounter: enc.dto, order: order?.dto, point, params, now: new Date(ctx.nowMs).toISOString().slice(0, 19).replace('T', ' ') };
}

function runOrderRule(run: Run, rule: CompiledRule, order: OrderFact, point: number): void {
  try {
    if (rule.template) {
      const vars = rule.template.checkOrder!(order, rule.points[point], rule.params, run.ctx);
      if (vars) run.emit(rule, rule.points[point].name, order, [], vars);
      return;
    }
    const patient = order.enc.patient;
    const env: ConditionEnv = { patient, encounter: order.enc, order, nowMs: run.ctx.nowMs };
    const row = point >= 0 ? rule.rows[point] : undefined;
    if (rule.condition!(conditionData(patient, order.enc, order, row, rule.params, run.ctx), env)) {
      run.emit(rule, point >= 0 ? rule.points[point].name : (order.dto.hilist_name ?? order.code), order, [], {});
    }
  } catch (e) {
    run.fail(rule, e);
  }
}

function evaluatePatient(run: Run, rb: CompiledRulebook, mask: Uint8Array, patient: PatientFact): void {
  const { index, orderRules, encounterRules } = rb.compiled;
  let buckets: Map<number, Bucket> | undefined;
  for (const order of patient.orders) {
    const hits = index.get(order.code);
    if (hits) {
      for (let h = 0; h < hits.length; h++) {
        const hit = hits[h];
        const rule = hit.rule;
        if (mask[rule.index] === 0) continue;
        if (rule.template?.checkGroup) {
          const key = rule.index * 1_048_576 + hit.point;
          buckets ??= new Map();
          let b = buckets.get(key);
          if (!b) buckets.set(key, (b = { rule, point: hit.point, entries: [] }));
          b.entries.push({ order, role: hit.role });
        } else if (order.current) {
          runOrderRule(run, rule, order, hit.point);
        }
      }
    }
    if (order.current) {
      for (const rule of orderRules) if (mask[rule.index] === 1) runOrderRule(run, rule, order, -1);
    }
  }
  if (buckets) {
    for (const b of buckets.values()) {
      const { rule } = b;
      const point = rule.points[b.point];
      try {
        rule.template!.checkGroup!(b.entries, point, rule.params, run.ctx, (off, inv, vars) => run.emit(rule, point.name, off, inv, vars));
      } catch (e) {
        run.fail(rule, e);
      }
    }
  }
  for (const rule of encounterRules) {
    if (mask[rule.index] === 0) continue;
    for (const enc of patient.encounters) {
      // An encounter is judged when it has something current to judge (or no orders at all).
      if (enc.orders.length > 0 && !enc.orders.some((o) => o.current)) continue;
      try {
        const env: ConditionEnv = { patient, encounter: enc, nowMs: run.ctx.nowMs };
        if (rule.condition!(conditionData(patient, enc, undefined, undefined, rule.params, run.ctx), env)) run.emitEncounter(rule, enc);
      } catch (e) {
        run.fail(rule, e);
      }
    }
  }
}

/**
 * Audits one request against a compiled rulebook. Synchronous and pure: the time comes in the
 * options; a rule that fails becomes an entry in `errors` and the other rules still run.
 * Findings come one per offending order in the national output.result shape.
 */
export function evaluate(rb: CompiledRulebook, data: CheckData, options: EvaluateOptions): EvaluationResult {
  const nowMs = toWallClock(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`options.now is not a date: ${String(options.now)}`);
  const scenes = options.scenes ?? splitList(data.trig_scen);
  const phase = options.phase ?? phaseOfScenes(scenes);
  const ruleIds = options.ruleIds ?? splitList(data.rule_ids);
  const mask = activeMask(rb, scenes, phase, ruleIds);
  const taskId = data.task_id ?? '';
  const run = new Run(options.idPrefix ?? (taskId ? `${taskId}-` : 'JR-'), taskId, { nowMs });
  const patients = data.patient_dtos;
  for (let p = 0; p < patients.length; p++) evaluatePatient(run, rb, mask, patientFacts(patients[p], nowMs));
  let considered = 0;
  for (let i = 0; i < mask.length; i++) considered += mask[i];
  return { result: run.result, errors: run.errors, rules_considered: considered };
}
