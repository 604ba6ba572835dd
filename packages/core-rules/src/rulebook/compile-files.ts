import { Ajv, type ErrorObject } from 'ajv';
import schema from './rulebook.schema.json' with { type: 'json' };
import type { RuleCase, RulebookFiles, RulebookManifest, RulebookProblem } from './types.js';
import { parseKnowledgeTable } from '../knowledge/table.js';
import type { KnowledgeTable } from '../knowledge/types.js';
import { normalizeCheckData } from '../model/normalize.js';
import { compileRuleDefs, type CompiledRule } from './compile-rules.js';

/** A rulebook that passed validation, its rules compiled: manifest, tables, rules and test cases (next step: indexRulebook). */
export interface CompiledRules {
  manifest: RulebookManifest;
  tables: ReadonlyMap<string, KnowledgeTable>;
  rules: CompiledRule[];
  cases: RuleCase[];
  files: RulebookFiles;
}

/** Outcome of compiling: the compiled rules, or every problem found (never an exception). */
export type CompileResult = { ok: true; rulebook: CompiledRules } | { ok: false; problems: RulebookProblem[] };

let validateManifest: ReturnType<Ajv['compile']> | undefined;

/** The JSON Schema of rulebook.json. */
export const RULEBOOK_SCHEMA: object = schema;

function schemaProblems(manifest: unknown, errors: ErrorObject[]): RulebookProblem[] {
  const rules = (manifest as { rules?: Array<{ id?: unknown }> }).rules;
  const out: RulebookProblem[] = [];
  for (const e of errors) {
    // oneOf reports each branch's failure too; its own summary below is clearer.
    if (e.keyword === 'not' || e.keyword === 'if' || e.schemaPath.includes('/oneOf/')) continue;
    const segs = e.instancePath.split('/').slice(1);
    let field = '';
    for (const s of segs) field += /^\d+$/.test(s) ? `[${s}]` : field ? `.${s}` : s;
    if (e.keyword === 'additionalProperties') field += `${field ? '.' : ''}${(e.params as { additionalProperty: string }).additionalProperty}`;
    if (e.keyword === 'required') field += `${field ? '.' : ''}${(e.params as { missingProperty: string }).missingProperty}`;
    const ruleIdx = segs[0] === 'rules' && segs[1] !== undefined ? Number(segs[1]) : -1;
    const ruleId = ruleIdx >= 0 && typeof rules?.[ruleIdx]?.id === 'string' ? rules[ruleIdx].id : undefined;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'oneOf') message = 'a rule needs either template + knowledge, or condition (not both)';
    if (e.keyword === 'enum') message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'additionalProperties') message = 'is not a known field';
    if (e.keyword === 'required') message = 'is required';
    if (!out.some((p) => p.field === field)) out.push({ rule_id: ruleId, field: field || '(rulebook)', message });
  }
  return out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function loadCases(files: RulebookFiles, problems: RulebookProblem[]): RuleCase[] {
  const cases: RuleCase[] = [];
  for (const path of Object.keys(files.files).sort()) {
    if (!path.startsWith('cases/') || !path.endsWith('.json')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(files.files[path]);
    } catch (e) {
      problems.push({ field: path, message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    if (!Array.isArray(parsed)) {
      problems.push({ field: path, message: 'must hold a JSON array of cases' });
      continue;
    }
    parsed.forEach((c: unknown, i: number) => {
      const at = `${path}[${i}]`;
      const rc = c as RuleCase;
      if (typeof c !== 'object' || c === null || typeof rc.name !== 'string') {
        problems.push({ field: `${at}.name`, message: 'a case needs a name' });
        return;
      }
      for (const key of ['expect_bad_input', 'expect_warnings'] as const) {
        const list = rc[key];
        if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
          problems.push({ field: `${at}.${key}`, message: 'must be an array of field paths' });
        }
      }
      // A bad-input case keeps its request as written: judging it is seeing normalisation refuse it.
      if (rc.expect_bad_input !== undefined) {
        cases.push(rc);
        return;
      }
      const norm = normalizeCheckData(rc.request);
      if (!norm.ok) {
        for (const e of norm.errors) problems.push({ field: `${at}.request.${e.field}`, message: e.message });
        return;
      }
      for (const key of ['expect', 'expect_not'] as const) {
        const list = rc[key];
        if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x?.rule_id !== 'string'))) {
          problems.push({ field: `${at}.${key}`, message: 'must be an array of { rule_id, rx_id? }' });
        }
      }
      cases.push({ ...rc, request: norm.value });
    });
  }
  return cases;
}

/**
 * Compiles a rulebook given as data (its files' text, no I/O): validates the manifest against
 * the JSON Schema, parses every knowledge table, compiles every rule's template params and
 * knowledge rows into points, its condition and message placeholders, and reads the test cases.
 * Reports every problem with the rule id and the field; never throws. Then `indexRulebook`.
 */
export function compileRulebookFiles(files: RulebookFiles): CompileResult {
  const problems: RulebookProblem[] = [];
  let manifest: unknown = files.manifest;
  if (typeof manifest === 'string') {
    try {
      manifest = JSON.parse(manifest);
    } catch (e) {
      return { ok: false, problems: [{ field: 'rulebook.json', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  validateManifest ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validateManifest(manifest)) {
    return { ok: false, problems: schemaProblems(manifest, validateManifest.errors ?? []) };
  }
  const m = manifest as RulebookManifest;
  const tables = new Map<string, KnowledgeTable>();
  for (const [id, ref] of Object.entries(m.knowledge ?? {})) {
    const text = files.files[ref.file];
    if (text === undefined) {
      problems.push({ field: `knowledge.${id}.file`, message: `${ref.file} is not in the rulebook folder` });
      continue;
    }
    const table = parseKnowledgeTable(id, ref.file, text, problems);
    if (table) tables.set(id, table);
  }
  const seen = new Set<string>();
  m.rules.forEach((r, i) => {
    if (seen.has(r.id)) problems.push({ rule_id: r.id, field: `rules[${i}].id`, message: 'duplicate rule id' });
    seen.add(r.id);
  });
  if (m.effective_to && m.effective_to <= m.effective_from) {
    problems.push({ field: 'effective_to', message: 'must be later than effective_from' });
  }
  const rules = compileRuleDefs(m.rules, tables, problems);
  const cases = loadCases(files, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rulebook: { manifest: m, tables, rules, cases, files } };
}
