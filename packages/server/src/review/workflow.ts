/**
 * The review workflow (疑点审核): statuses, the actions between them, who may take each, and the
 * department's deadline in working days. Pure: no storage, no request.
 *
 *   待审 pending ──confirm──▶ 确认违规 confirmed ─┐
 *        │ ──exclude (reason)──▶ 排除 excluded ──┤
 *        └──refer (deadline)──▶ 转科室说明 referred ──explain──▶ 科室说明 explained ──┤
 *                                   └─(deadline passed)─────────────────────────────┴─finalize──▶ 终审 final
 */
import { departmentScope, type Identity } from '../platform/auth.js';

/** Review statuses. */
export type ReviewStatus = 'pending' | 'confirmed' | 'excluded' | 'referred' | 'explained' | 'final';

/** Actions on an item. */
export type ReviewAction = 'confirm' | 'exclude' | 'refer' | 'explain' | 'finalize';

export const STATUSES: readonly ReviewStatus[] = ['pending', 'confirmed', 'excluded', 'referred', 'explained', 'final'];
export const ACTIONS: readonly ReviewAction[] = ['confirm', 'exclude', 'refer', 'explain', 'finalize'];

/** The labels shown to people (official terms). */
export const STATUS_LABEL: Readonly<Record<ReviewStatus, string>> = {
  pending: '待审',
  confirmed: '确认违规',
  excluded: '排除',
  referred: '转科室说明',
  explained: '科室说明',
  final: '终审',
};

export const ACTION_LABEL: Readonly<Record<ReviewAction, string>> = {
  confirm: '确认违规',
  exclude: '排除',
  refer: '转科室说明',
  explain: '科室说明',
  finalize: '终审',
};

/** Final decisions (终审). */
export type FinalDecision = 'confirmed' | 'excluded';
export const DECISION_LABEL: Readonly<Record<FinalDecision, string>> = { confirmed: '维持违规', excluded: '撤销（不违规）' };

/** From which statuses each action may be taken, and where it leads. */
export const TRANSITIONS: Readonly<Record<ReviewAction, { from: readonly ReviewStatus[]; to: ReviewStatus }>> = {
  confirm: { from: ['pending'], to: 'confirmed' },
  exclude: { from: ['pending'], to: 'excluded' },
  refer: { from: ['pending'], to: 'referred' },
  explain: { from: ['referred'], to: 'explained' },
  // referred only once its deadline has passed (the department did not answer in time)
  finalize: { from: ['confirmed', 'excluded', 'explained', 'referred'], to: 'final' },
};

/** Who may take an action (beyond the route's role guard). */
export const ACTION_ROLES: Readonly<Record<ReviewAction, string>> = {
  confirm: 'insurance-office / admin',
  exclude: 'insurance-office / admin',
  refer: 'insurance-office / admin',
  explain: 'department (own departments) / admin',
  finalize: 'insurance-office head / admin',
};

/** Working days a department has to explain, by default. */
export const DEFAULT_DEADLINE_WORKING_DAYS = 10;

/**
 * Whether the caller may take `action` (`authEnabled` false: everyone may, as every guard of
 * the service passes then). Returns the refusal in words, or undefined.
 */
export function mayAct(identity: Identity, action: ReviewAction, authEnabled: boolean): string | undefined {
  if (!authEnabled || identity.role === 'admin') return undefined;
  switch (action) {
    case 'confirm':
    case 'exclude':
    case 'refer':
      return identity.role === 'insurance-office' ? undefined : `${ACTION_LABEL[action]} 需要医保办角色 (insurance-office)`;
    case 'explain':
      return identity.role === 'department' ? undefined : '科室说明由科室负责人填写 (department)';
    case 'finalize':
      return identity.role === 'insurance-office' && identity.userRole === 'head' ? undefined : '终审需要医保办主任 (head) 或管理员';
  }
}

/** May the caller see (and act on) an item of this department? */
export function inScope(identity: Identity, department: string | null): boolean {
  const scope = departmentScope(identity);
  return scope === undefined || (department !== null && scope.includes(department));
}

/** Local calendar day `yyyy-MM-dd` of a moment (the service's time zone). */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * The day `n` working days (Monday–Friday) after `start`'s local day: from a Friday, 1 working
 * day is the Monday. Public holidays and 调休 working weekends are not known to the service and
 * are not counted (documented; the reviewer may give an explicit deadline).
 */
export function addWorkingDays(start: Date, n: number): string {
  const d = new Date(start.getFullYear(), start.getMonth(), start.getDate(), 12);
  let left = n;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    const wd = d.getDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return localDay(d);
}

/** Has a deadline (`yyyy-MM-dd`, the last day allowed) passed at `now`? */
export function deadlinePassed(deadline: string | null, now: Date): boolean {
  return deadline !== null && localDay(now) > deadline;
}

/**
 * Why an action cannot be taken from `status` (zh + en, naming the status), or undefined when
 * it can. `deadline` matters for finalizing a referred item.
 */
export function transitionRefusal(action: ReviewAction, status: ReviewStatus, deadline: string | null, now: Date): string | undefined {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) {
    const allowed = t.from.map((s) => STATUS_LABEL[s]).join('/');
    return `当前状态为「${STATUS_LABEL[status]}」(${status})，不能执行「${ACTION_LABEL[action]}」，该操作只适用于 ${allowed} 状态 (action ${action} is not allowed in status ${status})`;
  }
  if (action === 'finalize' && status === 'referred' && !deadlinePassed(deadline, now)) {
    return `当前状态为「转科室说明」(referred)，科室说明期限 ${deadline ?? '-'} 未到，不能终审 (cannot finalize a referred item before its deadline)`;
  }
  return undefined;
}
