/**
 * Shadow run: replays the stored checks of a period under a candidate rulebook and under the
 * active one, and reports what would change, by rule: findings that would appear, findings that
 * would vanish, and their amounts. Both sides are evaluated now, on the same stored (de-identified)
 * requests and at each check's own time, so the difference is the rulebooks' alone.
 *
 * A run replays thousands of checks on the service's one event loop, so it works in slices: after
 * {@link SHADOW_SLICE_MS} of work it yields (setImmediate), and doctors' checks that arrived
 * meanwhile are answered before it goes on. The run takes a little longer; nobody waits for it.
 */
import type { Knex } from 'knex';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  attributionOf,
  evaluate,
  normalizeCheckData,
  type CheckData,
  type CompiledRulebook,
  type EvaluateOptions,
  type EvaluationResult,
  type FindingSource,
  type Phase,
  type ResultDto,
} from '@preaudit/core-rules';
import { countOrders, DEFAULT_CHECK_LIMITS, evaluateLimits, type CheckLimits } from '../checks/check-limits.js';

/** Longest stretch of replay work between two yields to the event loop, ms. */
const SHADOW_SLICE_MS = 20;

/** Which checks to replay. */
export interface ShadowOptions {
  /** Start of the period (ISO time, inclusive). Default: 30 days before `to`. */
  from?: string;
  /** End of the period (ISO time, exclusive). Default: now. */
  to?: string;
  /** At most this many checks (oldest first). Default 10,000. */
  limit?: number;
}

/** The difference for one rule. */
export interface ShadowRuleDiff {
  /** Rule id. */
  rule_id: string;
  /** Rule name. */
  rule_name: string;
  /** Findings under the active rulebook. */
  baseline: number;
  /** Findings under the candidate. */
  candidate: number;
  /** Findings only the candidate gives (新增违规). */
  new: number;
  /** Findings only the active one gives (消失违规). */
  vanished: number;
  /** Sum of vola_amt of the new findings. */
  new_amount: number;
  /** Sum of vola_amt of the vanished findings. */
  vanished_amount: number;
  /** Candidate amount minus baseline amount, over every finding of the rule. */
  amount_delta: number;
  /** A few checks showing the difference. */
  examples: string[];
}

/** The difference for one department (科室, as core-rules' attributionOf files the offending order). */
export interface ShadowDepartmentDiff {
  /** Department code; '' when the finding names none. */
  dept_codg: string;
  new: number;
  vanished: number;
  new_amount: number;
  vanished_amount: number;
}

/**
 * One side of a shadow run: a compiled rulebook, or an evaluation function (the hospital's layer
 * evaluates a rulebook with its overrides and exemptions; findings it suppresses are not shown).
 */
export interface ShadowSide {
  ref: string;
  compiled?: CompiledRulebook;
  evaluate?: (data: CheckData, options: EvaluateOptions) => EvaluationResult;
}

/** What a shadow run found. */
export interface ShadowReport {
  /** id@version replayed. */
  candidate: string;
  /** id@version it is compared with (the active one). */
  baseline: string;
  /** The period. */
  period: { from: string; to: string };
  /** Checks replayed. */
  checks: number;
  /** Checks whose findings differ. */
  checks_changed: number;
  /** Checks without a stored request, or whose request no longer reads. */
  skipped: number;
  /** True when the limit cut the period short. */
  truncated: boolean;
  /** Totals over every rule. */
  totals: { new: number; vanished: number; new_amount: number; vanished_amount: number };
  /** By rule, most changed first. */
  by_rule: ShadowRuleDiff[];
  /** By department, most changed first. */
  by_department: ShadowDepartmentDiff[];
}

/** Identity of a finding across two evaluations: rule, patient, encounter, offending orders. */
function findingKey(r: ResultDto): string {
  const rx = r.judge_result_detail_dtos
    .filter((d) => d.vola_item_type === '1')
    .map((d) => d.rx_id)
    .sort()
    .join(',');
  return `${r.rule_id}|${r.patn_id}|${r.mdtrt_id}|${rx}`;
}

const amount = (r: ResultDto) => (typeof r.vola_amt === 'number' && Number.isFinite(r.vola_amt) ? r.vola_amt : 0);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Replays stored checks under `candidate` and `baseline`, within the service's check limits
 * (`limits`, default DEFAULT_CHECK_LIMITS): a stored request over the order cap is skipped, and
 * both sides are evaluated with the same caps a live check gets.
 */
export async function shadowRun(db: Knex, candidate: ShadowSide, baseline: ShadowSide, options: ShadowOptions & { now: Date; limits?: CheckLimits }): Promise<ShadowReport> {
  const limits = options.limits ?? DEFAULT_CHECK_LIMITS;
  const to = options.to ?? options.now.toISOString();
  // An explicit end is exclusive; the default end (now) includes a check made this very moment.
  const toOp = options.to === undefined ? '<=' : '<';
  const from = options.from ?? new Date(new Date(to).getTime() - 30 * 86_400_000).toISOString();
  const limit = Math.max(1, Math.min(options.limit ?? 10_000, 100_000));
  const rules = new Map<string, ShadowRuleDiff>();
  const ruleOf = (r: ResultDto) => {
    let d = rules.get(r.rule_id);
    if (!d) {
      d = { rule_id: r.rule_id, rule_name: r.rule_name, baseline: 0, candidate: 0, new: 0, vanished: 0, new_amount: 0, vanished_amount: 0, amount_delta: 0, examples: [] };
      rules.set(r.rule_id, d);
    }
    return d;
  };
  const report: ShadowReport = {
    candidate: candidate.ref,
    baseline: baseline.ref,
    period: { from, to },
    checks: 0,
    checks_changed: 0,
    skipped: 0,
    truncated: false,
    totals: { new: 0, vanished: 0, new_amount: 0, vanished_amount: 0 },
    by_rule: [],
    by_department: [],
  };
  const departments = new Map<string, ShadowDepartmentDiff>();
  const deptOf = (source: FindingSource | undefined) => {
    const code = source ? (attributionOf(source.order, source.encounter).dept_codg ?? '') : '';
    let d = departments.get(code);
    if (!d) departments.set(code, (d = { dept_codg: code, new: 0, vanished: 0, new_amount: 0, vanished_amount: 0 }));
    return d;
  };
  const run = (side: ShadowSide, data: CheckData, opts: EvaluateOptions): EvaluationResult => (side.evaluate ? side.evaluate(data, opts) : evaluate(side.compiled!, data, opts));
  const page = 100;
  let lastId = 0;
  let sliceStart = performance.now();
  for (;;) {
    const rows = (await db('checks')
      .select('id', 'check_id', 'time', 'phase', 'request')
      .where('time', '>=', from)
      .andWhere('time', toOp, to)
      .andWhere('id', '>', lastId)
      .orderBy('id', 'asc')
      .limit(page)) as Array<{ id: number; check_id: string; time: string; phase: string | null; request: string | null }>;
    for (const row of rows) {
      if (performance.now() - sliceStart >= SHADOW_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      lastId = row.id;
      if (report.checks >= limit) {
        report.truncated = true;
        break;
      }
      if (!row.request) {
        report.skipped++;
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.request);
      } catch {
        report.skipped++;
        continue;
      }
      const norm = normalizeCheckData(parsed);
      if (!norm.ok || countOrders(norm.value) > limits.maxOrders) {
        report.skipped++;
        continue;
      }
      const opts = { now: new Date(row.time), ...evaluateLimits(limits), ...(row.phase ? { phase: row.phase as Phase } : {}), withSources: true };
      let before: ResultDto[];
      let after: ResultDto[];
      let beforeSources: FindingSource[] | undefined;
      let afterSources: FindingSource[] | undefined;
      try {
        const b = run(baseline, norm.value, { ...opts, idPrefix: 'b-' });
        const c = run(candidate, norm.value, { ...opts, idPrefix: 'c-' });
        before = b.result;
        after = c.result;
        beforeSources = b.sources;
        afterSources = c.sources;
      } catch {
        report.skipped++;
        continue;
      }
      report.checks++;
      const beforeKeys = new Map(before.map((r) => [findingKey(r), r]));
      const afterKeys = new Map(after.map((r) => [findingKey(r), r]));
      let changed = false;
      for (let i = 0; i < before.length; i++) {
        const r = before[i];
        const d = ruleOf(r);
        d.baseline++;
        d.amount_delta -= amount(r);
        if (!afterKeys.has(findingKey(r))) {
          d.vanished++;
          d.vanished_amount += amount(r);
          const dep = deptOf(beforeSources?.[i]);
          dep.vanished++;
          dep.vanished_amount += amount(r);
          changed = true;
          if (d.examples.length < 5 && !d.examples.includes(row.check_id)) d.examples.push(row.check_id);
        }
      }
      for (let i = 0; i < after.length; i++) {
        const r = after[i];
        const d = ruleOf(r);
        d.candidate++;
        d.amount_delta += amount(r);
        const old = beforeKeys.get(findingKey(r));
        if (!old) {
          d.new++;
          d.new_amount += amount(r);
          const dep = deptOf(afterSources?.[i]);
          dep.new++;
          dep.new_amount += amount(r);
          changed = true;
          if (d.examples.length < 5 && !d.examples.includes(row.check_id)) d.examples.push(row.check_id);
        } else if (amount(old) !== amount(r)) changed = true;
      }
      if (changed) report.checks_changed++;
    }
    if (report.truncated || rows.length < page) break;
  }
  for (const d of rules.values()) {
    d.new_amount = round(d.new_amount);
    d.vanished_amount = round(d.vanished_amount);
    d.amount_delta = round(d.amount_delta);
    report.totals.new += d.new;
    report.totals.vanished += d.vanished;
    report.totals.new_amount += d.new_amount;
    report.totals.vanished_amount += d.vanished_amount;
  }
  report.totals.new_amount = round(report.totals.new_amount);
  report.totals.vanished_amount = round(report.totals.vanished_amount);
  for (const d of departments.values()) {
    d.new_amount = round(d.new_amount);
    d.vanished_amount = round(d.vanished_amount);
  }
  report.by_department = [...departments.values()].sort((a, b) => b.new + b.vanished - (a.new + a.vanished) || (a.dept_codg < b.dept_codg ? -1 : 1));
  report.by_rule = [...rules.values()].sort((a, b) => b.new + b.vanished - (a.new + a.vanished) || (a.rule_id < b.rule_id ? -1 : 1));
  return report;
}
