import type { CompiledRulebook } from '../evaluate/code-index.js';
import { evaluate } from '../evaluate/evaluate.js';
import { judgeCase, latestDate } from '../rulebook/cases.js';
import type { RuleCase } from '../rulebook/types.js';
import { parseDateTime } from '../model/dates.js';
import { evaluateWithLayer } from './apply.js';
import type { CompiledLayer, LayerCaseReport, NationalCaseOutcome } from './types.js';

/**
 * When to take the overrides for a national case: its own time when an override of its rules is
 * in force then, else the start of the earliest such override (a case dated before the layer
 * still shows what the override changes; knowledge dates are judged on the case's orders).
 */
function overrideTime(layer: CompiledLayer, ruleIds: readonly string[], now: string): string | number {
  const nowMs = parseDateTime(now);
  let earliest = Number.POSITIVE_INFINITY;
  for (const o of layer.file.overrides ?? []) {
    if (!ruleIds.includes(o.rule_id)) continue;
    const from = o.from ? parseDateTime(o.from) : Number.NEGATIVE_INFINITY;
    const to = o.to ? parseDateTime(o.to) : Number.POSITIVE_INFINITY;
    if (from <= nowMs && nowMs < to) return now;
    earliest = Math.min(earliest, from);
  }
  return Number.isFinite(earliest) ? earliest : now;
}

const caseNow = (rb: CompiledRulebook, c: RuleCase): string => c.now ?? latestDate(c) ?? rb.effective_from;

/**
 * Runs the layer's own cases (on the findings shown after exemptions, everything at the case's
 * time) and the national cases (base.cases) that name an overridden rule, judged on the layered
 * rulebook with the overrides in force at `at` (default: the case's own time when an override of its
 * rules is in force then, else the earliest such override's start), exemptions not
 * applied. A national case of a switched-off or re-tuned rule is expected to fail: the report
 * shows what the override changes.
 */
export function runLayerCases(base: CompiledRulebook, layer: CompiledLayer, at?: string | number | Date): LayerCaseReport {
  const report: LayerCaseReport = { layer: { passed: 0, failed: 0, failures: [] }, national: { passed: 0, failed: 0, failures: [], cases: [] } };
  for (const c of layer.file.cases ?? []) {
    const rb = layer.rulebookAt(caseNow(base, c));
    const message = judgeCase(rb, c, (data, options) => evaluateWithLayer(layer, data, options));
    if (message === undefined) report.layer.passed++;
    else {
      report.layer.failed++;
      report.layer.failures.push({ name: c.name, message });
    }
  }
  const overridden = new Set((layer.file.overrides ?? []).map((o) => o.rule_id));
  if (overridden.size === 0) return report;
  for (const c of base.cases) {
    const named = [...new Set([...(c.expect ?? []), ...(c.expect_not ?? [])].map((e) => e.rule_id))].filter((id) => overridden.has(id));
    if (named.length === 0) continue;
    const rb = layer.rulebookAt(at ?? overrideTime(layer, named, caseNow(base, c)));
    const message = judgeCase(rb, c, (data, options) => evaluate(rb, data, options));
    const outcome: NationalCaseOutcome = { name: c.name, rule_ids: named, passed: message === undefined };
    if (message !== undefined) {
      outcome.message = message;
      report.national.failed++;
      report.national.failures.push({ name: c.name, message });
    } else report.national.passed++;
    report.national.cases.push(outcome);
  }
  return report;
}
