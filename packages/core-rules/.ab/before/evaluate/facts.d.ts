import type { EncounterDto, OrderDto, PatientDto } from '../model/request.js';
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
/** Builds the facts of one patient. `nowMs` stands in for missing dates. */
export declare function patientFacts(dto: PatientDto, nowMs: number): PatientFact;
//# sourceMappingURL=facts.d.ts.map