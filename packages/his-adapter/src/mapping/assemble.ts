/**
 * Assembling rows into national requests: one CheckData per patient, holding that patient's
 * encounters of the page with their diagnoses, orders and operations.
 */
import type { CheckData, EncounterDto, OrderDto, PatientDto } from '@preaudit/core-rules';
import { PATIENT_COLUMNS } from '../contract/view-contract.js';
import { compileRowMapper, type RowColumn } from './row-values.js';

/** Rows of one page, keyed by national column names. */
export interface PageRows {
  /** Encounter rows (with patient columns), ordered by patient then encounter. */
  encounters: Record<string, unknown>[];
  /** Diagnosis rows. */
  diagnoses: Record<string, unknown>[];
  /** Order rows. */
  orders: Record<string, unknown>[];
  /** Operation rows. */
  operations: Record<string, unknown>[];
}

/** Column specs of each view (what was selected). */
export interface PageColumns {
  /** Encounter view columns. */
  encounters: readonly RowColumn[];
  /** Diagnosis view columns. */
  diagnoses: readonly RowColumn[];
  /** Order view columns. */
  orders: readonly RowColumn[];
  /** Operation view columns. */
  operations: readonly RowColumn[];
}

const PATIENT_SET = new Set(PATIENT_COLUMNS);
const ENCOUNTER_ONLY = new Set(['updt_time']);
const CHILD_SKIP = new Set(['mdtrt_id']);

type Mapper = (row: Record<string, unknown>) => Record<string, unknown>;

function groupBy(rows: Record<string, unknown>[], map: Mapper): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const key = String(row.mdtrt_id);
    const mapped = map(row);
    const list = out.get(key);
    if (list) list.push(mapped);
    else out.set(key, [mapped]);
  }
  return out;
}

/** Turns the rows of a page into requests; compiled once per column layout. */
export type Assembler = (rows: PageRows) => CheckData[];

/**
 * Compiles an assembler for a source's columns: one request per patient (in the order patients
 * first appear). Encounter and patient columns come from the same row: the first encounter row
 * of a patient supplies the patient.
 */
export function createAssembler(columns: PageColumns): Assembler {
  // Child rows are rewritten in place (they are the bulk of a page); the key is read first.
  const mapDiagnose = compileRowMapper(columns.diagnoses, CHILD_SKIP, { inPlace: true });
  const mapOrder = compileRowMapper(columns.orders, CHILD_SKIP, { inPlace: true });
  const mapOperation = compileRowMapper(columns.operations, CHILD_SKIP, { inPlace: true });
  const mapPatient = compileRowMapper(columns.encounters.filter((c) => PATIENT_SET.has(c.national)));
  const mapEncounter = compileRowMapper(columns.encounters.filter((c) => !PATIENT_SET.has(c.national) && !ENCOUNTER_ONLY.has(c.national)));
  return (rows) => {
    const diagnoses = groupBy(rows.diagnoses, mapDiagnose);
    const orders = groupBy(rows.orders, mapOrder);
    const operations = groupBy(rows.operations, mapOperation);
    const patients = new Map<string, PatientDto>();
    for (const row of rows.encounters) {
      const patnId = String(row.patn_id);
      let patient = patients.get(patnId);
      if (!patient) {
        patient = mapPatient(row) as unknown as PatientDto;
        patient.patn_id = patnId;
        patient.fsi_encounter_dtos = [];
        patients.set(patnId, patient);
      }
      const encounter = mapEncounter(row) as unknown as EncounterDto;
      const id = String(row.mdtrt_id);
      encounter.mdtrt_id = id;
      encounter.fsi_diagnose_dtos = diagnoses.get(id) ?? [];
      encounter.fsi_order_dtos = (orders.get(id) ?? []) as unknown as OrderDto[];
      encounter.fsi_operation_dtos = operations.get(id) ?? [];
      patient.fsi_encounter_dtos!.push(encounter);
      patient.curr_mdtrt_id = id;
    }
    return [...patients.values()].map((p) => ({ patient_dtos: [p] }));
  };
}

/** One-off assembly (compiles the mappers each call; sources keep an assembler instead). */
export function assembleRequests(rows: PageRows, columns: PageColumns): CheckData[] {
  return createAssembler(columns)(rows);
}
