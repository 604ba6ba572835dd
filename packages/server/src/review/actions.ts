/**
 * Taking an action on a review item: scope, role, input and status are checked, then the item's
 * status and its history row are written in one transaction, guarded by the item's version
 * (two reviewers acting at once: the second gets 409, never a lost update).
 */
import type { Knex } from 'knex';
import type { Identity } from '../platform/auth.js';
import { badInput, ErrorCode, PreauditError, type FieldProblem } from '../platform/errors.js';
import { dialectOf } from '../platform/storage/connect.js';
import { itemEvents, normalizeRow, type EventRow, type ItemRow } from './store.js';
import {
  addWorkingDays,
  DEFAULT_DEADLINE_WORKING_DAYS,
  inScope,
  localDay,
  mayAct,
  STATUS_LABEL,
  transitionRefusal,
  TRANSITIONS,
  type FinalDecision,
  type ReviewAction,
} from './workflow.js';

/** What the caller asks. */
export interface ActionInput {
  action: ReviewAction;
  /** Why (required to exclude, and to finalize as excluded). */
  reason?: string;
  /** refer: the department's last day (yyyy-MM-dd); default 10 working days from today. */
  deadline?: string;
  /** explain: the department's explanation. */
  explanation?: string;
  /** finalize: the final decision. */
  decision?: FinalDecision;
}

/** Who acts, and how the service is configured. */
export interface Actor {
  identity: Identity;
  authEnabled: boolean;
  now: Date;
}

/** The item after the action and the history row written. */
export interface ActionResult {
  item: ItemRow;
  event: EventRow;
}

/** 404 for an item that does not exist or that the caller may not see (a department never learns another's items exist). */
export function itemNotFound(id: number): PreauditError {
  return new PreauditError(ErrorCode.notFound, `疑点 ${id} 不存在或不在您的科室范围内 (review item ${id} not found)`);
}

function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(y, m - 1, d);
  return t.getFullYear() === y && t.getMonth() === m - 1 && t.getDate() === d;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** The input's problems for this action (field names as the body has them, under `prefix`). */
export function inputProblems(input: ActionInput, now: Date, prefix = ''): FieldProblem[] {
  const p: FieldProblem[] = [];
  const f = (name: string) => `${prefix}${name}`;
  if (input.action === 'exclude' && blank(input.reason)) p.push({ field: f('reason'), message: '排除必须填写理由 (a reason is required to exclude)' });
  if (input.action === 'explain' && blank(input.explanation)) p.push({ field: f('explanation'), message: '科室说明不能为空 (an explanation is required)' });
  if (input.action === 'refer' && input.deadline !== undefined) {
    if (!isDate(input.deadline)) p.push({ field: f('deadline'), message: '日期格式应为 yyyy-MM-dd' });
    else if (input.deadline < localDay(now)) p.push({ field: f('deadline'), message: `期限不能早于今天 ${localDay(now)}` });
  }
  if (input.action === 'finalize') {
    if (input.decision === undefined) p.push({ field: f('decision'), message: '终审须给出结论 confirmed（维持违规）或 excluded（撤销）' });
    else if (input.decision === 'excluded' && blank(input.reason)) p.push({ field: f('reason'), message: '终审撤销必须填写理由 (a reason is required)' });
  }
  return p;
}

/** Takes one action on one item (see the file comment). Throws PreauditError 400/403/404/409. */
export async function act(db: Knex, id: number, input: ActionInput, actor: Actor): Promise<ActionResult> {
  const { identity, now } = actor;
  const problems = inputProblems(input, now);
  if (problems.length > 0) throw badInput(problems);
  const refusedRole = mayAct(identity, input.action, actor.authEnabled);
  const nowIso = now.toISOString();
  const lock = dialectOf(db) !== 'sqlite';
  return db.transaction(async (trx) => {
    const q = trx<ItemRow>('review_items').where({ id });
    const raw = (await (lock ? q.forUpdate().first() : q.first())) as ItemRow | undefined;
    if (!raw || !inScope(identity, raw.department ?? null)) throw itemNotFound(id);
    const item = normalizeRow(raw);
    if (refusedRole) throw new PreauditError(ErrorCode.forbidden, refusedRole);
    const refusal = transitionRefusal(input.action, item.status, item.deadline, now);
    if (refusal) throw new PreauditError(ErrorCode.reviewConflict, refusal);
    const to = TRANSITIONS[input.action].to;
    const patch: Partial<ItemRow> = { status: to, updated_at: nowIso, updated_by: identity.actor.slice(0, 80), version: item.version + 1 };
    let deadline: string | null = null;
    if (input.action === 'refer') patch.deadline = deadline = input.deadline ?? addWorkingDays(now, DEFAULT_DEADLINE_WORKING_DAYS);
    if (input.action === 'explain') Object.assign(patch, { explanation: input.explanation!.trim(), explained_by: identity.actor.slice(0, 80), explained_at: nowIso });
    if (input.action === 'finalize') patch.final_decision = input.decision!;
    const n = await trx('review_items').where({ id, version: item.version }).update(patch);
    if (n === 0) throw new PreauditError(ErrorCode.reviewConflict, `疑点 ${id} 刚被他人处理，请刷新后重试 (item changed concurrently)`);
    const event = {
      item_id: id,
      time: nowIso,
      actor: identity.actor.slice(0, 80),
      role: String(identity.role).slice(0, 32),
      user_role: identity.userRole ?? null,
      action: input.action,
      from_status: item.status,
      to_status: to,
      reason: input.action === 'explain' ? input.explanation!.trim() : blank(input.reason) ? null : input.reason!.trim(),
      deadline,
      decision: input.action === 'finalize' ? input.decision! : null,
    };
    await trx('review_events').insert(event);
    const events = await itemEvents(trx, id);
    return { item: { ...item, ...patch } as ItemRow, event: events[events.length - 1] };
  });
}

/** The status label of a status code. */
export function statusLabel(status: string): string {
  return STATUS_LABEL[status as keyof typeof STATUS_LABEL] ?? status;
}
