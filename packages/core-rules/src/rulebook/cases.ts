import type { RuleCase } from './types.js';
import type { CompiledRulebook } from '../evaluate/code-index.js';
import { evaluate, type EvaluateOptions } from '../evaluate/evaluate.js';
import type { CheckData } from '../model/request.js';
import type { EvaluationResult } from '../model/result.js';
import { normalizeCheckData } from '../model/normalize.js';

/** Outcome of running test cases. */
export interface CaseReport {
  passed: number;
  failed: number;
  failures: Array<{ name: string; message: string }>;
}

/** The case's evaluation time when it gives none: its latest order or admission date. */
export function latestDate(c: RuleCase): string | undefined {
  let latest: string | undefined;
  for (const p of c.request.patient_dtos ?? []) {
    for (const e of p.fsi_encounter_dtos ?? []) {
      for (const d of [e.adm_date, ...(e.fsi_order_dtos ?? []).map((o) => o.drord_begn_date)]) {
        if (d && (!latest || d > latest)) latest = d;
      }
    }
  }
  return latest;
}

/** The evaluation of a case (default: `evaluate` on the rulebook; a layer judges what it shows). */
export type CaseEvaluator = (data: CheckData, options: EvaluateOptions) => EvaluationResult;

/** Judges one case; returns what is wrong, or undefined when it passes. */
export function judgeCase(rb: CompiledRulebook, c: RuleCase, evaluator?: CaseEvaluator): string | undefined {
  const norm = normalizeCheckData(c.request);
  if (c.expect_bad_input !== undefined) {
    if (norm.ok) return `expected bad input naming ${c.expect_bad_input.join(', ')}, but the request was accepted`;
    const named = new Set(norm.errors.map((e) => e.field));
    const missing = c.expect_bad_input.filter((f) => !named.has(f));
    return missing.length > 0 ? `bad input did not name ${missing.join(', ')} (named: ${[...named].join(', ')})` : undefined;
  }
  if (!norm.ok) return `bad request: ${norm.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
  const now = c.now ?? latestDate(c) ?? rb.effective_from;
  const out = (evaluator ?? ((d, o) => evaluate(rb, d, o)))(norm.value, { now, idPrefix: 'CASE-' });
  if (out.errors.length > 0) return `rule errors: ${out.errors.map((e) => `${e.rule_id}: ${e.message}`).join('; ')}`;
  const problems: string[] = [];
  const warned = new Set(out.warnings.map((w) => w.field));
  for (const f of c.expect_warnings ?? []) if (!warned.has(f)) problems.push(`expected a warning naming ${f}, not found`);
  if (c.exact || c.expect_warnings) {
    const wanted = new Set(c.expect_warnings ?? []);
    for (const w of out.warnings) if (!wanted.has(w.field)) problems.push(`unexpected warning on ${w.field}: ${w.message}`);
  }
  const offending = (f: (typeof out.result)[number]) => f.judge_result_detail_dtos.find((d) => d.vola_item_type === '1')?.rx_id;
  const matched = new Set<number>();
  for (const exp of c.expect ?? []) {
    const i = out.result.findIndex((f, k) => !matched.has(k) && f.rule_id === exp.rule_id && (exp.rx_id === undefined || offending(f) === exp.rx_id));
    if (i < 0) {
      problems.push(`expected ${exp.rule_id}${exp.rx_id ? ` on ${exp.rx_id}` : ''}, not found`);
      continue;
    }
    matched.add(i);
    if (exp.sev_deg !== undefined && out.result[i].sev_deg !== exp.sev_deg)
      problems.push(`${exp.rule_id} on ${exp.rx_id ?? '?'}: sev_deg ${out.result[i].sev_deg}, expected ${exp.sev_deg}`);
    if (exp.involved) {
      const got = out.result[i].judge_result_detail_dtos
        .filter((d) => d.vola_item_type === '2')
        .map((d) => d.rx_id)
        .sort();
      const want = [...exp.involved].sort();
      if (got.join(',') !== want.join(',')) problems.push(`${exp.rule_id} on ${exp.rx_id ?? '?'}: involved ${got.join(',') || '(none)'}, expected ${want.join(',')}`);
    }
  }
  for (const no of c.expect_not ?? []) {
    const hit = out.result.find((f) => f.rule_id === no.rule_id && (no.rx_id === undefined || offending(f) === no.rx_id));
    if (hit) problems.push(`unexpected ${no.rule_id}${no.rx_id ? ` on ${no.rx_id}` : ''}: ${hit.vola_cont}`);
  }
  if (c.exact) {
    out.result.forEach((f, k) => {
      if (!matched.has(k)) problems.push(`unexpected ${f.rule_id} on ${offending(f) ?? '?'}: ${f.vola_cont}`);
    });
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Runs test cases (default: the rulebook's own) and reports each failure by case name. */
export function runCases(rb: CompiledRulebook, cases: RuleCase[] = rb.cases): CaseReport {
  const report: CaseReport = { passed: 0, failed: 0, failures: [] };
  for (const c of cases) {
    const message = judgeCase(rb, c);
    if (message === undefined) report.passed++;
    else {
      report.failed++;
      report.failures.push({ name: c.name, message });
    }
  }
  return report;
}
