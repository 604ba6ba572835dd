/**
 * One review item in full: the patient (masked), the encounter, the orders with the offending
 * one marked and the involved ones beside it, the rule (name, category, window, policy basis,
 * the evidence with the limit and the facts compared), the department's explanation, the history.
 * Real-time items read the stored check (its findings and its de-identified request, when the
 * service stores requests); batch items read what the job stored for the finding.
 */
import type { Knex } from 'knex';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { itemEvents, type EventRow, type ItemRow } from './store.js';

/** An order of the item's encounter as the detail shows it. */
export interface OrderView {
  rx_id: string;
  /** offending 违规项, involved 涉及项, other: another order of the encounter. */
  role: 'offending' | 'involved' | 'other';
  role_label: string;
  hilist_code: string | null;
  hilist_name: string | null;
  hosplist_code: string | null;
  hosplist_name: string | null;
  cnt: number | null;
  pric: number | null;
  sumamt: number | null;
  vola_amt: number | null;
  drord_begn_date: string | null;
  drord_stop_date: string | null;
  dept: string | null;
  doctor: string | null;
  /** The whole stored order line (national fields only; de-identified). */
  raw?: Record<string, unknown>;
}

/** The rule of an item. */
export interface RuleView {
  id: string;
  name: string;
  category: string | null;
  sev_deg: string | null;
  result_type: string | null;
  window: string | null;
  message: string | null;
  /** 政策依据 */
  basis: string | null;
  /** 违规内容 (the message with the limit and the facts filled in) */
  vola_cont: string | null;
  /** 违规依据 (the knowledge point, the limit and the facts compared) */
  vola_evid: string | null;
  vola_bhvr_type: string | null;
  /** id@version that judged it */
  rulebook: string | null;
  /** false when the active rulebook no longer has the rule (name and category then come from the finding). */
  in_active_rulebook: boolean;
}

/** The detail (without the item and patient parts the route adds). */
export interface ItemDetail {
  encounter: Record<string, unknown>;
  orders: OrderView[];
  rule: RuleView;
  history: EventRow[];
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const ROLE_LABEL = { offending: '违规项', involved: '涉及项', other: '' } as const;

function parse(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function orderView(o: Obj, role: OrderView['role'], volaAmt: number | null, withRaw: boolean): OrderView {
  return {
    rx_id: String(o.rx_id ?? ''),
    role,
    role_label: ROLE_LABEL[role],
    hilist_code: str(o.hilist_code),
    hilist_name: str(o.hilist_name),
    hosplist_code: str(o.hosplist_code),
    hosplist_name: str(o.hosplist_name),
    cnt: num(o.cnt),
    pric: num(o.pric),
    sumamt: num(o.sumamt),
    vola_amt: volaAmt,
    drord_begn_date: str(o.drord_begn_date),
    drord_stop_date: str(o.drord_stop_date),
    dept: str(o.drord_dept_codg),
    doctor: str(o.drord_dr_codg),
    ...(withRaw ? { raw: o } : {}),
  };
}

/** Roles of the orders a finding names: its detail rows (1 违规项, 2 涉及项), and the offending rx_id. */
function rolesOf(details: Obj[], offendingRx: string | null): Map<string, { role: 'offending' | 'involved'; vola_amt: number | null }> {
  const roles = new Map<string, { role: 'offending' | 'involved'; vola_amt: number | null }>();
  for (const d of details) {
    const rx = str(d.rx_id);
    if (!rx) continue;
    const role = d.vola_item_type === '1' || rx === offendingRx ? 'offending' : 'involved';
    const prev = roles.get(rx);
    if (!prev || role === 'offending') roles.set(rx, { role, vola_amt: num(d.vola_amt) });
  }
  if (offendingRx && !roles.has(offendingRx)) roles.set(offendingRx, { role: 'offending', vola_amt: null });
  return roles;
}

const ORDER_RANK = { offending: 0, involved: 1, other: 2 } as const;

/** The rule as the active rulebook describes it, with the finding's own texts. */
function ruleView(rulebook: CompiledRulebook, item: ItemRow, finding: Obj): RuleView {
  const compiled = rulebook.compiled.rules.find((r) => r.id === item.rule_id);
  const def = compiled?.def;
  return {
    id: item.rule_id,
    name: def?.name ?? item.rule_name,
    category: def?.category ?? str(finding.vola_bhvr_type),
    sev_deg: item.sev_deg,
    result_type: def?.result_type ?? null,
    window: def?.window ?? null,
    message: def?.message ?? null,
    basis: def?.basis ?? null,
    vola_cont: str(finding.vola_cont),
    vola_evid: str(finding.vola_evid),
    vola_bhvr_type: str(finding.vola_bhvr_type),
    rulebook: str(finding.rulebook),
    in_active_rulebook: compiled !== undefined,
  };
}

/** The stored patient/encounter/orders of a real-time item (from its check). */
async function realTimeParts(db: Knex, item: ItemRow): Promise<{ finding: Obj; encounter: Obj; orders: OrderView[] }> {
  const check = (await db('checks').where({ check_id: item.check_id }).first('findings', 'request', 'rulebook', 'hospital', 'department', 'doctor', 'scene', 'phase', 'channel', 'infno', 'time')) as
    | Obj
    | undefined;
  const results = (parse(check?.findings) as Obj[] | undefined) ?? [];
  const finding: Obj = { ...(results.find((r) => r.jr_id === item.jr_id) ?? {}), rulebook: check?.rulebook };
  const details = Array.isArray(finding.judge_result_detail_dtos) ? (finding.judge_result_detail_dtos as Obj[]) : [];
  const roles = rolesOf(details, item.rx_id);
  const mdtrtId = str(finding.mdtrt_id);
  const request = parse(check?.request) as { patient_dtos?: Obj[] } | undefined;
  // The finding's encounter; else the first one of the request.
  let encounterDto: Obj | undefined;
  let patientDto: Obj | undefined;
  for (const p of request?.patient_dtos ?? []) {
    for (const e of (p.fsi_encounter_dtos as Obj[] | undefined) ?? []) {
      if ((mdtrtId !== null && e.mdtrt_id === mdtrtId) || encounterDto === undefined) {
        if (encounterDto !== undefined && encounterDto.mdtrt_id === mdtrtId) continue;
        encounterDto = e;
        patientDto = p;
      }
    }
  }
  const orders: OrderView[] = [];
  const seen = new Set<string>();
  for (const o of (encounterDto?.fsi_order_dtos as Obj[] | undefined) ?? []) {
    const rx = String(o.rx_id ?? '');
    const r = roles.get(rx);
    seen.add(rx);
    orders.push(orderView(o, r?.role ?? 'other', r?.vola_amt ?? null, true));
  }
  // Without a stored request (storeRequests off), the orders the finding names, as it names them.
  for (const [rx, r] of roles) if (!seen.has(rx)) orders.push(orderView({ rx_id: rx, hilist_code: rx === item.rx_id ? item.hilist_code : null }, r.role, r.vola_amt, false));
  const { fsi_order_dtos: _orders, fsi_diagnose_dtos: diagnoses, ...encounterFields } = encounterDto ?? {};
  const encounter: Obj = {
    mdtrt_id: mdtrtId ?? str(encounterFields.mdtrt_id),
    ...encounterFields,
    diagnoses: Array.isArray(diagnoses) ? diagnoses : [],
    hospital: check?.hospital ?? null,
    department: item.department,
    doctor: item.doctor,
    check: { check_id: item.check_id, time: check?.time ?? item.time, channel: check?.channel ?? null, infno: check?.infno ?? null, scene: check?.scene ?? null, phase: check?.phase ?? null },
    patient: patientDto ? { gend: patientDto.gend ?? null, brdy: patientDto.brdy ?? null, insutype: patientDto.insutype ?? null } : null,
    request_stored: request !== undefined,
  };
  return { finding, encounter, orders: sortOrders(orders) };
}

/** What a batch job stored for the finding. */
async function batchParts(db: Knex, item: ItemRow): Promise<{ finding: Obj; encounter: Obj; orders: OrderView[] }> {
  const row = (await db('audit_findings').where({ id: item.finding_id }).first()) as Obj | undefined;
  const job = (await db('audit_jobs').where({ id: item.job_id }).first('id', 'source', 'phase', 'period_from', 'period_to')) as Obj | undefined;
  const finding: Obj = row ?? {};
  const details = (parse(finding.details) as Obj[] | undefined) ?? [];
  const roles = rolesOf(details, item.rx_id);
  const orders: OrderView[] = [];
  for (const [rx, r] of roles) {
    const offending = rx === item.rx_id;
    orders.push(
      orderView(
        offending
          ? { rx_id: rx, hilist_code: finding.hilist_code, hilist_name: finding.hilist_name, hosplist_code: finding.hosplist_code, drord_begn_date: finding.order_date, drord_dept_codg: finding.dept_codg, drord_dr_codg: finding.dr_codg }
          : { rx_id: rx },
        r.role,
        r.vola_amt,
        false,
      ),
    );
  }
  const encounter: Obj = {
    mdtrt_id: str(finding.mdtrt_id),
    med_mdtrt_type: str(finding.med_mdtrt_type),
    department: item.department,
    department_name: item.department_name,
    doctor: item.doctor,
    doctor_name: item.doctor_name,
    job: job ? { id: job.id, source: job.source, phase: job.phase, from: job.period_from, to: job.period_to } : null,
  };
  return { finding, encounter, orders: sortOrders(orders) };
}

function sortOrders(orders: OrderView[]): OrderView[] {
  return orders.map((o, i) => ({ o, i })).sort((a, b) => ORDER_RANK[a.o.role] - ORDER_RANK[b.o.role] || a.i - b.i).map((x) => x.o);
}

/** The detail of an item (see the file comment). */
export async function itemDetail(db: Knex, rulebook: CompiledRulebook, item: ItemRow): Promise<ItemDetail> {
  const parts = item.source === 'rt' ? await realTimeParts(db, item) : await batchParts(db, item);
  return { encounter: parts.encounter, orders: parts.orders, rule: ruleView(rulebook, item, parts.finding), history: await itemEvents(db, item.id) };
}
