/**
 * What is stored for every check, and how a check becomes rows: the request's who/where
 * (hospital, department, doctor, masked patient), the findings (masked), timings, rulebook.
 * Rows are built once, on the request path, from the data and findings the check already holds
 * (`toStoredCheck`); the write-behind queue and the storage writer only ever see these flat rows.
 */
import {
  attributionOf,
  readText,
  type CheckData,
  type EncounterDto,
  type EvaluationResult,
  type FindingSource,
  type OrderDto,
  type PatientDto,
  type ResultDto,
  type SuppressedFinding,
} from '@preaudit/core-rules';
import { deidentifiedJson, maskFindings, maskId, patientNames } from './masking.js';
import type { TableBatch } from '../platform/storage/table-batch.js';

/** Entry channels. */
export type Channel = 'nhsa' | 'v1' | 'cds' | 'soap';

/** One check as the request path hands it to the store (turned into rows at once, then dropped). */
export interface CheckRecord {
  checkId: string;
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
  /** Engine time, ms. */
  anaDura: number;
  /** `id@version` of the rulebook used. */
  rulebook: string;
  /** Findings the hospital's layer suppressed (exemptions): not shown, stored with their exemption id. */
  suppressed?: readonly SuppressedFinding[];
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
  /** The exemption that suppressed the finding (not shown to the doctor); null for a shown finding. */
  exemption_id: string | null;
}

/** Columns of `checks`, in insert order. */
const CHECK_COLUMNS: Array<keyof CheckRow> = [
  'check_id',
  'time',
  'channel',
  'infno',
  'msgid',
  'task_id',
  'scene',
  'phase',
  'hospital',
  'department',
  'doctor',
  'patient',
  'orders',
  'findings_count',
  'findings',
  'errors',
  'ana_dura',
  'rulebook',
  'request',
];

/** Columns of `findings`, in insert order. */
const FINDING_COLUMNS: Array<keyof FindingRow> = [
  'jr_id',
  'check_id',
  'time',
  'rule_id',
  'rule_name',
  'sev_deg',
  'rx_id',
  'hilist_code',
  'vola_amt',
  'hospital',
  'department',
  'doctor',
  'actor',
  'exemption_id',
];

/**
 * A check as it waits to be written: its `checks` row with its `findings` rows beside it. Flat
 * rows of strings and numbers only: cheap to hold, to clone to the writer thread, and readable
 * as they are in the quarantine file.
 */
export type StoredCheck = CheckRow & { finding_rows: FindingRow[] };

/** Stored checks as table batches (ON CONFLICT DO NOTHING: a batch retried after a failure mid-commit must not poison the queue). */
export function checkBatches(stored: readonly StoredCheck[]): [TableBatch<CheckRow>, TableBatch<FindingRow>] {
  const findings: FindingRow[] = [];
  for (const c of stored) for (const f of c.finding_rows) findings.push(f);
  return [
    { table: 'checks', columns: CHECK_COLUMNS, rows: stored, onConflict: { key: 'check_id', action: 'ignore' } },
    { table: 'findings', columns: FINDING_COLUMNS, rows: findings, onConflict: { key: 'jr_id', action: 'ignore' } },
  ];
}

/** The encounter being checked: the patient's `curr_mdtrt_id`, else the first. */
function currentEncounter(patient: PatientDto | undefined): EncounterDto | undefined {
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

const s = (v: unknown, n = 64): string | null => (v === undefined || v === null || v === '' ? null : readText(v).slice(0, n));

/**
 * Turns a check into its `checks` row and `findings` rows, from the normalised data and the
 * findings the request path holds (nothing is parsed or normalised again).
 * Each finding's offending order and encounter come from `evaluate`'s sources (aligned with
 * `result[]`, references into the request), and its department and doctor from core-rules'
 * `attributionOf`, as on the batch path: one order is filed under one department everywhere.
 */
export function toStoredCheck(rec: CheckRecord, storeRequest: boolean): StoredCheck {
  const { check, findings } = toRows(rec, storeRequest);
  return Object.assign(check, { finding_rows: findings });
}

/** Turns a check into its `checks` row and `findings` rows. */
function toRows(rec: CheckRecord, storeRequest: boolean): { check: CheckRow; findings: FindingRow[] } {
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
    request: storeRequest ? deidentifiedJson(rec.data) : null,
  };
  const sources = rec.evaluation.sources;
  const findingRow = (r: ResultDto, source: FindingSource | undefined, exemptionId: string | null): FindingRow => {
    // The offending order (违规项); undefined for a finding about the encounter as a whole.
    const order = source?.order;
    const encounter = source?.encounter;
    // One precedence for every door (core-rules' attributionOf): the batch files this order under the same department.
    const filed = encounter ? attributionOf(order, encounter) : undefined;
    return {
      jr_id: r.jr_id,
      check_id: rec.checkId,
      time,
      rule_id: r.rule_id,
      rule_name: r.rule_name.slice(0, 200),
      sev_deg: s(r.sev_deg, 2),
      rx_id: s(order?.rx_id),
      hilist_code: s(order?.hilist_code),
      vola_amt: typeof r.vola_amt === 'number' && Number.isFinite(r.vola_amt) ? r.vola_amt : null,
      hospital,
      department: filed ? s(filed.dept_codg) : department,
      doctor: filed ? s(filed.dr_codg) : doctor,
      actor: s(rec.actor, 80),
      exemption_id: exemptionId,
    };
  };
  const findings = results.map((r, i) => findingRow(r, sources?.[i], null));
  if (rec.suppressed) for (const x of rec.suppressed) findings.push(findingRow(x.finding, x.source, x.exemption_id.slice(0, 40)));
  return { check, findings };
}
