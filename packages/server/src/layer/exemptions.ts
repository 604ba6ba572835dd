/**
 * Exemptions (白名单) and exemption requests as the service stores them (`layer_exemptions`).
 *
 * One table holds every exemption whatever its origin: a department's request (`requested`
 * until the insurance office approves or rejects it), one the insurance office made directly,
 * and the entries of the active layer file (origin `layer`, synchronised at each activation).
 * Only `approved` rows take effect: the store compiles them into the active layer, whose engine
 * matches findings (see @preaudit/core-rules' layer). `used` counts the findings an exemption
 * suppressed; its cap is checked against it.
 *
 * The patient is never stored: the scope holds the patient's key (SHA-256 of the id, see
 * `patientKey`), `patient_masked` the masked id for people.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { asRows } from '@preaudit/his-adapter';
import { parseDateTime, type Exemption as LayerExemption, type ExemptionScope } from '@preaudit/core-rules';
import { badInput, type FieldProblem } from '../platform/errors.js';
import { maskId } from '../checks/masking.js';

/** Where an exemption is in its life. */
export type ExemptionStatus = 'requested' | 'approved' | 'rejected' | 'revoked';

/** How it came: a department's request, the insurance office directly, or the active layer file. */
export type ExemptionOrigin = 'request' | 'direct' | 'layer';

/** One exemption (a `layer_exemptions` row, scope parsed). */
export interface ExemptionRecord {
  id: string;
  status: ExemptionStatus;
  origin: ExemptionOrigin;
  /** origin layer: the layer version it came with. */
  layer_ref: string | null;
  /** The scope as the engine reads it (patient as its key). */
  scope: ExemptionScope;
  rule_id: string | null;
  dept_codg: string | null;
  patient_masked: string | null;
  reason: string;
  valid_from: string | null;
  valid_to: string | null;
  cap: number | null;
  used: number;
  requested_by: string;
  requested_role: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

/** What a caller gives to create an exemption or a request (the API body). Scope names are the engine's. */
export interface ExemptionInput {
  rule_id?: string | null;
  dept_codg?: string | null;
  dr_codg?: string | null;
  /** The patient id (patn_id) as the HIS sends it; stored as its key and masked, never as is. */
  patient_id?: string | null;
  hilist_code?: string | null;
  diagnosis_prefix?: string | null;
  insutype?: string | null;
  reason?: string;
  valid_from?: string | null;
  valid_to?: string | null;
  cap?: number | null;
}

/** The matching key of a patient id (what `scope.patient` holds; the engine is given the same function). */
export function patientKey(patnId: string): string {
  return `pk:${createHash('sha256')
    .update(`preaudit-patient:${String(patnId).trim()}`)
    .digest('hex')
    .slice(0, 40)}`;
}

/** A new exemption id. */
function newExemptionId(): string {
  return `EX-${Date.now().toString(36).toUpperCase()}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

const COLUMNS = [
  'id',
  'status',
  'origin',
  'layer_ref',
  'scope',
  'rule_id',
  'dept_codg',
  'patient_masked',
  'reason',
  'valid_from',
  'valid_to',
  'cap',
  'used',
  'requested_by',
  'requested_role',
  'requested_at',
  'decided_by',
  'decided_at',
  'decision_reason',
] as const;

function fromRow(r: Record<string, unknown>): ExemptionRecord {
  const e = {} as Record<string, unknown>;
  for (const c of COLUMNS) e[c] = r[c] ?? null;
  e.used = Number(e.used ?? 0);
  e.cap = e.cap === null ? null : Number(e.cap);
  try {
    e.scope = JSON.parse(String(e.scope));
  } catch {
    e.scope = {};
  }
  return e as unknown as ExemptionRecord;
}

function toRow(e: ExemptionRecord): Record<string, unknown> {
  return { ...e, scope: JSON.stringify(e.scope) };
}

const text = (v: unknown, field: string, max: number, problems: FieldProblem[]): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    problems.push({ field, message: '应为字符串' });
    return null;
  }
  const s = v.trim();
  if (s.length > max) problems.push({ field, message: `不能超过 ${max} 个字符` });
  return s === '' ? null : s;
};

/** A wall-clock date or date-time (yyyy-MM-dd[ HH:mm:ss]). */
function time(v: unknown, field: string, problems: FieldProblem[]): string | null {
  const s = text(v, field, 30, problems);
  if (s === null) return null;
  if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(s) || Number.isNaN(parseDateTime(s))) problems.push({ field, message: '日期格式应为 yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss' });
  return s;
}

/** A validated input: the engine's scope and the row's other fields. */
export interface ValidExemption {
  scope: ExemptionScope;
  patient_masked: string | null;
  reason: string;
  valid_from: string | null;
  valid_to: string | null;
  cap: number | null;
}

/**
 * Validates an exemption input; every problem names its field. At least one scope field is
 * required: an exemption of everything would switch the rulebook off.
 */
function validateExemption(input: ExemptionInput): { ok: true; value: ValidExemption } | { ok: false; problems: FieldProblem[] } {
  const p: FieldProblem[] = [];
  const scope: ExemptionScope = {};
  const put = (k: keyof ExemptionScope, field: string, max: number) => {
    const v = text((input as Record<string, unknown>)[field], field, max, p);
    if (v !== null) scope[k] = v;
  };
  put('rule_id', 'rule_id', 64);
  put('dept_codg', 'dept_codg', 64);
  put('dr_codg', 'dr_codg', 64);
  put('hilist_code', 'hilist_code', 64);
  put('diagnosis_prefix', 'diagnosis_prefix', 32);
  put('insutype', 'insutype', 16);
  const patientId = text(input.patient_id, 'patient_id', 64, p);
  if (patientId !== null) scope.patient = patientKey(patientId);
  const reason = text(input.reason, 'reason', 2000, p);
  if (!reason) p.push({ field: 'reason', message: '缺少必填字段（豁免须说明原因）' });
  const value: ValidExemption = {
    scope,
    patient_masked: patientId === null ? null : maskId(patientId),
    reason: reason ?? '',
    valid_from: time(input.valid_from, 'valid_from', p),
    valid_to: time(input.valid_to, 'valid_to', p),
    cap: null,
  };
  if (input.cap !== undefined && input.cap !== null) {
    if (typeof input.cap !== 'number' || !Number.isInteger(input.cap) || input.cap < 1 || input.cap > 1_000_000) p.push({ field: 'cap', message: '应为 1 到 1000000 的整数' });
    else value.cap = input.cap;
  }
  if (Object.keys(scope).length === 0) p.push({ field: 'rule_id', message: '豁免至少要限定规则、科室、医师、患者、项目编码、诊断前缀或险种之一' });
  if (value.valid_from && value.valid_to && parseDateTime(value.valid_from) >= parseDateTime(value.valid_to)) p.push({ field: 'valid_to', message: '应晚于 valid_from' });
  return p.length ? { ok: false, problems: p } : { ok: true, value };
}

/** Validates or throws PA_BAD_INPUT naming the fields. */
export function validExemptionOrThrow(input: ExemptionInput): ValidExemption {
  const r = validateExemption(input);
  if (!r.ok) throw badInput(r.problems);
  return r.value;
}

const joined = (v: string | string[] | undefined) => (v === undefined ? null : [v].flat().join(',').slice(0, 200) || null);

/** A new record from a validated input. */
export function newRecord(
  v: ValidExemption,
  o: { id?: string; status: ExemptionStatus; origin: ExemptionOrigin; layerRef?: string | null; actor: string; role: string; time: string; decidedBy?: string | null },
): ExemptionRecord {
  return {
    id: o.id ?? newExemptionId(),
    status: o.status,
    origin: o.origin,
    layer_ref: o.layerRef ?? null,
    scope: v.scope,
    rule_id: joined(v.scope.rule_id)?.slice(0, 64) ?? null,
    dept_codg: joined(v.scope.dept_codg),
    patient_masked: v.patient_masked,
    reason: v.reason,
    valid_from: v.valid_from,
    valid_to: v.valid_to,
    cap: v.cap,
    used: 0,
    requested_by: o.actor,
    requested_role: o.role,
    requested_at: o.time,
    decided_by: o.decidedBy ?? (o.status === 'approved' ? o.actor : null),
    decided_at: o.status === 'approved' ? o.time : null,
    decision_reason: null,
  };
}

/** An entry of a layer file as a record (origin layer, approved by the file's approver). */
function recordOfFileEntry(ex: LayerExemption, layerRef: string, time: string, actor: string): ExemptionRecord {
  const patient = ex.scope.patient;
  return {
    id: ex.id.slice(0, 40),
    status: 'approved',
    origin: 'layer',
    layer_ref: layerRef,
    scope: ex.scope,
    rule_id: joined(ex.scope.rule_id)?.slice(0, 64) ?? null,
    dept_codg: joined(ex.scope.dept_codg),
    patient_masked: patient === undefined ? null : joined(patient)!.slice(0, 64),
    reason: ex.reason,
    valid_from: ex.from ?? null,
    valid_to: ex.to ?? null,
    cap: ex.cap ?? null,
    used: 0,
    requested_by: actor,
    requested_role: 'layer',
    requested_at: time,
    decided_by: ex.approver.slice(0, 80),
    decided_at: time,
    decision_reason: null,
  };
}

/** A record as the engine's exemption (what is compiled into the active layer). */
export function engineExemption(e: ExemptionRecord): LayerExemption {
  return {
    id: e.id,
    scope: e.scope,
    reason: e.reason,
    approver: e.decided_by ?? e.requested_by,
    ...(e.valid_from ? { from: e.valid_from } : {}),
    ...(e.valid_to ? { to: e.valid_to } : {}),
    ...(e.cap !== null ? { cap: e.cap } : {}),
  };
}

/** Exemptions, newest first: of some statuses, of some departments (or requested by `actor`). */
export async function readExemptions(
  db: Knex,
  filter: { status?: ExemptionStatus[]; departments?: readonly string[]; actor?: string; limit: number; offset: number },
): Promise<{ total: number; items: ExemptionRecord[] }> {
  const q = () => {
    const b = db('layer_exemptions');
    if (filter.status?.length) b.whereIn('status', filter.status);
    if (filter.departments) {
      const depts = [...filter.departments];
      b.where((w) => {
        w.whereIn('dept_codg', depts.length ? depts : ['\u0000']);
        if (filter.actor) w.orWhere('requested_by', filter.actor);
      });
    }
    return b;
  };
  const [{ n }] = await q().count<Array<{ n: number | string }>>({ n: '*' });
  const rows = asRows(
    await q()
      .select([...COLUMNS])
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset),
    'layer_exemptions',
  );
  return { total: Number(n), items: rows.map(fromRow) };
}

/** Approved exemptions (what the active layer applies). */
export async function readApproved(db: Knex): Promise<ExemptionRecord[]> {
  const rows = asRows(
    await db('layer_exemptions')
      .where({ status: 'approved' })
      .orderBy('requested_at', 'asc')
      .select([...COLUMNS]),
    'layer_exemptions',
  );
  return rows.map(fromRow);
}

/** One exemption. */
export async function readExemption(db: Knex | Knex.Transaction, id: string): Promise<ExemptionRecord | undefined> {
  const row = await db('layer_exemptions')
    .where({ id })
    .first<Record<string, unknown> | undefined>([...COLUMNS]);
  return row ? fromRow(row) : undefined;
}

/** Inserts one. */
export async function insertExemption(db: Knex | Knex.Transaction, e: ExemptionRecord): Promise<void> {
  await db('layer_exemptions').insert(toRow(e));
}

/** Updates the decision fields of one. */
export async function updateExemption(db: Knex | Knex.Transaction, id: string, fields: Partial<ExemptionRecord>): Promise<void> {
  const row: Record<string, unknown> = { ...fields };
  if (fields.scope) row.scope = JSON.stringify(fields.scope);
  await db('layer_exemptions').where({ id }).update(row);
}

/**
 * Makes the origin-`layer` rows those of a layer file: its entries approved (uses kept by id),
 * entries of the previous file no longer in it revoked. In the caller's transaction.
 */
export async function syncFileExemptions(trx: Knex.Transaction, entries: readonly LayerExemption[], layerRef: string | null, time: string, actor: string): Promise<void> {
  const ids = new Set(entries.map((e) => e.id.slice(0, 40)));
  const existing = await trx('layer_exemptions').where({ origin: 'layer' }).select<Array<{ id: string; status: string }>>('id', 'status');
  const had = new Map(existing.map((r) => [r.id, r.status]));
  const gone = existing.filter((r) => !ids.has(r.id) && r.status === 'approved').map((r) => r.id);
  for (let i = 0; i < gone.length; i += 500)
    await trx('layer_exemptions')
      .whereIn('id', gone.slice(i, i + 500))
      .update({ status: 'revoked', decided_at: time, decided_by: actor, decision_reason: layerRef ? `不在本院规则层 ${layerRef} 中` : '本院规则层已撤销' });
  if (!layerRef) return;
  for (const ex of entries) {
    const rec = recordOfFileEntry(ex, layerRef, time, actor);
    if (had.has(rec.id)) {
      const { id: _id, used: _used, requested_at: _t, requested_by: _b, requested_role: _r, ...rest } = rec;
      await updateExemption(trx, rec.id, { ...rest, decision_reason: null });
    } else await insertExemption(trx, rec);
  }
}

/** Adds suppressed-finding counts to `used`. */
export async function addUses(db: Knex, counts: ReadonlyMap<string, number>): Promise<void> {
  if (counts.size === 0) return;
  await db.transaction(async (trx) => {
    for (const [id, n] of counts) await trx('layer_exemptions').where({ id }).increment('used', n);
  });
}
