/**
 * The hospital's own layer above the bureau's rulebook (issue 13): local rules, overrides of
 * national rules, exemptions (白名单). The national rulebook stays as signed; the layer is a
 * separate, versioned JSON file compiled against it (`compileLayer`).
 */
import type { EvaluationResult, FindingSource, ResultDto } from '../model/result.js';
import type { Phase, RuleCase, RuleDef } from '../rulebook/types.js';
import type { CompiledRulebook } from '../evaluate/code-index.js';
import type { EvaluateOptions } from '../evaluate/evaluate.js';
import type { CaseReport } from '../rulebook/cases.js';

/** The `format` value of a layer file this engine reads. */
export const LAYER_FORMAT = 'preaudit-layer/1';

/** A layer file (JSON), e.g. examples/hospital-layer.json. */
export interface LayerFile {
  /** Always {@link LAYER_FORMAT}. */
  format: typeof LAYER_FORMAT;
  /** Stable id of the layer, e.g. "h0001-local". Letters, digits, `.`, `_`, `-`. */
  id: string;
  /** Version; later versions compare greater (numeric dotted compare, like rulebooks). */
  version: string;
  /** Display name, e.g. 示例市第一人民医院本院规则. */
  name?: string;
  /** The national rulebook the layer was written for (its id must match the base it is compiled with). */
  base: { id: string; version: string };
  /** Knowledge tables of the local rules, inline (rows as in a .json knowledge file). Ids must not be national table ids. */
  knowledge?: Record<string, { source?: string; rows: Array<Record<string, unknown>> }>;
  /** Local rules in the rulebook format (template + knowledge, or condition). Ids must not be national rule ids. */
  rules?: RuleDef[];
  /** Cases of the layer (the rulebook case format); judged on the findings shown after exemptions. */
  cases?: RuleCase[];
  /** Changes to national rules. */
  overrides?: RuleOverride[];
  /** Exemptions (白名单). */
  exemptions?: Exemption[];
}

/**
 * An override of one national rule. Only the fields given change; the rest stay the bureau's.
 * In force from `from` (inclusive) to `to` (exclusive), judged against the evaluation time;
 * two overrides of one rule must not overlap in time.
 */
export interface RuleOverride {
  /** Unique within the layer, e.g. "ov-2025-007". */
  id: string;
  /** The national rule, e.g. NHSA2025-XMZQCPC. */
  rule_id: string;
  /** false switches the rule off (only rules the base has enabled can be overridden). */
  enabled?: boolean;
  /** 严重程度 1 明确违规, 2 高度可疑, 3 轻度可疑. */
  sev_deg?: '1' | '2' | '3';
  /** trig_scen codes the rule runs in ([] = every scene). Replaces the base's list. */
  scenes?: string[];
  /** Phases the rule runs in ([] = every phase), e.g. ["事中"]. Replaces the base's list. */
  phases?: Phase[];
  /** Parameters, merged key by key over the base rule's (only template parameters the rule has). */
  params?: Record<string, unknown>;
  /** Message wording (same {placeholders} as rulebook messages). */
  message?: string;
  /**
   * The base rule's params when the override was written (whole object, as in the base's
   * rulebook.json). `layerConflicts` reports the override when the base's params differ now.
   */
  base_params?: Record<string, unknown>;
  /** Who approved it (name or user id). */
  approver: string;
  /** Why. */
  reason: string;
  /** In force from (yyyy-MM-dd[ HH:mm:ss], inclusive); omitted = always. */
  from?: string;
  /** In force until (exclusive); omitted/null = open-ended. */
  to?: string | null;
}

/** A scope value: one value or any of several. */
export type ScopeValue = string | string[];

/**
 * What an exemption covers: every field given must match (AND), a list matches any of its values
 * (OR). At least one field is required.
 */
export interface ExemptionScope {
  /** Rule id (national or local). */
  rule_id?: ScopeValue;
  /** 科室 Department code, as `attributionOf` decides it (order's, else discharge, else admission). */
  dept_codg?: ScopeValue;
  /** 医师 Doctor code, as `attributionOf` decides it. */
  dr_codg?: ScopeValue;
  /**
   * 患者 The patient as the server keys it (masked id by default): compared with
   * `options.patientKey(finding.patn_id)` (identity when not given).
   */
  patient?: ScopeValue;
  /** 医保目录编码 The offending order's hilist_code (drug or item). Encounter findings have none. */
  hilist_code?: ScopeValue;
  /** 诊断编码前缀 ICD-10 prefix matching any diagnosis of the encounter (fsi_diagnose_dtos[].dise_codg, dscg_main_dise_codg). */
  diagnosis_prefix?: ScopeValue;
  /** 险种 The encounter's insutype (310, 390 …). */
  insutype?: ScopeValue;
}

/** An exemption (白名单 entry): findings in its scope are suppressed (not shown, still recorded). */
export interface Exemption {
  /** Unique within the layer, e.g. "ex-0001". */
  id: string;
  scope: ExemptionScope;
  /** Why, e.g. 特殊病种备案 (门特) 编号 … */
  reason: string;
  /** Who approved it. */
  approver: string;
  /** In force from (inclusive), judged against the evaluation time; omitted = always. */
  from?: string;
  /** Expiry (exclusive); omitted/null = open-ended. */
  to?: string | null;
  /** Most findings it may suppress in all (uses counted by the caller, see {@link LayerEvaluateOptions.usage}); omitted = no cap. */
  cap?: number;
}

/** A problem of a layer file: the path of the field and what is wrong. */
export interface LayerProblem {
  /** e.g. overrides[3].params.max_age, exemptions[12].scope, rules[0].message, cases[2].expect. */
  field: string;
  /** What is wrong, in plain words (naming the rule where there is one). */
  message: string;
}

/** A layer compiled against one base rulebook (immutable; safe to share between requests). */
export interface CompiledLayer {
  id: string;
  version: string;
  /** "id@version" of the layer. */
  digest: string;
  /** The base it was compiled against: its id, version and digest ("id@version"). */
  base: { id: string; version: string; digest: string };
  /** The layer file as validated. */
  file: LayerFile;
  /**
   * The rulebook evaluated at `now`: the base's rules with the overrides in force at `now` applied
   * (compiled once per period between override dates, then cached) plus the local rules. A plain
   * CompiledRulebook: `evaluate` costs what it costs on the base. Its id/version are the base's.
   */
  rulebookAt(now: string | Date | number): CompiledRulebook;
  /** Exemption index (internal to the engine). */
  readonly exemptionIndex: unknown;
}

export type LayerCompileResult = { ok: true; layer: CompiledLayer } | { ok: false; errors: LayerProblem[] };

/** How to evaluate with a layer: `evaluate`'s options plus exemption inputs. */
export interface LayerEvaluateOptions extends EvaluateOptions {
  /**
   * Uses each capped exemption has had before this evaluation (the server counts them in its DB).
   * Omitted = 0 for all. Uses made during this evaluation are added on top and reported in
   * `exemption_uses`.
   */
  usage?: (exemptionId: string) => number;
  /** How a finding's patn_id is turned into the key `scope.patient` holds (the server passes its maskId). Default identity. */
  patientKey?: (patnId: string) => string;
}

/** A finding an exemption suppressed: not shown, still recorded. */
export interface SuppressedFinding {
  finding: ResultDto;
  /** The exemption that suppressed it. */
  exemption_id: string;
  /** What the finding is about (always given: the layer evaluates with sources). */
  source: FindingSource;
}

/** What `evaluateWithLayer` returns. */
export interface LayeredEvaluation extends EvaluationResult {
  /** Findings shown (after exemptions). `sources` (when asked for) stays aligned with it. */
  result: ResultDto[];
  /** Findings suppressed by an exemption, in evaluation order. */
  suppressed: SuppressedFinding[];
  /** Uses made in this evaluation, by exemption id (only exemptions that suppressed something). */
  exemption_uses: Record<string, number>;
  /** Capped exemptions that matched a finding but had no use left (the finding was shown). */
  cap_reached: string[];
  /** "id@version" of the layer and of the base. */
  layer: string;
  base: string;
}

/** One kind of conflict between a layer and the base it is activated on. */
export type LayerConflictKind =
  | 'rule-missing' // an override names a rule the base no longer has
  | 'params-changed' // the base rule's params are not those the override was written against
  | 'id-collision' // a local rule id (or knowledge id) is also a national one
  | 'exemption-rule-missing' // an exemption's rule_id is neither national nor local
  | 'base-changed'; // the base's id/version is not the one the layer names (informational)

/** A conflict reported at activation (see `layerConflicts`). */
export interface LayerConflict {
  kind: LayerConflictKind;
  /** Field path in the layer, e.g. overrides[3].base_params. */
  field: string;
  rule_id?: string;
  /** In Chinese, for the insurance office. */
  message: string;
  /** params-changed: the params the override was written against and the base's now. */
  was?: unknown;
  now?: unknown;
}

/** Kind of a change between two layer versions. */
export type LayerChangeKind = '新增' | '删除' | '修改';

/** One change between two layer versions. */
export interface LayerChange {
  kind: LayerChangeKind;
  /** 覆盖 (override), 白名单 (exemption), 本院规则 (local rule), 知识库 (knowledge table), 测试用例 (case), 基本信息 (header). */
  section: '覆盖' | '白名单' | '本院规则' | '知识库' | '测试用例' | '基本信息';
  /** id of the override / exemption / rule / table / case name. */
  id: string;
  /** Modified entries: each field that changed, with its Chinese label. */
  fields?: Array<{ field: string; label: string; from: unknown; to: unknown }>;
  /** One line in Chinese, e.g. 修改 覆盖 ov-1（规则 NHSA2025-XMZQCPC）：严重程度 1 → 3. */
  text: string;
}

/** The diff between two layer versions. */
export interface LayerDiff {
  from: string;
  to: string;
  changes: LayerChange[];
  /** Every change's text, one per line (empty string when nothing changed). */
  text: string;
}

/** A national case run because an override touches one of its rules. */
export interface NationalCaseOutcome {
  name: string;
  /** The overridden rules the case names. */
  rule_ids: string[];
  passed: boolean;
  /** What failed (a changed rule makes a national case fail by design: the report shows what the override changes). */
  message?: string;
}

/** What `runLayerCases` reports. */
export interface LayerCaseReport {
  /** The layer's own cases, judged on the findings shown after exemptions. */
  layer: CaseReport;
  /** National cases naming an overridden rule, judged on the layered rulebook (overrides, no exemptions). */
  national: CaseReport & { cases: NationalCaseOutcome[] };
}
