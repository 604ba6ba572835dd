const given = (v) => (v === undefined || v === null || v === '' ? undefined : v);
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
export function attributionOf(order, encounter) {
    let dept_codg, dept_name, dept_source;
    if (order && (given(order.drord_dept_codg) || given(order.drord_dept_name))) {
        dept_codg = given(order.drord_dept_codg);
        dept_name = given(order.drord_dept_name);
        dept_source = 'order';
    }
    else if (encounter && (given(encounter.dscg_dept_codg) || given(encounter.dscg_dept_name))) {
        dept_codg = given(encounter.dscg_dept_codg);
        dept_name = given(encounter.dscg_dept_name);
        dept_source = 'discharge';
    }
    else if (encounter && (given(encounter.adm_dept_codg) || given(encounter.adm_dept_name))) {
        dept_codg = given(encounter.adm_dept_codg);
        dept_name = given(encounter.adm_dept_name);
        dept_source = 'admission';
    }
    // The doctor is a pair too: the ordering doctor's code and name, or the encounter's code alone.
    const orderDoctor = order !== undefined && (given(order.drord_dr_codg) !== undefined || given(order.drord_dr_name) !== undefined);
    return {
        dept_codg, dept_name, dept_source,
        dr_codg: orderDoctor ? given(order.drord_dr_codg) : given(encounter?.dr_codg),
        dr_name: orderDoctor ? given(order.drord_dr_name) : undefined,
    };
}
//# sourceMappingURL=attribution.js.map