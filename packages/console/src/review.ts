/** The review queue's statuses and which actions a status and a session allow (mirrors the review-api contract; the service decides). */

export const STATUS_NAMES: Readonly<Record<string, string>> = Object.freeze({
  pending: '待审',
  confirmed: '确认违规',
  excluded: '排除',
  referred: '转科室说明',
  explained: '科室说明',
  final: '终审',
});

export const STATUS_TAG: Readonly<Record<string, string>> = Object.freeze({
  pending: 'warning',
  confirmed: 'danger',
  excluded: 'info',
  referred: 'primary',
  explained: 'success',
  final: '',
});

export type ReviewAction = 'confirm' | 'exclude' | 'refer' | 'explain' | 'finalize';

export const ACTION_NAMES: Readonly<Record<ReviewAction, string>> = Object.freeze({
  confirm: '确认违规',
  exclude: '排除',
  refer: '转科室说明',
  explain: '科室说明',
  finalize: '终审',
});

export interface Permissions {
  review: boolean;
  finalDecision: boolean;
  departmentScope: string[] | null;
}

/** The actions to offer for an item in `status` (overdue: a referred item past its deadline). */
export function actionsFor(status: string, overdue: boolean, p: Permissions): ReviewAction[] {
  const out: ReviewAction[] = [];
  if (status === 'pending' && p.review) out.push('confirm', 'exclude', 'refer');
  if (status === 'referred' && (p.departmentScope !== null || p.finalDecision)) out.push('explain');
  if (p.finalDecision && (status === 'confirmed' || status === 'excluded' || status === 'explained' || (status === 'referred' && overdue))) out.push('finalize');
  return out;
}

/** What an action needs typed in: a reason (exclude, or finalize revoking), an explanation, a deadline. */
export function needsText(action: ReviewAction, decision?: string): 'reason' | 'explanation' | null {
  if (action === 'exclude') return 'reason';
  if (action === 'explain') return 'explanation';
  if (action === 'finalize' && decision === 'excluded') return 'reason';
  return null;
}
