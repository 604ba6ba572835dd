/**
 * What is stored for every check, and how a check becomes rows: the request's who/where
 * (hospital, department, doctor, masked patient), the findings (masked), timings, rulebook.
 * Rows are built at write time, off the request path.
 */
import { attributionOf, normalizeCheckData, type CheckData, type EncounterDto, type EvaluationResult, type OrderDto, type PatientDto, type ResultDto } from '@preaudit/core-rules';
import { deidentify, maskFindings, maskId, patientNames } from './masking.js';
import type { TableBatch } from '../platform/storage/table-batch.js';

/** Entry channels. */
export type Channel = 'nhsa' | 'v1' | 'cds' | 'soap';

/**
 * The request's JSON bytes as received (UTF-8) and where the checked data sits in it
 * (`['input', 'data']` in an envelope, `[]` for /v1/check). The writer thread rebuilds `data`
 * from them (parse + normalise, deterministic), which costs the request path a byte copy
 * instead of a structured clone of the whole object tree.
 */
export interface RawRequest {
  bytes: Uint8Array;
  path: string[];
}

/** One check as the request path hands it to the store. */
export interface CheckRecord {
  checkId: string;
  /** The received JSON, when there is one; `data` is then dropped while the record waits (rebuilt by `recordData`). */
  raw?: RawRequest;
  time: Date;
  channel: Channel;
  infno: string | null;
  msgid: string | null;
  hospital: string | null;
  /** The caller (role and key digest, as in the trail): only it may dispose of the check's warnings (3103). */
  actor: string;
  scene: string | null;
  phase: string | null;
  data: CheckData;
  evaluation: EvaluationResult;
  /**
   * `evaluation.result` as JSON. Messages to the writer thread carry this text instead of the
   * result objects (a string copies far faster than a structured clone of the objects).
   */
  resultJson?: string;
  /** Engine time, ms. */
  anaDura: number;
  /** `id@version` of the rulebook used. */
  rulebook: string;
}

/** A `checks` row. */
export interface CheckRow {
  check_id: string;
  time: string;
  channel: string;
  infno: string | null;
  msgid: string | null;
  task_id: string | null;
  scene: string | null;
  phase: string | null;
  hospital: string | null;
  department: string | null;
  doctor: string | null;
  patient: string | null;
  orders: number;
  findings_count: number;
  findings: string;
  errors: string | null;
  ana_dura: number;
  rulebook: string;
  request: string | null;
}

/** A `findings` row. */
export interface FindingRow {
  jr_id: string;
  check_id: string;
  time: string;
  rule_id: string;
  rule_name: string;
  sev_deg: string | null;
  rx_id: string | null;
  hilist_code: string | null;
  vola_amt: number | null;
  hospital: string | null;
  department: string | null;
  doctor: string | null;
  /** The caller whose check produced the finding (owner of its disposition). */
  actor: string | null;
}

/** Columns of `checks`, in insert order. */
export const CHECK_COLUMNS: Array<keyof CheckRow> = [
  'check_id', 'time', 'channel', 'infno', 'msgid', 'task_id', 'scene', 'phase', 'hospital', 'department', 'doctor',
  'patient', 'orders', 'findings_count', 'findings', 'errors', 'ana_dura', 'rulebook', 'request',
];

/** Columns of `findings`, in insert order. */
export const FINDING_COLUMNS: Array<keyof FindingRow> = [
  'jr_id', 'check_id', 'time', 'rule_id', 'rule_name', 'sev_deg', 'rx_id', 'hilist_code', 'vola_amt', 'hospital', 'department', 'doctor', 'actor',
];

const decoder = new TextDecoder();

/**
 * `data` of a record that travelled as raw JSON only: the same parse and normalisation as the
 * request path (deterministic). Should it not read now, the check is still stored, without its request.
 */
export function recordData(rec: CheckRecord): CheckData {
  if (rec.data || !rec.raw) return rec.data;
  let node: unknown = JSON.parse(decoder.decode(rec.raw.bytes));
  for (const key of rec.raw.path) node = (node as Record<string, unknown> | undefined)?.[key];
  const normalized = normalizeCheckData(node);
  return normalized.ok ? normalized.value : { patient_dtos: [] };
}

/** `evaluation.result` of a record that travelled as JSON text only. */
export function recordResults(rec: CheckRecord): ResultDto[] {
  return rec.evaluation.result ?? (rec.resultJson ? (JSON.parse(rec.resultJson) as ResultDto[]) : []);
}

/** Check records as table batches (ON CONFLICT DO NOTHING: a batch retried after a failure mid-commit must not poison the queue). */
export function checkBatches(records: readonly CheckRecord[], storeRequests: boolean): [TableBatch<CheckRow>, TableBatch<FindingRow>] {
  const checks: CheckRow[] = [];
  const findings: FindingRow[] = [];
  for (const rec of records) {
    const full = rec.data && rec.evaluation.result ? rec : { ...rec, data: recordData(rec), evaluation: { ...rec.evaluation, result: recordResults(rec) } };
    const rows = toRows(full, storeRequests);
    checks.push(rows.check);
    for (const f of rows.findings) findings.push(f);
  }
  return [
    { table: 'checks', columns: CHECK_COLUMNS, rows: checks, onConflict: { key: 'check_id', action: 'ignore' } },
    { table: 'findings', columns: FINDING_COLUMNS, rows: findings, onConflict: { key: 'jr_id', action: 'ignore' } },
  ];
}

/** The encounter being checked: the patient's `curr_mdtrt_id`, else the first. */
export function currentEncounter(patient: PatientDto | undefined): EncounterDto | undefined {
  const encounters = patient?.fsi_encounter_dtos ?? [];
  if (patient?.curr_mdtrt_id) {
    const found = encounters.find((e) => e.mdtrt_id === patient.curr_mdtrt_id);
    if (found) return found;
  }
  return encounters[0];
}

function isCurrent(o: OrderDto): boolean {
  return o.curr_drord_flag === undefined || o.curr_drord_flag === null || String(o.curr_drord_flag) !== '0';
}

interface Sources {
  /** Each order with its encounter, by rx_id. */
  orders: Map<string, { order: OrderDto; encounter: EncounterDto }>;
  /** Each encounter by mdtrt_id (the first sent), for findings about an encounter as a whole. */
  encounters: Map<string, EncounterDto>;
}

/** What each finding is about, looked up again (the record travelled without `evaluate`'s sources). */
function sourcesIndex(data: CheckData): Sources {
  const orders = new Map<string, { order: OrderDto; encounter: EncounterDto }>();
  const encounters = new Map<string, EncounterDto>();
  for (const p of data.patient_dtos) {
    for (const e of p.fsi_encounter_dtos ?? []) {
      if (!encounters.has(e.mdtrt_id)) encounters.set(e.mdtrt_id, e);
      for (const o of e.fsi_order_dtos ?? []) orders.set(o.rx_id, { order: o, encounter: e });
    }
  }
  return { orders, encounters };
}

const s = (v: unknown, n = 64): string | null => (v === undefined || v === null || v === '' ? null : String(v).slice(0, n));

/** Turns a check into its `checks` row and `findings` rows. */
export function toRows(rec: CheckRecord, storeRequest: boolean): { check: CheckRow; findings: FindingRow[] } {
  const patient = rec.data.patient_dtos[0];
  const encounter = currentEncounter(patient);
  const orders = encounter?.fsi_order_dtos ?? [];
  const firstCurrent = orders.find(isCurrent);
  let orderCount = 0;
  for (const p of rec.data.patient_dtos) for (const e of p.fsi_encounter_dtos ?? []) orderCount += e.fsi_order_dtos?.length ?? 0;
  const time = rec.time.toISOString();
  const hospital = s(rec.hospital ?? encounter?.medins_id);
  const who = attributionOf(firstCurrent, encounter);
  const department = s(who.dept_codg);
  const doctor = s(who.dr_codg);
  const names = patientNames(rec.data);
  const results = rec.evaluation.result;
  const check: CheckRow = {
    check_id: rec.checkId,
    time,
    channel: rec.channel,
    infno: s(rec.infno, 8),
    msgid: s(rec.msgid),
    task_id: s(rec.data.task_id),
    scene: s(rec.scene ?? rec.data.trig_scen, 32),
    phase: s(rec.phase, 8),
    hospital,
    department,
    doctor,
    patient: patient ? s(maskId(patient.patn_id)) : null,
    orders: orderCount,
    findings_count: results.length,
    findings: JSON.stringify(maskFindings(results, names)),
    errors: rec.evaluation.errors.length > 0 ? JSON.stringify(rec.evaluation.errors) : null,
    ana_dura: rec.anaDura,
    rulebook: rec.rulebook.slice(0, 120),
    request: storeRequest ? JSON.stringify(deidentify(rec.data)) : null,
  };
  const index = results.length > 0 ? sourcesIndex(rec.data) : undefined;
  const findings = results.map((r): FindingRow => {
    // Only a 违规项 names the offending order; a finding about the encounter as a whole lists 涉及项 only.
    const offending = r.judge_result_detail_dtos.find((d) => d.vola_item_type === '1');
    const ref = offending ? index?.orders.get(offending.rx_id) : undefined;
    const order = ref?.order;
    const encounter = ref?.encounter ?? index?.encounters.get(r.mdtrt_id);
    // One precedence for every door (core-rules' attributionOf): the batch files this order under the same department.
    const filed = encounter ? attributionOf(order, encounter) : undefined;
    return {
      jr_id: r.jr_id,
      check_id: rec.checkId,
      time,
      rule_id: r.rule_id,
      rule_name: r.rule_name.slice(0, 200),
      sev_deg: s(r.sev_deg, 2),
      rx_id: s(offending?.rx_id),
      hilist_code: s(order?.hilist_code),
      vola_amt: typeof r.vola_amt === 'number' && Number.isFinite(r.vola_amt) ? r.vola_amt : null,
      hospital,
      department: filed ? s(filed.dept_codg) : department,
      doctor: filed ? s(filed.dr_codg) : doctor,
      actor: s(rec.actor, 80),
    };
  });
  return { check, findings };
}
