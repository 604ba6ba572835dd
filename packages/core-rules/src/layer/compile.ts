import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import rulebookSchema from '../rulebook/rulebook.schema.json' with { type: 'json' };
import { indexRulebook, type CompiledRulebook } from '../evaluate/code-index.js';
import { compileRuleDefs, type CompiledRule } from '../rulebook/compile-rules.js';
import type { Phase, RuleCase, RuleDef, RulebookManifest, RulebookProblem } from '../rulebook/types.js';
import { parseKnowledgeTable } from '../knowledge/table.js';
import type { KnowledgeTable } from '../knowledge/types.js';
import { compileMessage } from '../evaluate/message.js';
import { normalizeCheckData } from '../model/normalize.js';
import { parseDateTime, toWallClock } from '../model/dates.js';
import { LAYER_FORMAT, type CompiledLayer, type Exemption, type LayerCompileResult, type LayerConflict, type LayerFile, type LayerProblem, type RuleOverride } from './types.js';
import { buildExemptionIndex } from './exemptions.js';

const PHASES: ReadonlySet<string> = new Set<Phase>(['事前', '事中', '事后']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^[0-9]+(\.[0-9]+)*$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$/;
/** Most variants (periods between override dates) kept compiled at once. */
const MAX_VARIANTS = 8;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a layer given as text or as parsed JSON; a problem when the text is not JSON. */
function parseLayer(layer: unknown, problems: LayerProblem[]): Record<string, unknown> | undefined {
  let v = layer;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (e) {
      problems.push({ field: '(layer)', message: `not valid JSON: ${(e as Error).message}` });
      return undefined;
    }
  }
  if (!isObject(v)) {
    problems.push({ field: '(layer)', message: 'must be a JSON object' });
    return undefined;
  }
  return v;
}

/** A date field (from/to): ms, the open bound when absent, undefined (with a problem) when bad. */
function readDate(v: unknown, field: string, open: number, problems: LayerProblem[]): number | undefined {
  if (v === undefined || v === null) return open;
  if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(parseDateTime(v))) {
    problems.push({ field, message: `must be a date yyyy-MM-dd[ HH:mm:ss], got ${JSON.stringify(v)}` });
    return undefined;
  }
  return parseDateTime(v);
}

/** from/to of an override or exemption, checked: [fromMs, toMs). */
function readPeriod(o: Record<string, unknown>, at: string, problems: LayerProblem[]): { fromMs: number; toMs: number } | undefined {
  const fromMs = readDate(o.from, `${at}.from`, Number.NEGATIVE_INFINITY, problems);
  const toMs = readDate(o.to, `${at}.to`, Number.POSITIVE_INFINITY, problems);
  if (fromMs === undefined || toMs === undefined) return undefined;
  if (toMs <= fromMs) {
    problems.push({ field: `${at}.to`, message: 'must be later than from' });
    return undefined;
  }
  return { fromMs, toMs };
}

function requireText(o: Record<string, unknown>, key: string, at: string, problems: LayerProblem[]): void {
  if (typeof o[key] !== 'string' || o[key].trim() === '') problems.push({ field: `${at}.${key}`, message: 'is required (non-empty text)' });
}

function checkKeys(o: Record<string, unknown>, allowed: readonly string[], at: string, problems: LayerProblem[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push({ field: `${at}.${k}`, message: 'is not a known field' });
}

let validateRules: ValidateFunction | undefined;

/** Local rules against the rulebook JSON Schema (a manifest holding only them), paths as rules[i].field. */
function schemaCheckRules(rules: unknown, problems: LayerProblem[]): boolean {
  validateRules ??= new Ajv({ allErrors: true, strict: false }).compile(rulebookSchema);
  const manifest = { id: 'layer', version: '1', issuer: 'layer', effective_from: '2000-01-01', rules };
  if (validateRules(manifest)) return true;
  const seen = new Set<string>();
  for (const e of validateRules.errors ?? ([] as ErrorObject[])) {
    if (e.keyword === 'not' || e.keyword === 'if' || e.schemaPath.includes('/oneOf/')) continue;
    let field = '';
    for (const s of e.instancePath.split('/').slice(1)) field += /^\d+$/.test(s) ? `[${s}]` : field ? `.${s}` : s;
    if (e.keyword === 'additionalProperties') field += `.${(e.params as { additionalProperty: string }).additionalProperty}`;
    if (e.keyword === 'required') field += `.${(e.params as { missingProperty: string }).missingProperty}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'oneOf') message = 'a rule needs either template + knowledge, or condition (not both)';
    if (e.keyword === 'enum') message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'additionalProperties') message = 'is not a known field';
    if (e.keyword === 'required') message = 'is required';
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push({ field: field || 'rules', message });
  }
  return false;
}

/** Engine problems of a layer's tables and rules, renamed to layer paths. */
function layerField(field: string, tableFiles: ReadonlyMap<string, string>): string {
  const m = /^knowledge\/(.+)\.json:(\d+)\.(.*)$/.exec(field);
  if (m && tableFiles.has(m[1])) return `knowledge.${m[1]}.rows[${m[2]}].${m[3]}`;
  return field;
}

/** An override, checked and ready: the rule it replaces, compiled (undefined when it switches the rule off). */
interface ReadyOverride {
  ov: RuleOverride;
  fromMs: number;
  toMs: number;
  /** The replacement rule (its index is set per variant); undefined = switched off. */
  rule: CompiledRule | undefined;
}

/** The params the override sets, checked against the base rule, as problems at overrides[i].params.*. */
function compileOverride(base: CompiledRule, ov: RuleOverride, at: string, tables: ReadonlyMap<string, KnowledgeTable>, problems: LayerProblem[]): CompiledRule | undefined {
  if (ov.enabled === false) return undefined;
  const def: RuleDef = { ...base.def };
  if (ov.sev_deg !== undefined) def.sev_deg = ov.sev_deg;
  if (ov.scenes !== undefined) def.scenes = ov.scenes;
  if (ov.phases !== undefined) def.phases = ov.phases;
  if (ov.message !== undefined) def.message = ov.message;
  if (ov.params !== undefined) {
    // Condition rules read whatever params they are given: only the base's own keys may change.
    if (!base.template) {
      for (const k of Object.keys(ov.params)) {
        if (!isObject(base.def.params) || !(k in base.def.params)) problems.push({ field: `${at}.params.${k}`, message: `rule ${base.id} has no parameter ${k}` });
      }
    }
    def.params = { ...(base.def.params ?? {}), ...ov.params };
  }
  def.enabled = true;
  if (ov.params === undefined) {
    // No parameter changes: the base's points, lookup and condition are reused as they are.
    const unknown: string[] = [];
    const message = ov.message !== undefined ? compileMessage(ov.message, unknown) : base.message;
    for (const u of unknown) problems.push({ field: `${at}.message`, message: `unknown placeholder {${u}}` });
    return {
      ...base,
      def,
      sevDeg: def.sev_deg,
      scenes: def.scenes && def.scenes.length > 0 ? new Set(def.scenes) : null,
      phases: def.phases && def.phases.length > 0 ? new Set(def.phases) : null,
      message,
      encounterView: undefined,
    };
  }
  const own: RulebookProblem[] = [];
  const [rule] = compileRuleDefs([def], tables, own);
  for (const p of own) {
    let field = p.field.startsWith('rules[0].') ? `${at}.${p.field.slice('rules[0].'.length)}` : `${at} (${p.field})`;
    let message = p.message;
    const param = /^overrides\[\d+\]\.params\.([A-Za-z0-9_]+)/.exec(field)?.[1];
    if (param && /is not a parameter/.test(message)) message = `rule ${base.id} has no parameter ${param}`;
    else if (param) message = `rule ${base.id}: ${message}`;
    else if (!field.startsWith(`${at}.`)) message = `rule ${base.id}: ${message}`;
    field = field.replace(/\s+$/, '');
    problems.push({ field, message });
  }
  return own.length === 0 ? rule : undefined;
}

/** Checks the overrides' own fields; the valid ones compiled against the base. */
function readOverrides(base: CompiledRulebook, list: unknown, tables: ReadonlyMap<string, KnowledgeTable>, problems: LayerProblem[]): ReadyOverride[] {
  const out: ReadyOverride[] = [];
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    problems.push({ field: 'overrides', message: 'must be an array' });
    return out;
  }
  const baseRules = new Map(base.compiled.rules.map((r) => [r.id, r]));
  const ids = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const at = `overrides[${i}]`;
    if (!isObject(raw)) {
      problems.push({ field: at, message: 'must be an object' });
      return;
    }
    const before = problems.length;
    checkKeys(raw, ['id', 'rule_id', 'enabled', 'sev_deg', 'scenes', 'phases', 'params', 'message', 'base_params', 'approver', 'reason', 'from', 'to'], at, problems);
    if (typeof raw.id !== 'string' || !ID.test(raw.id)) problems.push({ field: `${at}.id`, message: 'is required: letters, digits, . _ -' });
    else if (ids.has(raw.id)) problems.push({ field: `${at}.id`, message: `duplicate override id ${raw.id}` });
    else ids.add(raw.id);
    requireText(raw, 'approver', at, problems);
    requireText(raw, 'reason', at, problems);
    if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') problems.push({ field: `${at}.enabled`, message: 'must be true or false' });
    if (raw.sev_deg !== undefined && raw.sev_deg !== '1' && raw.sev_deg !== '2' && raw.sev_deg !== '3') problems.push({ field: `${at}.sev_deg`, message: 'must be "1", "2" or "3"' });
    if (raw.scenes !== undefined && (!Array.isArray(raw.scenes) || raw.scenes.some((s) => typeof s !== 'string' || !/^([1-9]|10)$/.test(s)))) {
      problems.push({ field: `${at}.scenes`, message: 'must be an array of trig_scen codes "1"–"10"' });
    }
    if (raw.phases !== undefined && (!Array.isArray(raw.phases) || raw.phases.some((p) => typeof p !== 'string' || !PHASES.has(p)))) {
      problems.push({ field: `${at}.phases`, message: 'must be an array of 事前, 事中, 事后' });
    }
    if (raw.params !== undefined && !isObject(raw.params)) problems.push({ field: `${at}.params`, message: 'must be an object' });
    if (raw.base_params !== undefined && !isObject(raw.base_params)) problems.push({ field: `${at}.base_params`, message: 'must be an object' });
    if (raw.message !== undefined && (typeof raw.message !== 'string' || raw.message.trim() === '')) problems.push({ field: `${at}.message`, message: 'must be non-empty text' });
    const changes = ['enabled', 'sev_deg', 'scenes', 'phases', 'params', 'message'].filter((k) => raw[k] !== undefined);
    if (changes.length === 0) problems.push({ field: at, message: 'changes nothing: give enabled, sev_deg, scenes, phases, params or message' });
    const period = readPeriod(raw, at, problems);
    if (typeof raw.rule_id !== 'string' || raw.rule_id === '') {
      problems.push({ field: `${at}.rule_id`, message: 'is required' });
      return;
    }
    const rule = baseRules.get(raw.rule_id);
    if (!rule) {
      problems.push({ field: `${at}.rule_id`, message: `rule ${raw.rule_id} is not in ${base.digest}` });
      return;
    }
    if (problems.length > before || !period) return;
    const ov = raw as unknown as RuleOverride;
    const at0 = problems.length;
    const compiled = compileOverride(rule, ov, at, tables, problems);
    if (problems.length > at0) return;
    out.push({ ov, fromMs: period.fromMs, toMs: period.toMs, rule: compiled });
  });
  // Two overrides of one rule in force at the same time would make the rule ambiguous.
  const byRule = new Map<string, ReadyOverride[]>();
  for (const r of out) {
    const l = byRule.get(r.ov.rule_id) ?? [];
    for (const o of l) {
      if (r.fromMs < o.toMs && o.fromMs < r.toMs) {
        problems.push({ field: `overrides[${list.indexOf(r.ov)}]`, message: `overlaps override ${o.ov.id} of rule ${r.ov.rule_id} in time (from/to)` });
      }
    }
    l.push(r);
    byRule.set(r.ov.rule_id, l);
  }
  return out;
}

/** Checks the exemptions' fields (scope, dates, cap). */
function readExemptions(list: unknown, ruleIds: ReadonlySet<string>, problems: LayerProblem[]): Exemption[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push({ field: 'exemptions', message: 'must be an array' });
    return [];
  }
  const SCOPE = ['rule_id', 'dept_codg', 'dr_codg', 'patient', 'hilist_code', 'diagnosis_prefix', 'insutype'];
  const ids = new Set<string>();
  const out: Exemption[] = [];
  list.forEach((raw: unknown, i) => {
    const at = `exemptions[${i}]`;
    if (!isObject(raw)) {
      problems.push({ field: at, message: 'must be an object' });
      return;
    }
    const before = problems.length;
    checkKeys(raw, ['id', 'scope', 'reason', 'approver', 'from', 'to', 'cap'], at, problems);
    if (typeof raw.id !== 'string' || !ID.test(raw.id)) problems.push({ field: `${at}.id`, message: 'is required: letters, digits, . _ -' });
    else if (ids.has(raw.id)) problems.push({ field: `${at}.id`, message: `duplicate exemption id ${raw.id}` });
    else ids.add(raw.id);
    requireText(raw, 'reason', at, problems);
    requireText(raw, 'approver', at, problems);
    readPeriod(raw, at, problems);
    if (raw.cap !== undefined && !(typeof raw.cap === 'number' && Number.isInteger(raw.cap) && raw.cap >= 1))
      problems.push({ field: `${at}.cap`, message: 'must be a whole number ≥ 1' });
    const scope = raw.scope;
    if (!isObject(scope)) problems.push({ field: `${at}.scope`, message: 'is required: an object naming at least one of ' + SCOPE.join(', ') });
    else {
      checkKeys(scope, SCOPE, `${at}.scope`, problems);
      const given = SCOPE.filter((k) => scope[k] !== undefined);
      if (given.length === 0) problems.push({ field: `${at}.scope`, message: 'must name at least one of ' + SCOPE.join(', ') });
      for (const k of given) {
        const v = scope[k];
        const values = Array.isArray(v) ? v : [v];
        if (values.length === 0 || values.some((x) => typeof x !== 'string' || x.trim() === '')) {
          problems.push({ field: `${at}.scope.${k}`, message: 'must be non-empty text or a non-empty array of it' });
        } else if (k === 'rule_id') {
          for (const id of values as string[]) if (!ruleIds.has(id)) problems.push({ field: `${at}.scope.rule_id`, message: `no rule ${id} in the base rulebook or the layer` });
        }
      }
    }
    if (problems.length === before) out.push(raw as unknown as Exemption);
  });
  return out;
}

/** Checks the layer's knowledge tables and parses them (ids must not be national table ids). */
function readTables(base: CompiledRulebook, knowledge: unknown, problems: LayerProblem[]): { tables: Map<string, KnowledgeTable>; files: Map<string, string> } {
  const tables = new Map(base.compiled.tables);
  const files = new Map<string, string>();
  if (knowledge === undefined) return { tables, files };
  if (!isObject(knowledge)) {
    problems.push({ field: 'knowledge', message: 'must be an object of tables by id' });
    return { tables, files };
  }
  for (const [id, ref] of Object.entries(knowledge)) {
    const at = `knowledge.${id}`;
    if (!ID.test(id)) problems.push({ field: at, message: 'table id: letters, digits, . _ -' });
    if (base.compiled.tables.has(id)) {
      problems.push({ field: at, message: `knowledge table id ${id} is also a table of ${base.digest}` });
      continue;
    }
    if (!isObject(ref) || !Array.isArray(ref.rows)) {
      problems.push({ field: `${at}.rows`, message: 'is required: an array of row objects' });
      continue;
    }
    checkKeys(ref, ['source', 'rows'], at, problems);
    const own: RulebookProblem[] = [];
    files.set(id, `knowledge/${id}.json`);
    const table = parseKnowledgeTable(id, `knowledge/${id}.json`, JSON.stringify(ref.rows), own);
    for (const p of own) problems.push({ field: layerField(p.field, files), message: p.message });
    if (table) tables.set(id, table);
  }
  return { tables, files };
}

/** The layer's cases, normalised like rulebook cases (paths cases[i].…). */
function readCases(list: unknown, problems: LayerProblem[]): RuleCase[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push({ field: 'cases', message: 'must be an array' });
    return [];
  }
  const out: RuleCase[] = [];
  list.forEach((c: unknown, i) => {
    const at = `cases[${i}]`;
    if (!isObject(c) || typeof c.name !== 'string') {
      problems.push({ field: `${at}.name`, message: 'a case needs a name' });
      return;
    }
    const rc = c as unknown as RuleCase;
    for (const key of ['expect', 'expect_not'] as const) {
      const l = rc[key];
      if (l !== undefined && (!Array.isArray(l) || l.some((x) => typeof x?.rule_id !== 'string')))
        problems.push({ field: `${at}.${key}`, message: 'must be an array of { rule_id, rx_id? }' });
    }
    if (rc.expect_bad_input !== undefined) {
      out.push(rc);
      return;
    }
    const norm = normalizeCheckData(rc.request);
    if (!norm.ok) {
      for (const e of norm.errors) problems.push({ field: `${at}.request.${e.field}`, message: e.message });
      return;
    }
    out.push({ ...rc, request: norm.value });
  });
  return out;
}

/**
 * Compiles a layer file (parsed JSON or its text) against a compiled base rulebook: validates
 * every field, compiles local rules and every override with the rulebook compiler. Never throws;
 * every problem names its field path (overrides[3].params.max_age …).
 */
export function compileLayer(base: CompiledRulebook, layer: unknown): LayerCompileResult {
  const problems: LayerProblem[] = [];
  const l = parseLayer(layer, problems);
  if (!l) return { ok: false, errors: problems };
  checkKeys(l, ['$schema', 'format', 'id', 'version', 'name', 'description', 'base', 'knowledge', 'rules', 'cases', 'overrides', 'exemptions'], '', problems);
  for (const p of problems) p.field = p.field.replace(/^\./, '');
  if (l.format !== LAYER_FORMAT) problems.push({ field: 'format', message: `must be "${LAYER_FORMAT}"` });
  if (typeof l.id !== 'string' || !ID.test(l.id)) problems.push({ field: 'id', message: 'is required: letters, digits, . _ -' });
  if (typeof l.version !== 'string' || !VERSION.test(l.version)) problems.push({ field: 'version', message: 'is required: dotted numbers, e.g. 1.2.0' });
  if (!isObject(l.base) || typeof l.base.id !== 'string' || typeof l.base.version !== 'string') {
    problems.push({ field: 'base', message: 'is required: { id, version } of the rulebook the layer was written for' });
  } else if (l.base.id !== base.id) {
    problems.push({ field: 'base.id', message: `the layer is written for rulebook ${l.base.id}, not ${base.id}` });
  }
  const { tables, files } = readTables(base, l.knowledge, problems);
  // Local rules: the rulebook format, compiled by the rulebook compiler.
  let local: CompiledRule[] = [];
  const localIds = new Set<string>();
  if (l.rules !== undefined) {
    if (!Array.isArray(l.rules)) problems.push({ field: 'rules', message: 'must be an array' });
    else if (schemaCheckRules(l.rules, problems)) {
      const defs = l.rules as RuleDef[];
      const national = new Set(base.compiled.rules.map((r) => r.id));
      defs.forEach((d, i) => {
        if (national.has(d.id)) problems.push({ field: `rules[${i}].id`, message: `local rule id ${d.id} is also a rule of ${base.digest}` });
        else if (localIds.has(d.id)) problems.push({ field: `rules[${i}].id`, message: `duplicate rule id ${d.id}` });
        localIds.add(d.id);
      });
      const own: RulebookProblem[] = [];
      local = compileRuleDefs(defs, tables, own);
      for (const p of own) problems.push({ field: layerField(p.field, files), message: p.rule_id && !p.field.startsWith('rules[') ? `rule ${p.rule_id}: ${p.message}` : p.message });
    }
  }
  const overrides = readOverrides(base, l.overrides, tables, problems);
  const ruleIds = new Set([...base.compiled.rules.map((r) => r.id), ...localIds]);
  const exemptions = readExemptions(l.exemptions, ruleIds, problems);
  const cases = readCases(l.cases, problems);
  if (problems.length > 0) return { ok: false, errors: problems };

  const file = l as unknown as LayerFile;
  const variants = variantsOf(base, overrides, local, tables, cases);
  const compiled: CompiledLayer = {
    id: file.id,
    version: file.version,
    digest: `${file.id}@${file.version}`,
    base: { id: base.id, version: base.version, digest: base.digest },
    file,
    rulebookAt: variants,
    exemptionIndex: buildExemptionIndex(exemptions),
  };
  return { ok: true, layer: compiled };
}

/**
 * The rulebook in force at a time: overrides change at their from/to dates only, so the time
 * line splits into periods (binary search over the sorted dates), each compiled on first use
 * (the base's compiled rules are reused: only the rule objects are copied and re-indexed).
 */
function variantsOf(
  base: CompiledRulebook,
  overrides: ReadyOverride[],
  local: CompiledRule[],
  tables: ReadonlyMap<string, KnowledgeTable>,
  cases: RuleCase[],
): (now: string | Date | number) => CompiledRulebook {
  const bounds = [...new Set(overrides.flatMap((o) => [o.fromMs, o.toMs]).filter((ms) => Number.isFinite(ms)))].sort((a, b) => a - b);
  const cache = new Map<number, CompiledRulebook>();
  const manifest: RulebookManifest = {
    id: base.id,
    version: base.version,
    name: base.name,
    issuer: base.issuer,
    effective_from: base.effective_from,
    effective_to: base.effective_to,
    rules: [],
  };
  const build = (period: number): CompiledRulebook => {
    const at = period === 0 ? Number.NEGATIVE_INFINITY : bounds[period - 1];
    const active = new Map<string, ReadyOverride>();
    for (const o of overrides) if (o.fromMs <= at && at < o.toMs) active.set(o.ov.rule_id, o);
    const rules: CompiledRule[] = [];
    for (const r of base.compiled.rules) {
      const o = active.get(r.id);
      const rule = o ? o.rule : r;
      if (rule) rules.push({ ...rule, encounterView: undefined });
    }
    for (const r of local) rules.push({ ...r, encounterView: undefined });
    rules.forEach((r, i) => {
      r.index = i;
    });
    const rb = indexRulebook({ manifest, tables, rules, cases, files: { manifest, files: {} } });
    // Same identity as the base: replies carry the bureau's version; the layer's is carried beside it.
    return { ...rb, digest: base.digest, cases: base.cases, effectiveFromMs: base.effectiveFromMs, effectiveToMs: base.effectiveToMs };
  };
  let lastNow: unknown;
  let lastMs = Number.NaN;
  return (now) => {
    // Requests of one moment name it alike: skip re-reading the same date string.
    const ms = now === lastNow ? lastMs : toWallClock(now);
    lastNow = now;
    lastMs = ms;
    if (Number.isNaN(ms)) throw new RangeError(`now is not a date: ${String(now)}`);
    // Period = how many override dates are ≤ now.
    let lo = 0,
      hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid] <= ms) lo = mid + 1;
      else hi = mid;
    }
    let rb = cache.get(lo);
    if (!rb) {
      if (cache.size >= MAX_VARIANTS) cache.delete(cache.keys().next().value!);
      cache.set(lo, (rb = build(lo)));
    }
    return rb;
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (isObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sorted(v[k])]),
    );
  return v;
}

/**
 * What a layer's activation on `base` must report (works on the raw file, compiled or not):
 * overrides of rules the base no longer has, overrides whose base params changed since they were
 * written, local ids colliding with national ones, exemptions naming unknown rules.
 */
export function layerConflicts(base: CompiledRulebook, layer: unknown): LayerConflict[] {
  const problems: LayerProblem[] = [];
  const l = parseLayer(layer, problems);
  if (!l) return [];
  const out: LayerConflict[] = [];
  const baseRules = new Map(base.compiled.rules.map((r) => [r.id, r]));
  const b = isObject(l.base) ? l.base : {};
  if (b.id !== base.id || b.version !== base.version) {
    out.push({
      kind: 'base-changed',
      field: 'base',
      message: `本院规则层按 ${String(b.id)}@${String(b.version)} 编写，现基于 ${base.digest} 启用，请复核下列覆盖`,
      was: { id: b.id, version: b.version },
      now: { id: base.id, version: base.version },
    });
  }
  const overrides = Array.isArray(l.overrides) ? l.overrides : [];
  overrides.forEach((ov: unknown, i) => {
    if (!isObject(ov) || typeof ov.rule_id !== 'string') return;
    const rule = baseRules.get(ov.rule_id);
    if (!rule) {
      out.push({
        kind: 'rule-missing',
        field: `overrides[${i}].rule_id`,
        rule_id: ov.rule_id,
        message: `覆盖 ${String(ov.id)} 针对的国家规则 ${ov.rule_id} 在 ${base.digest} 中已不存在`,
      });
      return;
    }
    const nowParams = rule.def.params ?? {};
    if (ov.base_params !== undefined && !same(ov.base_params, nowParams)) {
      out.push({
        kind: 'params-changed',
        field: `overrides[${i}].base_params`,
        rule_id: ov.rule_id,
        message: `覆盖 ${String(ov.id)} 编写时国家规则「${rule.name}」（${rule.id}）的参数为 ${JSON.stringify(ov.base_params)}，${base.digest} 中已改为 ${JSON.stringify(nowParams)}`,
        was: ov.base_params,
        now: nowParams,
      });
    } else if (ov.base_params === undefined && ov.params !== undefined) {
      out.push({
        kind: 'params-changed',
        field: `overrides[${i}].base_params`,
        rule_id: ov.rule_id,
        message: `覆盖 ${String(ov.id)} 修改了国家规则「${rule.name}」（${rule.id}）的参数，但未记录编写时的国家参数（base_params），无法判断国家参数是否已变化；${base.digest} 中为 ${JSON.stringify(nowParams)}`,
        now: nowParams,
      });
    }
  });
  const localIds = new Set<string>();
  (Array.isArray(l.rules) ? l.rules : []).forEach((r: unknown, i) => {
    if (!isObject(r) || typeof r.id !== 'string') return;
    localIds.add(r.id);
    if (baseRules.has(r.id))
      out.push({ kind: 'id-collision', field: `rules[${i}].id`, rule_id: r.id, message: `本院规则编号 ${r.id} 与 ${base.digest} 中的国家规则「${baseRules.get(r.id)!.name}」重复` });
  });
  for (const id of isObject(l.knowledge) ? Object.keys(l.knowledge) : []) {
    if (base.compiled.tables.has(id)) out.push({ kind: 'id-collision', field: `knowledge.${id}`, message: `本院知识库 ${id} 与 ${base.digest} 中的国家知识库重名` });
  }
  (Array.isArray(l.exemptions) ? l.exemptions : []).forEach((e: unknown, i) => {
    if (!isObject(e) || !isObject(e.scope) || e.scope.rule_id === undefined) return;
    const ids = Array.isArray(e.scope.rule_id) ? e.scope.rule_id : [e.scope.rule_id];
    for (const id of ids) {
      if (typeof id === 'string' && !baseRules.has(id) && !localIds.has(id)) {
        out.push({
          kind: 'exemption-rule-missing',
          field: `exemptions[${i}].scope.rule_id`,
          rule_id: id,
          message: `白名单 ${String(e.id)} 针对的规则 ${id} 在 ${base.digest} 及本院规则中均不存在`,
        });
      }
    }
  });
  return out;
}
