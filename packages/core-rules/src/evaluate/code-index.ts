import type { Phase, RuleCase } from '../rulebook/types.js';
import type { CompiledRules } from '../rulebook/compile-files.js';
import type { KnowledgeTable } from '../knowledge/types.js';
import { parseDateTime } from '../model/dates.js';
import type { CompiledRule } from '../rulebook/compile-rules.js';

/** The rules one request runs: a mask by rule index, how many, and the level rule among them. */
export interface Selection {
  mask: Uint8Array;
  considered: number;
  /** The active rules that read the hospital level (hospital-tier-limit, item-price-limit). */
  levelRules: CompiledRule[];
}

/**
 * One entry of the code index: this code belongs to point `point` of `rule`, in `role`, for
 * orders whose service time is in [fromMs, toMs) (the point's effective dates). A code re-issued
 * by a revision has one hit per version of its point, so the look-up stays one map access and a
 * scan of a few hits per order.
 */
export interface CodeHit {
  rule: CompiledRule;
  point: number;
  role: number;
  fromMs: number;
  toMs: number;
}

/** Public description of a compiled rule. */
export interface RuleInfo {
  id: string;
  name: string;
  sev_deg: '1' | '2' | '3';
  category: string;
  template?: string;
  knowledge?: string;
  scenes?: string[];
  phases?: Phase[];
  points: number;
}

/** A rulebook compiled once for evaluation: rules, a code → rule index, cached scene masks. */
export interface CompiledRulebook {
  id: string;
  version: string;
  name: string;
  issuer: string;
  effective_from: string;
  effective_to: string | null;
  /** effective_from / effective_to as wall-clock ms (to = +Infinity when open). */
  effectiveFromMs: number;
  effectiveToMs: number;
  /** "id@version". */
  digest: string;
  /** Public view of the rules. */
  rules: readonly RuleInfo[];
  /** Distinct national codes the rules refer to: the index's, and those of encounter templates. */
  codeCount: number;
  /** The rulebook's own test cases. */
  cases: RuleCase[];
  /** Internals used by evaluate. */
  readonly compiled: {
    rules: readonly CompiledRule[];
    index: ReadonlyMap<string, readonly CodeHit[]>;
    /** Condition rules without a table: evaluated for every order (scope order) or encounter. */
    orderRules: readonly CompiledRule[];
    encounterRules: readonly CompiledRule[];
    /** Encounter templates (checkEncounter): judged once per encounter, not in the code index. */
    encounterTemplateRules: readonly CompiledRule[];
    tables: ReadonlyMap<string, KnowledgeTable>;
    /** Rule selections by scene/phase/rule-id key, and by the raw trig_scen of a request naming only scenes. */
    masks: Map<string, Selection>;
    sceneSelections: Map<string, Selection>;
  };
}

/**
 * Builds the code index of compiled rules (the last step before evaluation): per order, only the
 * rules whose knowledge holds its code run. Nothing is validated or compiled here.
 */
export function indexRulebook(rb: CompiledRules): CompiledRulebook {
  const index = new Map<string, CodeHit[]>();
  const orderRules: CompiledRule[] = [];
  const encounterRules: CompiledRule[] = [];
  const encounterTemplateRules: CompiledRule[] = [];
  const encounterCodes = new Set<string>();
  for (const rule of rb.rules) {
    if (rule.template?.checkEncounter) {
      encounterTemplateRules.push(rule);
      const spans = rule.spans;
      rule.encounterView = {
        points: rule.points,
        params: rule.params,
        lookup: rule.lookup,
        inForce: (p: number, ms: number) => ms >= spans[p].fromMs && ms < spans[p].toMs,
      };
      // Not indexed (judged per encounter), but their national codes are the rulebook's all the same.
      for (const point of rule.points) for (const c of point.codes) encounterCodes.add(c);
      continue;
    }
    if (rule.condition && rule.scope === 'encounter') {
      encounterRules.push(rule);
      continue;
    }
    if (rule.condition && rule.def.knowledge === undefined) {
      orderRules.push(rule);
      continue;
    }
    const points = rule.points;
    for (let p = 0; p < points.length; p++) {
      const span = rule.spans[p];
      const add = (code: string, role: number): void => {
        const hits = index.get(code);
        if (!hits) {
          index.set(code, [{ rule, point: p, role, fromMs: span.fromMs, toMs: span.toMs }]);
          return;
        }
        // A code listed twice in one point must not double-count its orders.
        if (!hits.some((h) => h.rule === rule && h.point === p && h.role === role)) hits.push({ rule, point: p, role, fromMs: span.fromMs, toMs: span.toMs });
      };
      if (rule.template?.indexCodes) for (const [code, role] of rule.template.indexCodes(points[p])) add(code, role);
      else for (const code of points[p].codes) add(code, 0);
    }
  }
  const m = rb.manifest;
  const to = m.effective_to ?? null;
  return {
    id: m.id,
    version: m.version,
    name: m.name ?? m.id,
    issuer: m.issuer,
    effective_from: m.effective_from,
    effective_to: to,
    effectiveFromMs: parseDateTime(m.effective_from),
    effectiveToMs: to ? parseDateTime(to) : Number.POSITIVE_INFINITY,
    digest: `${m.id}@${m.version}`,
    rules: rb.rules.map((r) => ({
      id: r.id,
      name: r.name,
      sev_deg: r.sevDeg,
      category: r.category,
      template: r.def.template,
      knowledge: r.def.knowledge,
      scenes: r.def.scenes,
      phases: r.def.phases,
      points: r.points.length,
    })),
    codeCount: index.size + [...encounterCodes].filter((c) => !index.has(c)).length,
    cases: rb.cases,
    compiled: { rules: rb.rules, index, orderRules, encounterRules, encounterTemplateRules, tables: rb.tables, masks: new Map(), sceneSelections: new Map() },
  };
}
