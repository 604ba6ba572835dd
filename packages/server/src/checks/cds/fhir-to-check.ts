/**
 * CDS Hooks order-sign / order-select → the national model: each draft MedicationRequest,
 * ServiceRequest (also DSTU2 MedicationOrder and DeviceRequest) whose coding carries a national
 * code becomes an order; others are skipped and counted. The patient comes from
 * `prefetch.patient`, the encounter type from `prefetch.encounter`.
 */
import type { CheckData, OrderDto } from '@preaudit/core-rules';
import { type Coding, findNationalCoding } from './national-code.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The result of mapping a hook request. */
export interface MappedHook {
  data: CheckData;
  /** Orders mapped (with a national code). */
  mapped: number;
  /** Draft resources skipped (no national code, or not an order type we read). */
  skipped: number;
  /** rx_id → FHIR reference (`MedicationRequest/abc`), for card suggestions. */
  references: Map<string, string>;
}

const ORDER_TYPES = new Set(['MedicationRequest', 'MedicationOrder', 'ServiceRequest', 'DeviceRequest']);

/** FHIR dateTime → `yyyy-MM-dd HH:mm:ss` / `yyyy-MM-dd` (the clock time as written), or undefined for partial dates. */
export function fhirDate(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?))?/.exec(v);
  if (!m) return undefined;
  if (!m[2]) return m[1];
  return `${m[1]} ${m[2].length === 5 ? `${m[2]}:00` : m[2]}`;
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function codings(resource: Json): Coding[] | undefined {
  const concept =
    (isObject(resource.medicationCodeableConcept) && resource.medicationCodeableConcept) ||
    (isObject(resource.medication) && isObject(resource.medication.concept) && resource.medication.concept) ||
    (isObject(resource.code) && resource.code) ||
    (isObject(resource.codeCodeableConcept) && resource.codeCodeableConcept) ||
    (isObject(resource.code) && isObject(resource.code.concept) && resource.code.concept);
  if (concept && Array.isArray(concept.coding)) return concept.coding as Coding[];
  // medicationReference to a contained Medication (#id).
  const ref = isObject(resource.medicationReference) ? str(resource.medicationReference.reference) : undefined;
  if (ref?.startsWith('#') && Array.isArray(resource.contained)) {
    const med = (resource.contained as unknown[]).find((c) => isObject(c) && c.id === ref.slice(1));
    if (isObject(med) && isObject(med.code) && Array.isArray(med.code.coding)) return med.code.coding as Coding[];
  }
  return undefined;
}

function period(resource: Json): { begin?: string; end?: string } {
  const dosage: unknown = Array.isArray(resource.dosageInstruction) ? resource.dosageInstruction[0] : undefined;
  const bounds = isObject(dosage) && isObject(dosage.timing) && isObject(dosage.timing.repeat) ? dosage.timing.repeat.boundsPeriod : undefined;
  const occ = isObject(resource.occurrencePeriod) ? resource.occurrencePeriod : undefined;
  const begin =
    fhirDate(isObject(bounds) ? bounds.start : undefined) ??
    fhirDate(resource.occurrenceDateTime) ??
    fhirDate(occ?.start) ??
    fhirDate(resource.authoredOn) ??
    fhirDate(resource.dateWritten);
  const end = fhirDate(isObject(bounds) ? bounds.end : undefined) ?? fhirDate(occ?.end);
  return { begin, end };
}

function quantity(resource: Json): number {
  const q =
    (isObject(resource.dispenseRequest) && isObject(resource.dispenseRequest.quantity) && resource.dispenseRequest.quantity.value) ||
    (isObject(resource.quantityQuantity) && resource.quantityQuantity.value) ||
    (isObject(resource.quantity) && resource.quantity.value) ||
    resource.quantityInteger;
  return typeof q === 'number' && Number.isFinite(q) && q > 0 ? q : 1;
}

function refId(ref: unknown): string | undefined {
  const r = isObject(ref) ? str(ref.reference) : undefined;
  return r ? r.split('/').pop() : undefined;
}

const GENDER = new Map<string, string>([
  ['male', '1'],
  ['female', '2'],
  ['other', '9'],
  ['unknown', '0'],
]);
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC', 'inpatient']);
const OUTPATIENT = new Set(['AMB', 'EMER', 'VR', 'HH', 'ambulatory', 'emergency']);

function encounterType(encounter: unknown): string | undefined {
  if (!isObject(encounter)) return undefined;
  const classes = Array.isArray(encounter.class) ? encounter.class : [encounter.class];
  for (const c of classes) {
    const codes = isObject(c) ? [str(c.code), ...(Array.isArray(c.coding) ? c.coding.map((x: unknown) => (isObject(x) ? str(x.code) : undefined)) : [])] : [];
    for (const code of codes) {
      if (code && INPATIENT.has(code)) return '2';
      if (code && OUTPATIENT.has(code)) return '1';
    }
  }
  return undefined;
}

/** Maps a hook request's context and prefetch; `hook` decides which drafts are current (order-select: the selections). */
export function mapHookRequest(body: Json, hook: 'order-sign' | 'order-select', now: Date): MappedHook {
  const context = isObject(body.context) ? body.context : {};
  const prefetch = isObject(body.prefetch) ? body.prefetch : {};
  const bundle = isObject(context.draftOrders) ? context.draftOrders : {};
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const selections = new Set(Array.isArray(context.selections) ? context.selections.filter((s): s is string => typeof s === 'string') : []);
  const patient = isObject(prefetch.patient) ? prefetch.patient : {};
  const encounter = isObject(prefetch.encounter) ? prefetch.encounter : undefined;
  const today = localDate(now);
  const doctor = str(context.userId)?.split('/').pop();
  const references = new Map<string, string>();
  const orders: OrderDto[] = [];
  let skipped = 0;
  entries.forEach((entry: unknown, i: number) => {
    const resource = isObject(entry) && isObject(entry.resource) ? entry.resource : undefined;
    const type = resource ? str(resource.resourceType) : undefined;
    if (!resource || !type || !ORDER_TYPES.has(type)) {
      skipped++;
      return;
    }
    const found = findNationalCoding(codings(resource));
    if (!found) {
      skipped++;
      return;
    }
    let rxId = str(resource.id) ?? `entry-${i}`;
    if (references.has(rxId)) rxId = `${rxId}-${i}`;
    const reference = `${type}/${str(resource.id) ?? rxId}`;
    references.set(rxId, reference);
    const { begin, end } = period(resource);
    const current = hook === 'order-sign' || selections.size === 0 || selections.has(reference);
    const hilistType = found.hilistType ?? (type === 'ServiceRequest' ? '201' : type === 'DeviceRequest' ? '301' : '101');
    orders.push({
      rx_id: rxId,
      hilist_code: found.coding.code!.trim(),
      hilist_name: found.coding.display,
      hilist_type: hilistType,
      cnt: quantity(resource),
      drord_begn_date: begin ?? today,
      ...(end ? { drord_stop_date: end } : {}),
      drord_dr_codg: refId(resource.requester) ?? refId(resource.orderer) ?? refId(resource.prescriber) ?? doctor,
      curr_drord_flag: current ? '1' : '0',
    });
  });
  const patientId = str(context.patientId) ?? str(patient.id) ?? 'unknown';
  const mdtrtId = str(context.encounterId) ?? str(encounter?.id) ?? `cds-${str(body.hookInstance) ?? 'encounter'}`;
  const medType = encounterType(encounter);
  const admDate = isObject(encounter?.period) ? fhirDate(encounter.period.start) : undefined;
  const data: CheckData = {
    task_id: str(body.hookInstance),
    patient_dtos: [
      {
        patn_id: patientId,
        ...(typeof patient.gender === 'string' && GENDER.has(patient.gender) ? { gend: GENDER.get(patient.gender) } : {}),
        ...(fhirDate(patient.birthDate) && String(patient.birthDate).length >= 10 ? { brdy: String(patient.birthDate).slice(0, 10) } : {}),
        curr_mdtrt_id: mdtrtId,
        fsi_encounter_dtos: [
          {
            mdtrt_id: mdtrtId,
            ...(medType ? { med_mdtrt_type: medType } : {}),
            ...(admDate ? { adm_date: admDate } : {}),
            ...(doctor ? { dr_codg: doctor } : {}),
            fsi_order_dtos: orders,
          },
        ],
      },
    ],
  };
  return { data, mapped: orders.length, skipped, references };
}
