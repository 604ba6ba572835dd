/**
 * National 3101/3102 output model: `output.result[]`, one entry per violation.
 */
import type { EncounterDto, OrderDto, PatientDto } from './request.js';

/** 违规项类型 1 违规项 (the offending order), 2 涉及项 (an order involved). */
export type VolaItemType = '1' | '2';

/** 严重程度 1 明确违规, 2 高度可疑, 3 轻度可疑. */
export type SevDeg = '1' | '2' | '3';

/** 违规明细 One order involved in a violation (judge_result_detail_dtos[]). */
export interface JudgeResultDetailDto {
  /** 违规明细标识 Detail id. */
  jrd_id: string;
  /** 参保人标识 Patient id. */
  patn_id: string;
  /** 就诊标识 Encounter id. */
  mdtrt_id: string;
  /** 处方(医嘱)标识 Order id. */
  rx_id: string;
  /** 违规项目类型 1 违规项, 2 涉及项. */
  vola_item_type: VolaItemType;
  /** 违规金额 Amount of this order counted as violating (0 for 涉及项). */
  vola_amt: number;
}

/** 违规结果 One violation (output.result[]). */
export interface ResultDto {
  /** 违规标识 Violation id, unique; the key of 3103 feedback (warn_rslt_id). */
  jr_id: string;
  /** 规则ID Rule id (official code where one exists). */
  rule_id: string;
  /** 规则名称 Official rule name, e.g. 药品区分性别使用. */
  rule_name: string;
  /** 违规内容 Human-readable message in Chinese. */
  vola_cont: string;
  /** 参保人标识 Patient id. */
  patn_id: string;
  /** 就诊标识 Encounter id. */
  mdtrt_id: string;
  /** 违规金额 Amount of the offending orders. */
  vola_amt: number;
  /** 违规金额计算状态 "1" computed from the orders' amounts, "0" not computable (amounts missing). */
  vola_amt_stas: string;
  /** 严重程度 1 明确违规, 2 高度可疑, 3 轻度可疑. */
  sev_deg: SevDeg;
  /** 违规依据 Evidence: the knowledge point, the limit and the facts compared. */
  vola_evid: string;
  /** 违规行为类别 Violation behaviour type (the rule's category). */
  vola_bhvr_type: string;
  /** 任务ID Task id from the request. */
  task_id: string;
  /** 违规明细 Orders involved. */
  judge_result_detail_dtos: JudgeResultDetailDto[];
}

/** A rule that failed while evaluating: never thrown, reported beside the findings. */
export interface RuleErrorEntry {
  /** Rule that failed. */
  rule_id: string;
  /** Official rule name. */
  rule_name: string;
  /** What went wrong. */
  message: string;
}

/** A rule whose findings were cut at the per-request cap (EvaluateOptions.maxFindingsPerRule). */
export interface TruncatedRule {
  /** Rule whose findings were cut. */
  rule_id: string;
  /** Official rule name. */
  rule_name: string;
  /** Findings kept in `result`. */
  kept: number;
  /** Findings left out. */
  dropped: number;
}

/**
 * A value of the request the engine could not use (an unknown code): the rules that needed it did
 * not judge it, the others ran. One per field name per request; the service shows it in warn_msg.
 */
export interface InputWarning {
  /** Path of the first such field, e.g. patient_dtos[0].fsi_encounter_dtos[0].medins_lv. */
  field: string;
  /** What was not understood and what was therefore not judged (without the field's name). */
  message: string;
}

/** What `evaluate` returns. */
export interface EvaluationResult {
  /** Violations, in the national shape. */
  result: ResultDto[];
  /** Rules that failed; the other rules still ran. */
  errors: RuleErrorEntry[];
  /** Rules that had more findings than the cap allows; empty when nothing was cut. */
  truncated: TruncatedRule[];
  /** Values the rules could not read (e.g. a medins_lv outside the national table); empty when none. */
  warnings: InputWarning[];
  /** Rules evaluated for this request (after scene/phase/rule_ids filtering). */
  rules_considered: number;
  /**
   * With `EvaluateOptions.withSources`: what each finding is about, aligned with `result`
   * (`sources[i]` belongs to `result[i]`). Absent otherwise.
   */
  sources?: FindingSource[];
}

/**
 * The records a finding is about, as the request holds them (references, not copies): decide
 * its department and doctor with `attributionOf` (model/attribution.ts).
 */
export interface FindingSource {
  /** The offending order (违规项); undefined for a finding about the encounter as a whole. */
  order: OrderDto | undefined;
  /** Its encounter; entries a HIS sent separately for one mdtrt_id are merged into one. */
  encounter: EncounterDto;
  patient: PatientDto;
}

/** The national reply envelope. */
export interface NhsaReply {
  /** 交易状态码 0 ok, -1 error. */
  infcode: number;
  /** 错误信息 Error message. */
  err_msg: string;
  /** 警告信息 Warning message. */
  warn_msg: string;
  /** 交易输出 Output. */
  output: { result: ResultDto[] };
}
