/**
 * Whose finding is it: the department and doctor a finding is filed under, decided in one place
 * for every door (real-time checks, batch audits, reports), so one order is never counted under
 * two departments.
 */
import type { EncounterDto, OrderDto } from './request.js';

/** Where the department came from. */
export type DepartmentSource = 'order' | 'discharge' | 'admission';

/** The department and doctor of a finding; a field is undefined when the request does not say. */
export interface Attribution {
  /** 科室标识 Department code. */
  dept_codg: string | undefined;
  /** 科室名称 Department name (always from the same record as the code). */
  dept_name: string | undefined;
  /** Which record named the department; undefined when none did. */
  dept_source: DepartmentSource | undefined;
  /** 医师标识 Doctor code: the ordering doctor, else the encounter's attending doctor. */
  dr_codg: string | undefined;
  /** 医师姓名 Doctor name: the ordering doctor's; undefined when the doctor came from the encounter. */
  dr_name: string | undefined;
}

const given = (v: string | undefined): string | undefined => (v === undefined || v === null || v === '' ? undefined : v);

/**
 * Decides a finding's department and doctor from its offending order and encounter (what
 * `evaluate` hands out in `sources` with `withSources`).
 *
 * Department precedence: the order's own department (`drord_dept_codg`/`_name`: the one that
 * gave the order and answers for it), then the encounter's discharge department
 * (`dscg_dept_codg`), then its admission department (`adm_dept_codg`). Discharge comes before
 * admission because after a transfer the discharging department holds the stay and its
 * settlement (the hospital's insurance office counts a stay there); before discharge a HIS sends
 * no discharge department, so a real-time check falls back to admission by itself and every door
 * files one order under the same department. Code and name are taken as a pair from the first
 * record that names either, never mixed across records.
 *
 * Doctor: the ordering doctor (`drord_dr_codg`/`drord_dr_name`, as a pair), else the encounter's
 * attending doctor `dr_codg` (the encounter carries no doctor name).
 */
export function attributionOf(order: OrderDto | undefined, encounter: EncounterDto | undefined): Attribution {
  let dept_codg: string | undefined, dept_name: string | undefined, dept_source: DepartmentSource | undefined;
  if (order && (given(order.drord_dept_codg) || given(order.drord_dept_name))) {
    dept_codg = given(order.drord_dept_codg);
    dept_name = given(order.drord_dept_name);
    dept_source = 'order';
  } else if (encounter && (given(encounter.dscg_dept_codg) || given(encounter.dscg_dept_name))) {
    dept_codg = given(encounter.dscg_dept_codg);
    dept_name = given(encounter.dscg_dept_name);
    dept_source = 'discharge';
  } else if (encounter && (given(encounter.adm_dept_codg) || given(encounter.adm_dept_name))) {
    dept_codg = given(encounter.adm_dept_codg);
    dept_name = given(encounter.adm_dept_name);
    dept_source = 'admission';
  }
  // The doctor is a pair too: the ordering doctor's code and name, or the encounter's code alone.
  const orderDoctor = order !== undefined && (given(order.drord_dr_codg) !== undefined || given(order.drord_dr_name) !== undefined);
  return {
    dept_codg,
    dept_name,
    dept_source,
    dr_codg: orderDoctor ? given(order.drord_dr_codg) : given(encounter?.dr_codg),
    dr_name: orderDoctor ? given(order.drord_dr_name) : undefined,
  };
}
