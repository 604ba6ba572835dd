import type { EncounterDto, OrderDto, PatientDto } from './request.js';
import { dayOf, parseDateTime } from './dates.js';

/** A patient prepared once per request: parsed birth date and every order in time order. */
export interface PatientFact {
  dto: PatientDto;
  /** Birth date, wall-clock ms (NaN unknown). */
  birthMs: number;
  encounters: EncounterFact[];
  /** Every order of every encounter, sorted by begin time then rx_id. */
  orders: OrderFact[];
}

/**
 * An encounter with its parsed admission time. One encounter is one mdtrt_id: entries a HIS sent
 * separately for the same mdtrt_id are one fact, whose dto merges them (see mergeEntry).
 */
export interface EncounterFact {
  dto: EncounterDto;
  patient: PatientFact;
  /** Admission, wall-clock ms (NaN unknown). */
  admMs: number;
  orders: OrderFact[];
  /** How many of `orders` are current (an encounter with orders but none current is context only). */
  currentOrders: number;
  /** Its herbal prescriptions, grouped on first use (templates/prescription.ts). */
  herbPrescriptions: readonly OrderFact[][] | undefined;
}

/** An order with everything the templates compare, computed once. */
export interface OrderFact {
  dto: OrderDto;
  enc: EncounterFact;
  /** National code the rules match on. */
  code: string;
  /** Begin time (order date, else admission, else evaluation time), wall-clock ms. */
  beginMs: number;
  beginDay: number;
  /** Last day the order covers (its stop date's day, or its begin day). */
  stopDay: number;
  /** false for history orders (curr_drord_flag "0", 0 or false): they count but never offend. */
  current: boolean;
  /** Quantity (1 when missing). */
  cnt: number;
  /** Amount of the line: sumamt, else pric × cnt, else 0. */
  amount: number;
  /** Whether the amount came from the order's own figures. */
  amountKnown: boolean;
}

/**
 * Whether an order is current. `normalizeCheckData` has already refused any flag but 1/0 (and
 * their string and boolean forms); data given to `evaluate` without it is read the same way.
 */
function isCurrent(flag: unknown): boolean {
  return !(flag === '0' || flag === 0 || flag === false);
}

/**
 * Last day an order covers: its stop date's day, or its begin day when it has no stop date or
 * one before its begin (a stop that precedes the begin is a typo; the order was given that day).
 */
function lastDay(beginDay: number, stopMs: number): number {
  if (Number.isNaN(stopMs)) return beginDay;
  const stopDay = dayOf(stopMs);
  return stopDay < beginDay ? beginDay : stopDay;
}

const LISTS = ['fsi_diagnose_dtos', 'fsi_order_dtos', 'fsi_operation_dtos'] as const;

/**
 * Folds another entry of the same mdtrt_id into an encounter fact: its diagnoses, orders and
 * operations join the encounter's; a field the earlier entries left out is taken from it, one
 * they gave is kept. The result has no prototype, like the normalised input.
 */
function mergeEntry(fact: EncounterFact, entry: EncounterDto): void {
  const merged = Object.assign(Object.create(null) as EncounterDto, entry);
  const prev = fact.dto as unknown as Record<string, unknown>;
  for (const key of Object.keys(prev)) if (prev[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = prev[key];
  for (const key of LISTS) {
    const a = fact.dto[key] as unknown[] | undefined;
    const b = entry[key] as unknown[] | undefined;
    if (a && b) (merged as unknown as Record<string, unknown>)[key] = [...a, ...b];
  }
  fact.dto = merged;
  if (Number.isNaN(fact.admMs)) fact.admMs = parseDateTime(merged.adm_date);
}

function compareOrders(a: OrderFact, b: OrderFact): number {
  if (a.beginMs !== b.beginMs) return a.beginMs - b.beginMs;
  const ra = a.dto.rx_id,
    rb = b.dto.rx_id;
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/**
 * Sorts orders by {@link compareOrders}, stable. A request's orders are few and mostly in time
 * order already, where insertion sort is linear and allocates nothing (the built-in sort builds
 * a work array per call); long lists go to the built-in sort.
 */
function sortOrders(list: OrderFact[]): void {
  const n = list.length;
  if (n > 64) {
    list.sort(compareOrders);
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = list[i];
    let j = i - 1;
    if (compareOrders(list[j], x) <= 0) continue;
    while (j >= 0 && compareOrders(list[j], x) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
}

/**
 * The value of the previous date text parsed, so orders given at the same moment (a prescription's
 * lines share their time) parse it once. Per call of patientFacts; plain variables, no cache to grow.
 */
interface DateMemo {
  text: string | undefined;
  ms: number;
}

function parseMemo(memo: DateMemo, text: string | undefined): number {
  if (text === memo.text && text !== undefined) return memo.ms;
  memo.text = text;
  return (memo.ms = parseDateTime(text));
}

/** Builds the facts of one patient. `nowMs` stands in for missing dates. */
export function patientFacts(dto: PatientDto, nowMs: number): PatientFact {
  const patient: PatientFact = { dto, birthMs: parseDateTime(dto.brdy), encounters: [], orders: [] };
  const encs = dto.fsi_encounter_dtos;
  if (encs) {
    // Only a request with several entries can repeat a mdtrt_id.
    const byId = encs.length > 1 ? new Map<string, EncounterFact>() : undefined;
    for (let e = 0; e < encs.length; e++) {
      const encDto = encs[e];
      const entryAdmMs = parseDateTime(encDto.adm_date);
      let enc = byId?.get(encDto.mdtrt_id);
      if (enc) mergeEntry(enc, encDto);
      else {
        enc = { dto: encDto, patient, admMs: entryAdmMs, orders: [], currentOrders: 0, herbPrescriptions: undefined };
        patient.encounters.push(enc);
        byId?.set(encDto.mdtrt_id, enc);
      }
      const orders = encDto.fsi_order_dtos;
      if (!orders) continue;
      // An order without a date falls back on its own entry's admission.
      const fallback = Number.isNaN(entryAdmMs) ? (Number.isNaN(enc.admMs) ? nowMs : enc.admMs) : entryAdmMs;
      const memo: DateMemo = { text: undefined, ms: NaN };
      for (let o = 0; o < orders.length; o++) {
        const od = orders[o];
        let beginMs = parseMemo(memo, od.drord_begn_date);
        if (Number.isNaN(beginMs)) beginMs = fallback;
        const beginDay = dayOf(beginMs);
        const stopDay = lastDay(beginDay, parseDateTime(od.drord_stop_date));
        const cnt = od.cnt ?? 1;
        const amountKnown = od.sumamt !== undefined || od.pric !== undefined;
        const amount = od.sumamt ?? (od.pric !== undefined ? od.pric * cnt : 0);
        const current = isCurrent(od.curr_drord_flag);
        const fact: OrderFact = { dto: od, enc, code: od.hilist_code ?? '', beginMs, beginDay, stopDay, current, cnt, amount, amountKnown };
        if (current) enc.currentOrders++;
        enc.orders.push(fact);
        patient.orders.push(fact);
      }
    }
  }
  sortOrders(patient.orders);
  return patient;
}
