/**
 * Volume figures for reports, gathered while auditing (the HIS is read once): encounters,
 * orders and fees per department, per doctor and in total. Pages partition encounters, so
 * figures of pages simply add up.
 */
import { attributionOf, type CheckData } from '@preaudit/core-rules';

/** The dimensions figures are kept for. */
export type StatDim = 'total' | 'dept' | 'doctor';

/** Volume of one department, doctor, or the total. */
export interface StatRow {
  /** Dimension. */
  dim: StatDim;
  /** Department or doctor code ('' for the total). */
  key: string;
  /** Name (first seen). */
  name: string;
  /** For doctors: their department's name (first seen). */
  parent: string;
  /** Encounters with at least one order from this department/doctor. */
  encounters: number;
  /** Order lines. */
  orders: number;
  /** Sum of the order lines' amounts (sumamt, else cnt × pric). */
  fee: number;
}

function amount(o: { sumamt?: number; cnt?: number; pric?: number }): number {
  if (typeof o.sumamt === 'number') return o.sumamt;
  if (typeof o.cnt === 'number' && typeof o.pric === 'number') return o.cnt * o.pric;
  return 0;
}

/** Accumulates figures; `rows()` lists them. */
export class StatsCollector {
  private readonly maps: Record<StatDim, Map<string, StatRow>> = { total: new Map(), dept: new Map(), doctor: new Map() };

  private row(dim: StatDim, key: string, name: string, parent: string): StatRow {
    const map = this.maps[dim];
    let r = map.get(key);
    if (!r) map.set(key, (r = { dim, key, name, parent, encounters: 0, orders: 0, fee: 0 }));
    else {
      if (!r.name && name) r.name = name;
      if (!r.parent && parent) r.parent = parent;
    }
    return r;
  }

  /** Adds every encounter and order of these requests. */
  addRequests(requests: readonly CheckData[]): void {
    const total = this.row('total', '', '合计', '');
    for (const data of requests) {
      for (const p of data.patient_dtos) {
        for (const e of p.fsi_encounter_dtos ?? []) {
          total.encounters++;
          // An encounter counts once per department and doctor it has orders from.
          const counted: StatRow[] = [];
          let lastDept: StatRow | undefined;
          let lastDoctor: StatRow | undefined;
          for (const o of e.fsi_order_dtos ?? []) {
            const fee = amount(o);
            total.orders++;
            total.fee += fee;
            // The same department and doctor a finding about this order is filed under.
            const who = attributionOf(o, e);
            const deptName = who.dept_name ?? '';
            const dept = this.row('dept', who.dept_codg ?? '', deptName, '');
            const doctor = this.row('doctor', who.dr_codg ?? '', who.dr_name ?? '', deptName);
            dept.orders++;
            dept.fee += fee;
            doctor.orders++;
            doctor.fee += fee;
            if (dept !== lastDept) {
              if (!counted.includes(dept)) {
                counted.push(dept);
                dept.encounters++;
              }
              lastDept = dept;
            }
            if (doctor !== lastDoctor) {
              if (!counted.includes(doctor)) {
                counted.push(doctor);
                doctor.encounters++;
              }
              lastDoctor = doctor;
            }
          }
        }
      }
    }
  }

  /** Adds rows gathered elsewhere (stored pages of a job). */
  addRows(rows: Iterable<StatRow>): void {
    for (const s of rows) {
      const r = this.row(s.dim, s.key, s.name, s.parent);
      r.encounters += s.encounters;
      r.orders += s.orders;
      r.fee += s.fee;
    }
  }

  /** The figures. */
  rows(): StatRow[] {
    return [...this.maps.total.values(), ...this.maps.dept.values(), ...this.maps.doctor.values()];
  }
}
