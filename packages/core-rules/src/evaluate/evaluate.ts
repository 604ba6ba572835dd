import type { CheckData } from '../model/request.js';
import type { EvaluationResult, FindingSource, InputWarning, JudgeResultDetailDto, ResultDto, RuleErrorEntry, TruncatedRule } from '../model/result.js';
import type { Phase } from '../rulebook/types.js';
import { toWallClock } from '../model/dates.js';
import type { Emitter, GroupEntry, PointEmitter, TemplateContext, Vars, VisitEmitter } from '../templates/template.js';
import { tierOf } from '../templates/labels.js';
import type { CompiledRule } from '../rulebook/compile-rules.js';
import type { CompiledRulebook, Selection } from './code-index.js';
import { patientFacts, type EncounterFact, type OrderFact, type PatientFact } from '../model/facts.js';
import { renderMessage } from './message.js';
import type { ConditionEnv } from './operators.js';
import { LogicBudgetError, stepMeter, type StepMeter } from '../logic/index.js';

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
  /**
   * Most 涉及项 listed per finding (default {@link DEFAULT_MAX_INVOLVED}): the first ones in time
   * order; `vola_evid` counts the rest. Bounds a finding's size whatever the number of orders.
   */
  maxInvolved?: number;
  /**
   * Most findings per rule per request (default {@link DEFAULT_MAX_FINDINGS_PER_RULE}); the rest
   * are counted in `truncated`. Infinity for no cap (batch audits that want every finding).
   */
  maxFindingsPerRule?: number;
  /**
   * Steps each condition rule may spend on one request (default {@link DEFAULT_CONDITION_BUDGET}):
   * one per call, plus the elements its map/filter/reduce/… walk and the collections and strings
   * it builds (see logic/budget.ts). Deterministic: a rule past it fails as an entry in `errors`
   * and is not evaluated again for this request; the other rules still run.
   */
  conditionBudget?: number;
  /**
   * Hand out, in `EvaluationResult.sources`, the records each finding is about (aligned with
   * `result[]`): the offending order as sent, its encounter and patient, so a caller can decide
   * attribution (see model/attribution.ts) without rebuilding an index from rx_id. References,
   * not copies; nothing is built when false (the default).
   */
  withSources?: boolean;
}

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
function limitOption(value: number | undefined, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (value !== Infinity && !(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`options.${name} must be a whole number ≥ ${min} or Infinity, got ${String(value)}`);
  }
  return value;
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
  let pre = 0,
    mid = 0;
  for (const s of scenes) {
    const n = Number(s);
    if (n >= 1 && n <= 5) pre++;
    else if (n >= 6 && n <= 10) mid++;
  }
  if (pre === scenes.length) return '事前';
  if (mid === scenes.length) return '事中';
  return undefined;
}

function select(rb: CompiledRulebook, scenes: string[], phase: Phase | undefined, ruleIds: string[]): Selection {
  const key = `${scenes.join(',')}|${phase ?? ''}|${ruleIds.join(',')}`;
  const cache = rb.compiled.masks;
  let sel = cache.get(key);
  if (sel) return sel;
  const rules = rb.compiled.rules;
  const mask = new Uint8Array(rules.length);
  const only = ruleIds.length > 0 ? new Set(ruleIds) : null;
  let considered = 0;
  const levelRules: CompiledRule[] = [];
  for (const r of rules) {
    if (only && !only.has(r.id)) continue;
    if (phase && r.phases && !r.phases.has(phase)) continue;
    if (scenes.length > 0 && r.scenes && !scenes.some((s) => r.scenes!.has(s))) continue;
    mask[r.index] = 1;
    considered++;
    if (r.template?.readsHospitalLevel === true) levelRules.push(r);
  }
  sel = { mask, considered, levelRules };
  // Scene/phase/rule-id combinations are few in practice; bound the cache all the same.
  if (cache.size < 256) cache.set(key, sel);
  return sel;
}

/**
 * The selection of a request that only names its scenes (`trig_scen`, the usual case), looked up
 * by the raw string so a request pays one Map access instead of splitting and joining lists.
 */
function selectByScene(rb: CompiledRulebook, trigScen: string | undefined): Selection {
  const raw = trigScen ?? '';
  const cache = rb.compiled.sceneSelections;
  let sel = cache.get(raw);
  if (sel) return sel;
  const scenes = splitList(trigScen);
  sel = select(rb, scenes, phaseOfScenes(scenes), []);
  if (cache.size < 256) cache.set(raw, sel);
  return sel;
}

interface Bucket {
  rule: CompiledRule;
  point: number;
  entries: GroupEntry[];
}

/** What a request may cost: the caps of {@link EvaluateOptions}, resolved. */
interface Limits {
  maxInvolved: number;
  maxFindingsPerRule: number;
  conditionBudget: number;
}

/** `；另有 n 项…` when a finding lists fewer 涉及项 than it has. */
function omittedNote(omitted: number): string {
  return omitted > 0 ? `；另有${omitted}项涉及项未列出` : '';
}

/**
 * A template may grade one finding itself (药品限适应症: a reminder is 3 where a mismatch is 2):
 * the `sev_deg` message value, when it is 1, 2 or 3; otherwise the rule's.
 */
function findingSev(vars: Vars, ruleSev: CompiledRule['sevDeg']): CompiledRule['sevDeg'] {
  const s = vars.sev_deg;
  return s === '1' || s === '2' || s === '3' ? s : ruleSev;
}

/** Evaluation state for one request. */
class Run {
  readonly result: ResultDto[] = [];
  readonly errors: RuleErrorEntry[] = [];
  readonly truncated: TruncatedRule[] = [];
  readonly warnings: InputWarning[] = [];
  /** Parallel to `result` when the caller asked for sources. */
  readonly sources: FindingSource[] | undefined;
  /** Whether the unknown-medins_lv warning has been given (once per request). */
  levelWarned = false;
  private seq = 0;
  // Per-rule state is made on first use: most requests have a few findings and no condition rule.
  /** Findings kept per rule index, counted once the request's findings reach the per-rule cap. */
  private kept: Uint32Array | undefined;
  private dropped: Map<number, TruncatedRule> | undefined;
  /** Step meters of the condition rules, by rule index. */
  private meters: Map<number, StepMeter> | undefined;
  /** Rules stopped by their step budget: their findings are withdrawn (the rule did not finish). */
  spent: Set<CompiledRule> | undefined;
  /** The rule and encounter the template being run reports on (read by the emitters below). */
  private rule!: CompiledRule;
  private enc!: EncounterFact;
  private point = '';
  /**
   * Emitters handed to templates, made once per request rather than per rule and encounter: they
   * report for `this.rule` (and `this.enc`, `this.point`), which the caller sets before each call.
   */
  readonly emitGroup: Emitter = (off, inv, vars, from, to) => this.emit(this.rule, this.point, off, inv, vars, from, to);
  readonly emitPoint: PointEmitter = (point, off, inv, vars, from, to) => this.emit(this.rule, point, off, inv, vars, from, to);
  readonly emitVisit: VisitEmitter = (point, vars, item) => this.emitEncounter(this.rule, this.enc, { point, vars, item });
  constructor(
    readonly prefix: string,
    readonly taskId: string,
    readonly ctx: TemplateContext,
    readonly limits: Limits,
    private readonly rules: readonly CompiledRule[],
    withSources: boolean,
  ) {
    this.sources = withSources ? [] : undefined;
  }

  /** Sets what the shared emitters report on. */
  reportFor(rule: CompiledRule, enc?: EncounterFact, point = ''): void {
    this.rule = rule;
    if (enc) this.enc = enc;
    this.point = point;
  }

  /** The rule's step meter for this request (one budget shared by all its calls). */
  meter(rule: CompiledRule): StepMeter {
    const meters = (this.meters ??= new Map<number, StepMeter>());
    let m = meters.get(rule.index);
    if (!m) meters.set(rule.index, (m = stepMeter(this.limits.conditionBudget)));
    return m;
  }

  fail(rule: CompiledRule, e: unknown): void {
    if (e instanceof LogicBudgetError) (this.spent ??= new Set()).add(rule);
    if (this.errors.some((x) => x.rule_id === rule.id)) return;
    this.errors.push({ rule_id: rule.id, rule_name: rule.name, message: e instanceof Error ? e.message : String(e) });
  }

  /** Whether one more finding of the rule fits; counts it as dropped when not. */
  private admit(rule: CompiledRule): boolean {
    let kept = this.kept;
    if (!kept) {
      // While fewer findings than the cap exist in all, no rule can be at its cap: count per rule
      // only from the moment the total reaches it (most requests never do; batch audits have no cap).
      if (this.result.length < this.limits.maxFindingsPerRule) return true;
      kept = this.kept = new Uint32Array(this.rules.length);
      for (const f of this.result) kept[this.rules.findIndex((r) => r.id === f.rule_id)]++;
    }
    if (kept[rule.index] < this.limits.maxFindingsPerRule) {
      kept[rule.index]++;
      return true;
    }
    const dropped = (this.dropped ??= new Map<number, TruncatedRule>());
    let t = dropped.get(rule.index);
    if (!t) {
      dropped.set(rule.index, (t = { rule_id: rule.id, rule_name: rule.name, kept: kept[rule.index], dropped: 0 }));
      this.truncated.push(t);
    }
    t.dropped++;
    return false;
  }

  emit(rule: CompiledRule, pointName: string, offending: OrderFact, involved: readonly OrderFact[], vars: Vars, from = 0, to = involved.length): void {
    // History orders count towards limits but are never the offending order.
    if (!offending.current) return;
    if (!this.admit(rule)) return;
    const jr = `${this.prefix}${++this.seq}`;
    const patnId = offending.enc.patient.dto.patn_id;
    const od = offending.dto;
    const details: JudgeResultDetailDto[] = [
      {
        jrd_id: `${jr}-1`,
        patn_id: patnId,
        mdtrt_id: offending.enc.dto.mdtrt_id,
        rx_id: od.rx_id,
        vola_item_type: '1',
        vola_amt: offending.amount,
      },
    ];
    const listed = Math.min(to, from + this.limits.maxInvolved);
    for (let i = from; i < listed; i++) {
      const o = involved[i];
      details.push({ jrd_id: `${jr}-${details.length + 1}`, patn_id: patnId, mdtrt_id: o.enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2', vola_amt: 0 });
    }
    const item = od.hilist_name ?? od.hosplist_name ?? offending.code;
    const base: Vars = { point: pointName, item, code: offending.code, rule_name: rule.name, patn_id: patnId, mdtrt_id: offending.enc.dto.mdtrt_id, rx_id: od.rx_id };
    this.result.push({
      jr_id: jr,
      rule_id: rule.id,
      rule_name: rule.name,
      vola_cont: renderMessage(rule.message, vars, base),
      patn_id: patnId,
      mdtrt_id: offending.enc.dto.mdtrt_id,
      vola_amt: offending.amount,
      vola_amt_stas: offending.amountKnown ? '1' : '0',
      sev_deg: findingSev(vars, rule.sevDeg),
      vola_evid: `知识点：${pointName}；医保编码：${offending.code}；项目：${item}${vars.limit !== undefined ? `；限定：${vars.limit}` : ''}${vars.actual !== undefined ? `；实际：${vars.actual}` : ''}${omittedNote(to - listed)}`,
      vola_bhvr_type: rule.category,
      task_id: this.taskId,
      judge_result_detail_dtos: details,
    });
    this.sources?.push({ order: od, encounter: offending.enc.dto, patient: offending.enc.patient.dto });
  }

  /**
   * A finding about the encounter as a whole: an encounter condition, or an encounter template's
   * finding without an offending order (`about`: its point, message values and the item judged,
   * e.g. a diagnosis code).
   */
  emitEncounter(rule: CompiledRule, enc: EncounterFact, about?: { point: string; vars: Vars; item: string }): void {
    if (!this.admit(rule)) return;
    const jr = `${this.prefix}${++this.seq}`;
    const patnId = enc.patient.dto.patn_id;
    const amount = enc.dto.medfee_sumamt;
    const details: JudgeResultDetailDto[] = [];
    let omitted = 0;
    for (const o of enc.orders) {
      if (!o.current) continue;
      if (details.length >= this.limits.maxInvolved) {
        omitted++;
        continue;
      }
      details.push({ jrd_id: `${jr}-${details.length + 1}`, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id, rx_id: o.dto.rx_id, vola_item_type: '2', vola_amt: 0 });
    }
    const vars: Vars = { rule_name: rule.name, patn_id: patnId, mdtrt_id: enc.dto.mdtrt_id };
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
      jr_id: jr,
      rule_id: rule.id,
      rule_name: rule.name,
      vola_cont: renderMessage(rule.message, about?.vars ?? vars, vars),
      patn_id: patnId,
      mdtrt_id: enc.dto.mdtrt_id,
      vola_amt: amount ?? 0,
      vola_amt_stas: amount === undefined ? '0' : '1',
      sev_deg: rule.sevDeg,
      vola_evid: `${evid}${omittedNote(omitted)}`,
      vola_bhvr_type: rule.category,
      task_id: this.taskId,
      judge_result_detail_dtos: details,
    });
    this.sources?.push({ order: undefined, encounter: enc.dto, patient: enc.patient.dto });
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
    if (rule.condition!(conditionData(patient, order.enc, order, row, rule.params, run.ctx), env, run.meter(rule))) {
      run.emit(rule, point >= 0 ? rule.points[point].name : (order.dto.hilist_name ?? order.code), order, [], {});
    }
  } catch (e) {
    run.fail(rule, e);
  }
}

/**
 * A medins_lv outside the national table is never guessed at (the level rules do not fire on
 * it), but the caller is told, once per request, when an active rule needed it.
 */
function warnUnknownLevel(run: Run, rules: CompiledRule[], patient: PatientFact, p: number): void {
  if (run.levelWarned) return;
  // The entries as sent, so the path names the entry that holds the value.
  const encs = patient.dto.fsi_encounter_dtos ?? [];
  for (let e = 0; e < encs.length; e++) {
    const lv = encs[e].medins_lv;
    if (lv === undefined || tierOf(lv) !== undefined) continue;
    run.levelWarned = true;
    run.warnings.push({
      field: `patient_dtos[${p}].fsi_encounter_dtos[${e}].medins_lv`,
      message: `医疗机构等级 ${JSON.stringify(lv)} 不在国家等级代码表（01–14）中，${rules.map((r) => r.name).join('、')}未判断`,
    });
    return;
  }
}

function evaluatePatient(run: Run, rb: CompiledRulebook, sel: Selection, patient: PatientFact, p: number): void {
  const mask = sel.mask;
  // Only a request that runs a level rule is told about a level it cannot read.
  if (sel.levelRules.length > 0) warnUnknownLevel(run, sel.levelRules, patient, p);
  const { index, orderRules, encounterRules, encounterTemplateRules } = rb.compiled;
  let buckets: Map<number, Bucket> | undefined;
  for (const order of patient.orders) {
    const hits = index.get(order.code);
    if (hits) {
      for (let h = 0; h < hits.length; h++) {
        const hit = hits[h];
        const rule = hit.rule;
        if (mask[rule.index] === 0) continue;
        // The point judges only orders given while it is in force (see CodeHit).
        if (order.beginMs < hit.fromMs || order.beginMs >= hit.toMs) continue;
        if (rule.template?.checkGroup) {
          // Dated versions of one point (a revision) share one group (CompiledRule.groupOf).
          const group = rule.groupOf ? rule.groupOf[hit.point] : hit.point;
          const key = rule.index * 1_048_576 + group;
          buckets ??= new Map();
          let b = buckets.get(key);
          if (!b) buckets.set(key, (b = { rule, point: group, entries: [] }));
          b.entries.push(group === hit.point ? { order, role: hit.role } : { order, role: hit.role, version: rule.points[hit.point] });
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
        run.reportFor(rule, undefined, point.name);
        rule.template!.checkGroup!(b.entries, point, rule.params, run.ctx, run.emitGroup);
      } catch (e) {
        run.fail(rule, e);
      }
    }
  }
  for (const rule of encounterTemplateRules) {
    if (mask[rule.index] === 0) continue;
    const view = rule.encounterView!;
    for (const enc of patient.encounters) {
      // As for encounter conditions: an encounter with only history orders is context, not judged.
      if (enc.orders.length > 0 && enc.currentOrders === 0) continue;
      try {
        run.reportFor(rule, enc);
        rule.template!.checkEncounter!(enc, view, run.ctx, run.emitPoint, run.emitVisit);
      } catch (e) {
        run.fail(rule, e);
      }
    }
  }
  for (const rule of encounterRules) {
    if (mask[rule.index] === 0) continue;
    for (const enc of patient.encounters) {
      // An encounter is judged when it has something current to judge (or no orders at all).
      if (enc.orders.length > 0 && enc.currentOrders === 0) continue;
      try {
        const env: ConditionEnv = { patient, encounter: enc, nowMs: run.ctx.nowMs };
        if (rule.condition!(conditionData(patient, enc, undefined, undefined, rule.params, run.ctx), env, run.meter(rule))) run.emitEncounter(rule, enc);
      } catch (e) {
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
export function evaluate(rb: CompiledRulebook, data: CheckData, options: EvaluateOptions): EvaluationResult {
  const nowMs = toWallClock(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`options.now is not a date: ${String(options.now)}`);
  let sel: Selection;
  if (options.scenes === undefined && options.phase === undefined && options.ruleIds === undefined && (data.rule_ids === undefined || data.rule_ids === '')) {
    sel = selectByScene(rb, data.trig_scen);
  } else {
    const scenes = options.scenes ?? splitList(data.trig_scen);
    sel = select(rb, scenes, options.phase ?? phaseOfScenes(scenes), options.ruleIds ?? splitList(data.rule_ids));
  }
  const taskId = data.task_id ?? '';
  const limits: Limits = {
    maxInvolved: limitOption(options.maxInvolved, 'maxInvolved', 0, DEFAULT_MAX_INVOLVED),
    maxFindingsPerRule: limitOption(options.maxFindingsPerRule, 'maxFindingsPerRule', 1, DEFAULT_MAX_FINDINGS_PER_RULE),
    conditionBudget: limitOption(options.conditionBudget, 'conditionBudget', 1, DEFAULT_CONDITION_BUDGET),
  };
  const run = new Run(options.idPrefix ?? (taskId ? `${taskId}-` : 'JR-'), taskId, { nowMs }, limits, rb.compiled.rules, options.withSources === true);
  const patients = data.patient_dtos;
  for (let p = 0; p < patients.length; p++) evaluatePatient(run, rb, sel, patientFacts(patients[p], nowMs), p);
  const considered = sel.considered;
  let result = run.result;
  let sources = run.sources;
  if (run.spent) {
    const spent = new Set([...run.spent].map((r) => r.id));
    const keep = (f: ResultDto) => !spent.has(f.rule_id);
    if (sources) sources = sources.filter((_s, i) => keep(result[i]));
    result = result.filter(keep);
  }
  const out: EvaluationResult = { result, errors: run.errors, truncated: run.truncated, warnings: run.warnings, rules_considered: considered };
  if (sources) out.sources = sources;
  return out;
}
