/**
 * A seeded generator of a hospital's HIS data: departments, doctors, patients of all ages and
 * both sexes, outpatient and inpatient encounters over months with diagnoses, operations and
 * order lines priced from the catalog. National limits (sex, age, insurance, visit type,
 * hospital tier, payable days, daily counts, duplicate billing, surgery discounts) are broken
 * at a configurable rate, the way real claims break them: rarely, and not on purpose.
 * Rows use the national column names; the writer puts them in tables behind contract views.
 */
import { loadCatalog, type Catalog, type CatalogItem } from './catalog.js';
import { Prng } from './prng.js';
import { DEPARTMENTS, GIVEN, INSUTYPES, OPERATIONS, SURNAMES, TITLES, type Department } from './reference-data.js';

/** Options of the generator. */
export interface GenerateOptions {
  /** Seed; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Order lines to generate (the generator stops at the first encounter reaching it). Default 2,000. */
  orderLines?: number;
  /** First day of the period (yyyy-MM-dd). Default 2025-01-01. */
  from?: string;
  /** Months covered. Default 3. */
  months?: number;
  /** How often a limited item is used against its limit. Default 0.05. */
  violationRate?: number;
  /** Share of order lines that carry the national code (the rest only the hospital code). Default 0.5. */
  nationalCodeShare?: number;
  /** Share of hospital codes without a 对照 entry. Default 0.02. */
  unmappedShare?: number;
  /** Hospital level (medins_lv). Default 05 二级甲等. */
  medinsLv?: string;
  /** Rulebook folder whose national knowledge tables supply the limited codes. Default: the bundled national rulebook (@preaudit/nhsa-liangku). */
  rulebookDir?: string;
}

/** A generated row, keyed by national column names. */
export type Row = Record<string, string | number | null>;

/** The rows of one encounter. */
export interface EncounterRows {
  encounter: Row;
  diagnoses: Row[];
  orders: Row[];
  operations: Row[];
}

/** Rows that do not depend on encounters. */
export interface ReferenceRows {
  departments: Row[];
  doctors: Row[];
  patients: Row[];
  codeMap: Row[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MS_DAY = 86_400_000;

/** Wall-clock text of a zone-free millisecond count. */
function text(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
const day = (ms: number) => text(ms).slice(0, 10);
const money = (n: number) => Math.round(n * 100) / 100;

function tierOf(lv: string): number {
  if (['01', '02', '03', '04', '12'].includes(lv)) return 3;
  if (['05', '06', '07', '13'].includes(lv)) return 2;
  if (['08', '09', '10', '14'].includes(lv)) return 1;
  return 0;
}

interface Patient {
  row: Row;
  sex: string;
  birthMs: number;
  insutype: string;
}
interface Doctor {
  code: string;
  name: string;
  title: string;
}

/** The generator: call `reference()` once, then iterate `encounters()`. */
export class HisGenerator {
  readonly catalog: Catalog;
  private readonly rng: Prng;
  private readonly opts: Required<Omit<GenerateOptions, 'rulebookDir'>>;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly tier: number;
  private readonly doctors = new Map<string, Doctor[]>();
  private readonly patients: Patient[] = [];
  private readonly unmapped = new Set<string>();
  /** Days each patient spends in hospital: nobody is admitted twice at once. */
  private readonly stays = new Map<Patient, Array<[number, number]>>();
  private pools: { children: Patient[]; women: Patient[]; adults: Patient[]; all: Patient[] } = { children: [], women: [], adults: [], all: [] };

  constructor(options: GenerateOptions = {}) {
    this.opts = {
      seed: options.seed ?? 1,
      orderLines: options.orderLines ?? 2000,
      from: options.from ?? '2025-01-01',
      months: options.months ?? 3,
      violationRate: options.violationRate ?? 0.05,
      nationalCodeShare: options.nationalCodeShare ?? 0.5,
      unmappedShare: options.unmappedShare ?? 0.02,
      medinsLv: options.medinsLv ?? '05',
    };
    this.catalog = loadCatalog(options.rulebookDir);
    this.rng = new Prng(this.opts.seed);
    const [y, m, d] = this.opts.from.split('-').map(Number);
    this.startMs = Date.UTC(y, m - 1, d);
    this.endMs = Date.UTC(y, m - 1 + this.opts.months, d);
    this.tier = tierOf(this.opts.medinsLv);
  }

  /** The period generated: [from, to] as yyyy-MM-dd, inclusive. */
  get period(): { from: string; to: string } {
    return { from: day(this.startMs), to: day(this.endMs - MS_DAY) };
  }

  private name(): string {
    const r = this.rng;
    return r.skewed(SURNAMES, 1.3) + r.pick(GIVEN) + (r.chance(0.7) ? r.pick(GIVEN) : '');
  }

  /** Departments, doctors, patients and the 对照 table. */
  reference(): ReferenceRows {
    const r = this.rng;
    const departments: Row[] = DEPARTMENTS.map((d) => ({ dept_codg: d.code, dept_name: d.name }));
    const doctors: Row[] = [];
    let dr = 0;
    for (const d of DEPARTMENTS) {
      const list: Doctor[] = [];
      for (let i = r.int(4, 9); i > 0; i--) {
        const doc = { code: `D${pad(++dr, 4)}`, name: this.name(), title: r.weighted(TITLES) };
        list.push(doc);
        doctors.push({ dr_codg: doc.code, dr_name: doc.name, dept_codg: d.code, dr_profttl: doc.title });
      }
      this.doctors.set(d.code, list);
    }
    // About 3.3 encounters per patient over the period, and at least a handful of patients.
    const count = Math.max(30, Math.ceil(this.opts.orderLines / 20 / 3.3));
    for (let i = 1; i <= count; i++) {
      const age = r.weighted<[number, number]>([
        [[0, 17], 0.16],
        [[18, 59], 0.54],
        [[60, 95], 0.3],
      ]);
      const years = r.int(age[0], age[1]);
      const birthMs = this.startMs - years * 365.25 * MS_DAY - r.int(0, 364) * MS_DAY;
      const sex = r.chance(0.005) ? r.pick(['0', '9']) : r.chance(0.5) ? '1' : '2';
      const insutype = r.weighted(INSUTYPES);
      const row: Row = { patn_id: `P${pad(i, 7)}`, patn_name: this.name(), gend: sex, brdy: day(birthMs), poolarea: '430100', insutype };
      const p = { row, sex, birthMs, insutype };
      this.patients.push(p);
      this.pools.all.push(p);
      if (years < 18) this.pools.children.push(p);
      else {
        this.pools.adults.push(p);
        if (sex === '2' && years <= 50) this.pools.women.push(p);
      }
    }
    // Frequent patients are drawn from the front of each pool; shuffle so they are not also the
    // lowest patient ids (which would pile the busiest patients into the first pages).
    for (const pool of Object.values(this.pools)) {
      for (let i = pool.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
    }
    for (const item of this.catalog.all) {
      if (r.chance(this.opts.unmappedShare)) this.unmapped.add(item.hospCode);
    }
    const codeMap: Row[] = this.catalog.all
      .filter((i) => !this.unmapped.has(i.hospCode))
      .map((i) => ({ hosplist_code: i.hospCode, hosplist_name: i.name, hilist_code: i.code, hilist_name: i.name }));
    return { departments, doctors, patients: this.patients.map((p) => p.row), codeMap };
  }

  private ageAt(p: Patient, ms: number): number {
    return Math.floor((ms - p.birthMs) / (365.25 * MS_DAY));
  }

  /** Whether an item respects its national limits for this patient and encounter. */
  private fits(item: CatalogItem, p: Patient, atMs: number, inpatient: boolean, insutype: string, days: number): boolean {
    const t = item.tags;
    if (t.sex && (p.sex === '1' || p.sex === '2') && p.sex !== t.sex) return false;
    if (t.children && this.ageAt(p, atMs) >= 18) return false;
    if (t.ageLimit && this.ageAt(p, atMs) >= 60) return false;
    if (t.insurance === 'injury') return false;
    if (t.insurance === 'maternity' && insutype !== '510') return false;
    if (t.inpatientOnly && !inpatient) return false;
    if (t.minTier && this.tier < t.minTier) return false;
    if (t.maxDays && days > t.maxDays) return false;
    return true;
  }

  /** Draws an item from a pool; one that breaks a limit is kept only at the violation rate. */
  private draw(pool: CatalogItem[], fallback: CatalogItem[], p: Patient, atMs: number, inpatient: boolean, insutype: string, days: number): CatalogItem {
    if (this.rng.chance(this.opts.violationRate)) return this.rng.pick(pool);
    for (let i = 0; i < 6; i++) {
      const item = this.rng.pick(pool);
      if (this.fits(item, p, atMs, inpatient, insutype, days)) return item;
    }
    return this.rng.pick(fallback);
  }

  private patientFor(dept: Department): Patient {
    const pool = dept.patients === 'children' ? this.pools.children : dept.patients === 'women' ? this.pools.women : dept.patients === 'adults' ? this.pools.adults : this.pools.all;
    return this.rng.skewed(pool.length ? pool : this.pools.all);
  }

  /** Encounters until the order-line target is reached. */
  *encounters(): Generator<EncounterRows> {
    if (this.patients.length === 0) this.reference();
    const r = this.rng;
    const spanDays = Math.round((this.endMs - this.startMs) / MS_DAY);
    let lines = 0;
    let seq = 0;
    while (lines < this.opts.orderLines) {
      const dept = r.pick(DEPARTMENTS);
      const patient = this.patientFor(dept);
      const inpatient = r.chance(dept.inpatientShare);
      const id = `${inpatient ? 'ZY' : 'MZ'}${pad(++seq, 8)}`;
      const rows = inpatient ? this.inpatient(id, dept, patient, spanDays) : this.outpatient(id, dept, patient, spanDays);
      lines += rows.orders.length;
      yield rows;
    }
  }

  private encounterRow(id: string, dept: Department, p: Patient, doctor: Doctor, admMs: number, dscgMs: number | null, inpatient: boolean, insutype: string): Row {
    const [diseCode, diseName] = this.rng.pick(dept.diagnoses);
    return {
      mdtrt_id: id,
      patn_id: p.row.patn_id,
      medins_id: 'H43010200001',
      medins_name: '示例市第一人民医院',
      medins_admdvs: '430102',
      medins_type: '1',
      medins_lv: this.opts.medinsLv,
      wardarea_codg: inpatient ? `W${dept.code}` : null,
      wardno: inpatient ? String(this.rng.int(1, 40)) : null,
      bedno: inpatient ? String(this.rng.int(1, 60)) : null,
      adm_date: text(admMs),
      dscg_date: dscgMs === null ? null : text(dscgMs),
      dscg_main_dise_codg: diseCode,
      dscg_main_dise_name: diseName,
      dr_codg: doctor.code,
      adm_dept_codg: dept.code,
      adm_dept_name: dept.name,
      dscg_dept_codg: dept.code,
      dscg_dept_name: dept.name,
      med_mdtrt_type: inpatient ? '2' : '1',
      med_type: inpatient ? (this.rng.chance(0.05) ? '28' : '21') : dept.code === 'G01' ? '13' : this.rng.chance(0.06) ? '140104' : '11',
      matn_stas: dept.code === 'C02' ? '1' : '0',
      medfee_sumamt: 0,
      ownpay_amt: 0,
      selfpay_amt: 0,
      acct_payamt: 0,
      ma_amt: 0,
      hifp_payamt: 0,
      setl_totlnum: 1,
      insutype,
      reim_flag: '0',
      out_setl_flag: '0',
      updt_time: null,
    };
  }

  private orderRow(mdtrtId: string, n: number, item: CatalogItem, dept: Department, doctor: Doctor, beginMs: number, stopMs: number, cnt: number, pric: number, longTerm: boolean): Row {
    const mapped = !this.unmapped.has(item.hospCode);
    const withNational = mapped && this.rng.chance(this.opts.nationalCodeShare);
    return {
      mdtrt_id: mdtrtId,
      rx_id: `${mdtrtId}-${pad(n, 4)}`,
      rxno: `${mdtrtId}-${pad(Math.ceil(n / 5), 3)}`,
      grpno: String(Math.ceil(n / 3)),
      long_drord_flag: longTerm ? '1' : '0',
      hilist_type: item.type,
      chrg_type: item.type === '101' ? '09' : item.type === '102' ? '10' : item.type === '301' ? '08' : '03',
      drord_bhvr: '0',
      hilist_code: withNational ? item.code : null,
      hilist_name: withNational ? item.name : null,
      hilist_lv: item.type === '101' ? (this.rng.chance(0.6) ? '01' : '02') : '01',
      hilist_pric: item.price,
      hosplist_code: item.hospCode,
      hosplist_name: item.name,
      cnt,
      pric,
      sumamt: money(cnt * pric),
      ownpay_amt: 0,
      selfpay_amt: 0,
      spec_unt: item.unit,
      drord_begn_date: text(beginMs),
      drord_stop_date: text(stopMs),
      drord_dept_codg: dept.code,
      drord_dept_name: dept.name,
      drord_dr_codg: doctor.code,
      drord_dr_name: doctor.name,
      drord_dr_profttl: doctor.title,
    };
  }

  private diagnoses(id: string, dept: Department, atMs: number): Row[] {
    const list = [this.rng.pick(dept.diagnoses)];
    if (this.rng.chance(0.4)) list.push(this.rng.pick(DEPARTMENTS).diagnoses[0]);
    return list.map(([code, name], i) => ({
      mdtrt_id: id,
      dise_id: `${id}-D${i + 1}`,
      inout_dise_type: '2',
      maindise_flag: i === 0 ? '1' : '0',
      dias_srt_no: i + 1,
      dise_codg: code,
      dise_name: name,
      dise_date: text(atMs),
    }));
  }

  private finish(rows: EncounterRows): EncounterRows {
    const fee = rows.orders.reduce((s, o) => s + (o.sumamt as number), 0);
    const e = rows.encounter;
    e.medfee_sumamt = money(fee);
    e.hifp_payamt = money(fee * 0.7);
    e.selfpay_amt = money(fee * 0.2);
    e.acct_payamt = money(fee * 0.1);
    const last = rows.orders.reduce((m, o) => ((o.drord_begn_date as string) > m ? (o.drord_begn_date as string) : m), e.adm_date as string);
    e.updt_time = e.dscg_date ?? last;
    if (!e.dscg_main_dise_codg && rows.diagnoses[0]) e.dscg_main_dise_codg = rows.diagnoses[0].dise_codg;
    return rows;
  }

  private outpatient(id: string, dept: Department, p: Patient, spanDays: number): EncounterRows {
    const r = this.rng;
    const doctor = r.pick(this.doctors.get(dept.code)!);
    const admMs = this.startMs + r.int(0, spanDays - 1) * MS_DAY + (dept.code === 'G01' ? r.int(0, 23) : r.int(8, 16)) * 3_600_000 + r.int(0, 59) * 60_000;
    const insutype = dept.code === 'C02' && r.chance(0.5) ? '510' : p.insutype;
    const encounter = this.encounterRow(id, dept, p, doctor, admMs, admMs + r.int(30, 180) * 60_000, false, insutype);
    const c = this.catalog;
    const orders: Row[] = [];
    let n = 0;
    const add = (item: CatalogItem, cnt: number, stopDays = 0, pric = item.price) =>
      orders.push(this.orderRow(id, ++n, item, dept, doctor, admMs + n * 60_000, admMs + stopDays * MS_DAY, cnt, pric, false));
    add(c.commonItems[0], 1);
    for (let i = r.int(1, 4); i > 0; i--) {
      const supply = r.int(3, 14);
      const item = r.chance(0.25) ? this.draw(c.limitedDrugs, c.commonDrugs, p, admMs, false, insutype, supply) : r.pick(c.commonDrugs);
      add(item, r.int(1, 3), supply - 1);
    }
    for (let i = r.int(0, 3); i > 0; i--) {
      const item = r.chance(0.15) ? this.draw(c.limitedItems, c.commonItems, p, admMs, false, insutype, 1) : r.pick(c.commonItems);
      add(item, 1);
    }
    if (r.chance(0.3)) add(r.pick(c.consumables), r.int(1, 5));
    if (r.chance(this.opts.violationRate)) {
      const [main, sub] = r.pick(c.pairs);
      add(main, 1);
      add(sub, 1);
    }
    return this.finish({ encounter, diagnoses: this.diagnoses(id, dept, admMs), orders, operations: [] });
  }

  private inpatient(id: string, dept: Department, p: Patient, spanDays: number): EncounterRows {
    const r = this.rng;
    const c = this.catalog;
    const doctor = r.pick(this.doctors.get(dept.code)!);
    const stay = Math.min(30, 1 + Math.floor(-Math.log(1 - r.next()) * 6));
    const busy = this.stays.get(p) ?? [];
    let admDay = r.int(0, spanDays - 1);
    // Move the admission to a free stretch of the patient's calendar (or give up after a few tries).
    for (let i = 0; i < 8 && busy.some(([a, b]) => admDay <= b + 1 && admDay + stay >= a - 1); i++) admDay = r.int(0, spanDays - 1);
    if (busy.some(([a, b]) => admDay <= b + 1 && admDay + stay >= a - 1)) return this.outpatient(id.replace(/^ZY/, 'MZ'), dept, p, spanDays);
    busy.push([admDay, admDay + stay]);
    this.stays.set(p, busy);
    const admMs = this.startMs + admDay * MS_DAY + r.int(8, 20) * 3_600_000 + r.int(0, 59) * 60_000;
    const dscgDay = admDay + stay;
    const stillIn = dscgDay >= spanDays;
    const lastDay = stillIn ? spanDays - 1 : dscgDay;
    const dscgMs = stillIn ? null : this.startMs + dscgDay * MS_DAY + 10 * 3_600_000;
    const insutype = dept.code === 'C02' && r.chance(0.5) ? '510' : p.insutype;
    const encounter = this.encounterRow(id, dept, p, doctor, admMs, dscgMs, true, insutype);
    const orders: Row[] = [];
    let n = 0;
    const add = (item: CatalogItem, atMs: number, cnt: number, pric = item.price, stopMs = atMs, longTerm = false) =>
      orders.push(this.orderRow(id, ++n, item, dept, doctor, atMs, stopMs, cnt, pric, longTerm));
    const nursing = c.daily.filter((i) => i.name.includes('级护理'));
    const dailyItems = [
      c.daily.find((i) => i.code === '001102000050000') ?? c.daily[0],
      c.daily.find((i) => i.code === '001109000010000') ?? c.daily[1],
      nursing.length ? r.pick(nursing) : c.daily[2],
    ];
    // Long-term drugs run for part of the stay; one fee line per day.
    const drugs: Array<{ item: CatalogItem; from: number; to: number }> = [];
    for (let i = r.int(2, 4); i > 0; i--) {
      const from = admDay + r.int(0, Math.max(0, Math.min(2, lastDay - admDay)));
      const to = Math.min(lastDay, from + r.int(2, 16));
      const item = r.chance(0.3) ? this.draw(c.limitedDrugs, c.commonDrugs, p, admMs, true, insutype, to - from + 1) : r.pick(c.commonDrugs);
      drugs.push({ item, from, to });
    }
    const surgical = dept.surgical && r.chance(0.6);
    const operations: Row[] = [];
    for (let d = admDay; d <= lastDay; d++) {
      const dayMs = this.startMs + d * MS_DAY;
      for (const item of dailyItems) add(item, dayMs + 8 * 3_600_000, 1);
      if (r.chance(this.opts.violationRate / 2)) add(r.pick(dailyItems), dayMs + 14 * 3_600_000, 1);
      for (const drug of drugs) if (d >= drug.from && d <= drug.to) add(drug.item, dayMs + 9 * 3_600_000, r.int(1, 2), drug.item.price, dayMs + 9 * 3_600_000, true);
      if (r.chance(0.5)) {
        const item = r.chance(0.1) ? this.draw(c.limitedItems, c.commonItems, p, dayMs, true, insutype, 1) : r.pick(c.commonItems);
        add(item, dayMs + 10 * 3_600_000, 1);
      }
      if (r.chance(0.2)) add(r.pick(c.consumables), dayMs + 11 * 3_600_000, r.int(1, 4));
      if (surgical && d === Math.min(lastDay, admDay + 1)) this.surgery(id, dept, doctor, dayMs, add, operations);
      if (r.chance(this.opts.violationRate / 3)) {
        const [main, sub] = r.pick(c.pairs);
        add(main, dayMs + 15 * 3_600_000, 1);
        add(sub, dayMs + 15 * 3_600_000, 1);
      }
    }
    return this.finish({ encounter, diagnoses: this.diagnoses(id, dept, admMs), orders, operations });
  }

  private surgery(id: string, dept: Department, doctor: Doctor, dayMs: number, add: (item: CatalogItem, atMs: number, cnt: number, pric?: number) => void, operations: Row[]): void {
    const r = this.rng;
    const groups = [...this.catalog.surgery.values()];
    const group = r.pick(groups);
    const first = r.pick(group);
    if (r.chance(0.35) && group.length > 1) {
      // A second operation through the same incision: billed at half price unless the claim errs.
      let second = r.pick(group);
      if (second === first) second = group[(group.indexOf(first) + 1) % group.length];
      const [primary, secondary] = second.price > first.price ? [second, first] : [first, second];
      add(primary, dayMs + 9 * 3_600_000, 1);
      add(secondary, dayMs + 9 * 3_600_000 + 120_000, 1, r.chance(this.opts.violationRate * 4) ? secondary.price : money(secondary.price * 0.5));
    } else add(first, dayMs + 9 * 3_600_000, 1);
    const ops = OPERATIONS[dept.code] ?? [['54.1100', '剖腹探查术']];
    const [code, name] = r.pick(ops);
    const surgeon = r.pick(this.doctors.get(dept.code)!);
    operations.push({
      mdtrt_id: id,
      setl_list_oprn_id: `${id}-O1`,
      oprn_code: code,
      oprn_name: name,
      main_oprn_flag: '1',
      oprn_date: text(dayMs + 9 * 3_600_000),
      anst_way: r.pick(['1', '2', '3']),
      oper_dr_name: surgeon.name,
      oper_dr_code: surgeon.code,
      anst_dr_name: this.name(),
      anst_dr_code: `D9${pad(r.int(1, 99), 3)}`,
    });
  }
}
