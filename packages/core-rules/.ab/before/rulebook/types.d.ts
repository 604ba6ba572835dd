import type { CheckData } from '../model/request.js';
/** 事前 (before an order is issued), 事中 (during the stay, pre-settlement), 事后 (after discharge). */
export type Phase = '事前' | '事中' | '事后';
/** Names of the built-in rule templates. */
export type TemplateName = 'sex-limit' | 'age-limit' | 'insurance-type-limit' | 'visit-type-limit' | 'hospital-tier-limit' | 'payable-days' | 'pair-exclusion' | 'daily-count' | 'rolling-count' | 'surgery-discount' | 'item-course' | 'code-list' | 'prescription-all-in-list' | 'prescription-pair' | 'diagnosis-limit';
/** A JsonLogic expression (plain JSON). */
export type JsonLogicExpr = unknown;
/** One rule of a rulebook (rule base entry). */
export interface RuleDef {
    /** Official rule code where one exists (GZ10000301004000), else the issuer's own id. */
    id: string;
    /** Official rule name (rule_name), e.g. 药品区分性别使用. */
    name: string;
    /** Category shown as vola_bhvr_type, e.g. 药品, 医疗服务项目. */
    category?: string;
    /** 严重程度 1 明确违规, 2 高度可疑, 3 轻度可疑. */
    sev_deg: '1' | '2' | '3';
    /** 结果类型 明确违规 / 可疑. */
    result_type?: string;
    /** trig_scen codes the rule runs in; omitted = every scene. */
    scenes?: string[];
    /** Phases the rule runs in; omitted = every phase. */
    phases?: Phase[];
    /** Time window in words (当次就诊, 单日, 自然月, N 天滚动 …), for people; templates take theirs from params/knowledge. */
    window?: string;
    /** Message template (Chinese) with {placeholders}, rendered into vola_cont. */
    message: string;
    /** 政策依据 Policy basis. */
    basis?: string;
    /** false switches the rule off without removing it. */
    enabled?: boolean;
    /** A built-in template … */
    template?: TemplateName;
    /** … its parameters … */
    params?: Record<string, unknown>;
    /** … and the id of its knowledge table (a key of RulebookManifest.knowledge). */
    knowledge?: string;
    /** Or a JsonLogic condition, true = violation. */
    condition?: JsonLogicExpr;
    /** What a condition is evaluated over: each order (default) or each encounter. */
    scope?: 'order' | 'encounter';
    /**
     * First day the rule applies (yyyy-MM-dd[ HH:mm:ss]), judged on each order's service date
     * (drord_begn_date, else the encounter's adm_date); omitted = from the rulebook's start.
     */
    effective_from?: string;
    /** Last moment the rule applies, exclusive; omitted/null = open-ended. */
    effective_to?: string | null;
}
/** Where a knowledge table lives inside the rulebook folder. */
export interface KnowledgeTableRef {
    /** Path relative to the rulebook folder: .csv (header row) or .json (array of objects). */
    file: string;
    /** Free text: where the table comes from. */
    source?: string;
}
/** rulebook.json */
export interface RulebookManifest {
    /** Stable id of the rulebook, e.g. nhsa-liangku. */
    id: string;
    /** Version; later versions compare greater (numeric dotted compare). */
    version: string;
    /** Display name. */
    name?: string;
    /** Issuer, e.g. 国家医疗保障局 or a city bureau. */
    issuer: string;
    /** First day in force (yyyy-MM-dd[ HH:mm:ss]). */
    effective_from: string;
    /** Last moment in force, exclusive; null/omitted = open-ended. */
    effective_to?: string | null;
    /** Knowledge tables by id. */
    knowledge?: Record<string, KnowledgeTableRef>;
    /** The rule base. */
    rules: RuleDef[];
}
/** A rulebook as data: the manifest plus every file of the folder by relative path (pure: no fs here). */
export interface RulebookFiles {
    /** Parsed rulebook.json (or its text). */
    manifest: unknown;
    /** Other files of the folder by relative POSIX path ("knowledge/x.csv", "cases/y.json"), as text. */
    files: Record<string, string>;
}
/**
 * One knowledge row after loading: plain strings/numbers/arrays by column name. Two columns are
 * read by the engine for every template: `effective_from` (first day the point applies) and
 * `effective_to` (exclusive end), both yyyy-MM-dd[ HH:mm:ss] or empty = open; an order is judged
 * by the point only when its service date (drord_begn_date, else adm_date) is inside.
 */
export type KnowledgeRow = Record<string, unknown> & {
    codes?: string[];
};
/** A rulebook test case (cases/*.json holds an array of these). */
export interface RuleCase {
    /** What the case shows. */
    name: string;
    /** Evaluation time; defaults to the request's latest order date. */
    now?: string;
    /** The request. */
    request: CheckData;
    /** Findings that must be produced: rule id, and optionally the offending rx_id and the involved rx_ids. */
    expect?: Array<{
        rule_id: string;
        rx_id?: string;
        involved?: string[];
    }>;
    /** Findings that must not be produced (rx_id omitted = none of that rule at all). */
    expect_not?: Array<{
        rule_id: string;
        rx_id?: string;
    }>;
    /** true = no finding beyond those in expect. */
    exact?: boolean;
    /**
     * The request is bad input: normalisation must refuse it naming each of these fields (paths
     * as in `FieldError.field`, e.g. patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag).
     * Nothing is evaluated.
     */
    expect_bad_input?: string[];
    /** Fields the evaluation's warnings must name (paths as in `InputWarning.field`); with exact, no others. */
    expect_warnings?: string[];
}
/** A validation problem: names the rule (when there is one), the field and what is wrong. */
export interface RulebookProblem {
    /** Rule id, or undefined for rulebook-level problems. */
    rule_id?: string;
    /** Path of the bad field, e.g. rules[3].params.max_age or knowledge/drug_gender.csv:12.sex. */
    field: string;
    /** What is wrong, in plain words. */
    message: string;
}
//# sourceMappingURL=types.d.ts.map