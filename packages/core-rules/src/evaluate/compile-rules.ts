import type { Phase, RuleDef, RulebookProblem, KnowledgeRow } from '../rulebook/types.js';
import type { KnowledgeTable } from '../knowledge/table.js';
import { TEMPLATES, type PointBase, type TemplateDef } from '../templates/index.js';
import { compileMessage, type CompiledMessage } from './message.js';
import { compileCondition, type CompiledCondition } from './condition.js';

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
  /** Knowledge rows behind the points (condition rules with a table read them as `point`). */
  rows: KnowledgeRow[];
  /** Condition rules: the compiled condition. */
  condition?: CompiledCondition;
  scope: 'order' | 'encounter';
}

/** Compiles every rule; problems name the rule id and the field. Disabled rules are skipped. */
export function compileRules(defs: RuleDef[], tables: ReadonlyMap<string, KnowledgeTable>, problems: RulebookProblem[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  defs.forEach((def, i) => {
    const at = `rules[${i}]`;
    const problem = (field: string, message: string) => problems.push({ rule_id: def.id, field: `${at}.${field}`, message });
    const unknown: string[] = [];
    const message = compileMessage(def.message, unknown);
    for (const u of unknown) problem('message', `unknown placeholder {${u}}`);
    const rule: CompiledRule = {
      index: out.length, id: def.id, name: def.name, sevDeg: def.sev_deg, category: def.category ?? '',
      scenes: def.scenes && def.scenes.length > 0 ? new Set(def.scenes) : null,
      phases: def.phases && def.phases.length > 0 ? new Set(def.phases) : null,
      message, def, params: undefined, points: [], rows: [], scope: def.scope ?? 'order',
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
            const line = template.prepareRows ? `group ${String(row.name)}` : String(table!.lines[r]);
            const point = template.compilePoint(row, rule.params, (f, m) =>
              problems.push({ rule_id: def.id, field: `${table!.file}:${line}.${f}`, message: m }));
            if (point) { rule.points.push(point); rule.rows.push(row); }
          });
        }
      }
    } else if (def.condition !== undefined) {
      if (def.params !== undefined && (typeof def.params !== 'object' || def.params === null)) problem('params', 'must be an object');
      rule.params = def.params ?? {};
      if (table) {
        table.rows.forEach((row, r) => {
          if (!row.codes || row.codes.length === 0) {
            problems.push({ rule_id: def.id, field: `${table!.file}:${table!.lines[r]}.codes`, message: 'must list at least one national code' });
            return;
          }
          rule.points.push({ name: String(row.name ?? row.codes[0]), codes: row.codes });
          rule.rows.push(row);
        });
      }
      rule.condition = compileCondition(def.condition, tables, (f, m) => problem(`condition${f ? `.${f}` : ''}`, m));
    }
    if (def.enabled !== false) out.push(rule);
  });
  out.forEach((r, i) => { r.index = i; });
  return out;
}
