import type { Phase, RuleDef, RulebookProblem } from './types.js';
import type { KnowledgeRow, KnowledgeTable } from '../knowledge/types.js';
import { TEMPLATES, type EncounterRuleView, type PointBase, type TemplateDef } from '../templates/index.js';
import { readText } from '../templates/template.js';
import { compileMessage, type CompiledMessage } from '../evaluate/message.js';
import { compileCondition, type CompiledCondition } from '../evaluate/condition.js';
import { parseDateTime } from '../model/dates.js';

/**
 * When a point is in force, as wall-clock ms: from `fromMs` (inclusive) to `toMs` (exclusive).
 * An order is judged by a point only when its service time (drord_begn_date, else the
 * encounter's adm_date, else the evaluation time) falls inside.
 */
export interface PointSpan {
  fromMs: number;
  toMs: number;
}

/** In force at all times: no effective_from / effective_to on the row or the rule. */
const ALWAYS: PointSpan = Object.freeze({ fromMs: Number.NEGATIVE_INFINITY, toMs: Number.POSITIVE_INFINITY });

/**
 * Reads an optional effective_from / effective_to pair (a rule's, or a knowledge row's) into a
 * span; an unreadable date or an empty span is a problem naming the field.
 */
function readSpan(from: unknown, to: unknown, problem: (field: string, message: string) => void): PointSpan | undefined {
  let ok = true;
  const read = (v: unknown, field: string, open: number): number => {
    if (v === undefined || v === null || v === '') return open;
    const ms = typeof v === 'string' ? parseDateTime(v.trim()) : NaN;
    if (Number.isNaN(ms)) {
      ok = false;
      problem(field, `must be a date yyyy-MM-dd[ HH:mm:ss], got ${JSON.stringify(v)}`);
    }
    return ms;
  };
  const span = { fromMs: read(from, 'effective_from', Number.NEGATIVE_INFINITY), toMs: read(to, 'effective_to', Number.POSITIVE_INFINITY) };
  if (ok && span.toMs <= span.fromMs) {
    ok = false;
    problem('effective_to', 'must be later than effective_from');
  }
  return ok ? span : undefined;
}

/** A rule ready to evaluate. */
export interface CompiledRule {
  /** Position in the rulebook (stable key for masks and buckets). */
  index: number;
  id: string;
  name: string;
  sevDeg: '1' | '2' | '3';
  category: string;
  /** Scenes the rule runs in; null = all. */
  scenes: ReadonlySet<string> | null;
  /** Phases the rule runs in; null = all. */
  phases: ReadonlySet<Phase> | null;
  message: CompiledMessage;
  def: RuleDef;
  /** Template rules: the template, its checked params and compiled points. */
  template?: TemplateDef<PointBase, unknown>;
  params: unknown;
  points: PointBase[];
  /** When each point is in force (parallel to `points`): the row's dates within the rule's. */
  spans: PointSpan[];
  /** Knowledge rows behind the points (condition rules with a table read them as `point`). */
  rows: KnowledgeRow[];
  /**
   * Group templates with versionKey: for each point, the index of the first point of its key
   * (the group its orders join); absent when every point is its own group.
   */
  groupOf?: Int32Array;
  /** Encounter templates: the lookup their template built from all points (see buildLookup). */
  lookup?: unknown;
  /** Encounter templates: what checkEncounter sees of the rule, built once (see indexRulebook). */
  encounterView?: EncounterRuleView<PointBase, unknown, unknown>;
  /** Condition rules: the compiled condition. */
  condition?: CompiledCondition;
  scope: 'order' | 'encounter';
}

/** Compiles every rule; problems name the rule id and the field. Disabled rules are skipped. */
export function compileRuleDefs(defs: RuleDef[], tables: ReadonlyMap<string, KnowledgeTable>, problems: RulebookProblem[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  defs.forEach((def, i) => {
    const at = `rules[${i}]`;
    const problem = (field: string, message: string) => problems.push({ rule_id: def.id, field: `${at}.${field}`, message });
    const unknown: string[] = [];
    const message = compileMessage(def.message, unknown);
    for (const u of unknown) problem('message', `unknown placeholder {${u}}`);
    const rule: CompiledRule = {
      index: out.length,
      id: def.id,
      name: def.name,
      sevDeg: def.sev_deg,
      category: def.category ?? '',
      scenes: def.scenes && def.scenes.length > 0 ? new Set(def.scenes) : null,
      phases: def.phases && def.phases.length > 0 ? new Set(def.phases) : null,
      message,
      def,
      params: undefined,
      points: [],
      spans: [],
      rows: [],
      scope: def.scope ?? 'order',
    };
    // A rule in force only for some dates (a rule added by a revision) bounds all its points.
    const ruleSpan = readSpan(def.effective_from, def.effective_to, problem) ?? ALWAYS;
    const spanOf = (row: KnowledgeRow, rowProblem: (field: string, message: string) => void): PointSpan | undefined => {
      const own = readSpan(row.effective_from, row.effective_to, rowProblem);
      if (!own) return undefined;
      return { fromMs: Math.max(own.fromMs, ruleSpan.fromMs), toMs: Math.min(own.toMs, ruleSpan.toMs) };
    };
    let table: KnowledgeTable | undefined;
    if (def.knowledge !== undefined) {
      table = tables.get(def.knowledge);
      if (!table) problem('knowledge', `no knowledge table ${JSON.stringify(def.knowledge)} in rulebook.json "knowledge"`);
    }
    if (def.template) {
      const template = TEMPLATES[def.template] as TemplateDef<PointBase, unknown>;
      rule.template = template;
      rule.params = template.compileParams(def.params ?? {}, (f, m) => problem(`params.${f}`, m));
      if (table) {
        const needed = template.pairTable ? template.columns : ['name', 'codes', ...template.columns];
        const present = new Set(table.rows.flatMap((r) => Object.keys(r)));
        const missing = needed.filter((c) => !present.has(c));
        if (table.rows.length > 0 && missing.length > 0) {
          problem('knowledge', `table ${table.id} (${table.file}) lacks column(s) ${missing.join(', ')} needed by template ${def.template}`);
        } else {
          const rows = template.prepareRows ? template.prepareRows(table.rows) : table.rows;
          rows.forEach((row, r) => {
            const line = template.prepareRows ? `group ${readText(row.name)}` : String(table.lines[r]);
            const rowProblem = (f: string, m: string) => problems.push({ rule_id: def.id, field: `${table.file}:${line}.${f}`, message: m });
            const point = template.compilePoint(row, rule.params, rowProblem);
            const span = spanOf(row, rowProblem);
            if (point && span) {
              rule.points.push(point);
              rule.spans.push(span);
              rule.rows.push(row);
            }
          });
        }
      }
      if (template.buildLookup) rule.lookup = template.buildLookup(rule.points, rule.params);
      if (template.versionKey) {
        const first = new Map<string, number>();
        const groupOf = new Int32Array(rule.points.length);
        let shared = false;
        rule.points.forEach((p, i) => {
          const key = template.versionKey!(p);
          const g = first.get(key);
          if (g === undefined) {
            first.set(key, i);
            groupOf[i] = i;
          } else {
            groupOf[i] = g;
            shared = true;
          }
        });
        if (shared) rule.groupOf = groupOf;
      }
    } else if (def.condition !== undefined) {
      if (def.params !== undefined && (typeof def.params !== 'object' || def.params === null)) problem('params', 'must be an object');
      rule.params = def.params ?? {};
      if (table) {
        table.rows.forEach((row, r) => {
          if (!row.codes || row.codes.length === 0) {
            problems.push({ rule_id: def.id, field: `${table.file}:${table.lines[r]}.codes`, message: 'must list at least one national code' });
            return;
          }
          const span = spanOf(row, (f, m) => problems.push({ rule_id: def.id, field: `${table.file}:${table.lines[r]}.${f}`, message: m }));
          if (!span) return;
          rule.points.push({ name: readText(row.name ?? row.codes[0]), codes: row.codes });
          rule.spans.push(span);
          rule.rows.push(row);
        });
      }
      rule.condition = compileCondition(def.condition, tables, (f, m) => problem(`condition${f ? `.${f}` : ''}`, m));
    }
    if (def.enabled !== false) out.push(rule);
  });
  out.forEach((r, i) => {
    r.index = i;
  });
  return out;
}
