/**
 * Judging one request in a batch: each order by the rulebook version in force on its order
 * date, findings flattened with the department and doctor (core-rules' `attributionOf`) and the
 * item of the offending order (from `evaluate`'s `withSources`, no rx_id look-up) so
 * reports need no second read of the HIS.
 */
import {
  attributionOf,
  evaluate,
  type CheckData,
  type CompiledRulebook,
  type EncounterDto,
  type FindingSource,
  type JudgeResultDetailDto,
  type OrderDto,
  type Phase,
  type ResultDto,
  type RuleErrorEntry,
} from '@preaudit/core-rules';
import { pickRulebook } from './rulebook-picker.js';

/** The rulebooks a batch judges by. */
export interface RulebookSet {
  /** The active rulebook: used when no version list is given, or no version covers a date. */
  active: CompiledRulebook;
  /** Every version with its effective dates, when the service keeps versions. */
  versions?: readonly CompiledRulebook[];
}

/** One stored finding: a ResultDto plus what reports group by. */
export interface Finding {
  /** 违规标识 (unique within a job). */
  jr_id: string;
  /** 规则ID. */
  rule_id: string;
  /** 规则名称. */
  rule_name: string;
  /** 严重程度. */
  sev_deg: string;
  /** 违规内容. */
  vola_cont: string;
  /** 违规依据. */
  vola_evid: string;
  /** 违规行为类别. */
  vola_bhvr_type: string;
  /** 违规金额. */
  vola_amt: number;
  /** 违规金额计算状态. */
  vola_amt_stas: string;
  /** 参保人标识. */
  patn_id: string;
  /** 就诊标识. */
  mdtrt_id: string;
  /** The offending order (违规项), '' when the finding names none. */
  rx_id: string;
  /** National code of the offending order. */
  hilist_code: string;
  /** National name (or the hospital's name) of the offending order. */
  hilist_name: string;
  /** Hospital code of the offending order. */
  hosplist_code: string;
  /** Ordering department (else the encounter's discharge/admission department). */
  dept_codg: string;
  /** Department name. */
  dept_name: string;
  /** Ordering doctor (else the encounter's doctor). */
  dr_codg: string;
  /** Doctor name. */
  dr_name: string;
  /** Order date (drord_begn_date, else admission date). */
  order_date: string;
  /** Visit type (1 门诊, 2 住院). */
  med_mdtrt_type: string;
  /** Rulebook that judged it ("id@version"). */
  rulebook: string;
  /** judge_result_detail_dtos as returned. */
  details: JudgeResultDetailDto[];
}

/** Options for judging one request. */
export interface JudgeOptions {
  /** 事中 or 事后 (or 事前 for a replay). */
  phase: Phase;
  /** trig_scen to run; omitted = the phase decides. */
  scenes?: string[];
  /** Prefix of jr_id, unique per request within a job. */
  idPrefix: string;
  /** Evaluation time; default the latest date in the request. */
  now?: string;
}

/** What judging one request produced. */
export interface JudgeOutcome {
  /** Findings, flattened. */
  findings: Finding[];
  /** Rules that failed (never thrown). */
  errors: RuleErrorEntry[];
}

function orderDate(o: OrderDto, e: EncounterDto): string | undefined {
  return o.drord_begn_date ?? e.adm_date;
}

function latestDate(data: CheckData): string | undefined {
  let max: string | undefined;
  for (const p of data.patient_dtos) {
    for (const e of p.fsi_encounter_dtos ?? []) {
      for (const d of [e.adm_date, e.dscg_date]) if (d && (!max || d > max)) max = d;
      for (const o of e.fsi_order_dtos ?? []) {
        const d = o.drord_begn_date;
        if (d && (!max || d > max)) max = d;
      }
    }
  }
  return max;
}

/** The request with every order not in `keep` turned into history (counted, never reported). */
function onlyCurrent(data: CheckData, keep: ReadonlySet<OrderDto>): CheckData {
  return {
    ...data,
    patient_dtos: data.patient_dtos.map((p) => ({
      ...p,
      fsi_encounter_dtos: (p.fsi_encounter_dtos ?? []).map((e) => ({
        ...e,
        fsi_order_dtos: (e.fsi_order_dtos ?? []).map((o) => (keep.has(o) || o.curr_drord_flag === '0' ? o : { ...o, curr_drord_flag: '0' })),
      })),
    })),
  };
}

/** One finding flattened with what its source (from `evaluate`'s `withSources`) says about it. */
function flatten(r: ResultDto, source: FindingSource | undefined, rulebook: string): Finding {
  // The offending order (违规项) as the engine saw it: none for a finding about the encounter as a
  // whole, whose details list only 涉及项 (the real-time record decides the same, check-record.ts).
  const o = source?.order;
  const e = source?.encounter;
  const who = attributionOf(o, e);
  return {
    jr_id: r.jr_id,
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    sev_deg: r.sev_deg,
    vola_cont: r.vola_cont,
    vola_evid: r.vola_evid ?? '',
    vola_bhvr_type: r.vola_bhvr_type ?? '',
    vola_amt: Number(r.vola_amt) || 0,
    vola_amt_stas: r.vola_amt_stas ?? '',
    patn_id: r.patn_id,
    mdtrt_id: r.mdtrt_id,
    rx_id: o?.rx_id ?? '',
    hilist_code: o?.hilist_code ?? '',
    hilist_name: o?.hilist_name ?? o?.hosplist_name ?? '',
    hosplist_code: o?.hosplist_code ?? '',
    dept_codg: who.dept_codg ?? '',
    dept_name: who.dept_name ?? '',
    dr_codg: who.dr_codg ?? '',
    dr_name: who.dr_name ?? '',
    order_date: (o && e ? orderDate(o, e) : e?.adm_date) ?? '',
    med_mdtrt_type: e?.med_mdtrt_type ?? '',
    rulebook,
    details: r.judge_result_detail_dtos,
  };
}

/**
 * A batch audit wants every finding (each is money to recover): no per-rule cap on findings, which
 * the engine applies by default for live checks. Each finding still lists at most the engine's
 * default number of 涉及项, so a request costs time and memory linear in its orders.
 */
const BATCH_LIMITS = { maxFindingsPerRule: Infinity } as const;

/**
 * Judges one request. With one rulebook (or every order in one version's period) this is one
 * evaluation; otherwise one evaluation per version in which the other versions' orders are
 * history, so each order is reported only under the version in force on its date while window
 * rules still count every order.
 */
export function judgeRequest(books: RulebookSet, data: CheckData, options: JudgeOptions): JudgeOutcome {
  const list = books.versions ?? [];
  const versions = list.length > 1 || (list.length === 1 && list[0] !== books.active) ? list : undefined;
  const now = options.now ?? latestDate(data) ?? new Date();
  const findings: Finding[] = [];
  const errors: RuleErrorEntry[] = [];
  if (!versions) {
    const book = books.active;
    const out = evaluate(book, data, { now, phase: options.phase, scenes: options.scenes, idPrefix: options.idPrefix, withSources: true, ...BATCH_LIMITS });
    out.result.forEach((r, i) => findings.push(flatten(r, out.sources?.[i], book.digest)));
    return { findings, errors: out.errors };
  }
  const groups = new Map<CompiledRulebook, Set<OrderDto>>();
  for (const p of data.patient_dtos) {
    for (const e of p.fsi_encounter_dtos ?? []) {
      for (const o of e.fsi_order_dtos ?? []) {
        const book = pickRulebook(versions, orderDate(o, e), books.active)!;
        let g = groups.get(book);
        if (!g) groups.set(book, (g = new Set()));
        g.add(o);
      }
    }
  }
  if (groups.size === 0) groups.set(books.active, new Set());
  let i = 0;
  for (const [book, orders] of groups) {
    const input = groups.size === 1 ? data : onlyCurrent(data, orders);
    const prefix = groups.size === 1 ? options.idPrefix : `${options.idPrefix}v${i}-`;
    const out = evaluate(book, input, { now, phase: options.phase, scenes: options.scenes, idPrefix: prefix, withSources: true, ...BATCH_LIMITS });
    out.result.forEach((r, i) => findings.push(flatten(r, out.sources?.[i], book.digest)));
    errors.push(...out.errors);
    i++;
  }
  return { findings, errors };
}
