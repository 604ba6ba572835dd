import { describe, expect, it } from 'vitest';
import { consoleRole, pagesFor, type SessionView } from './roles.js';
import { actionsFor, needsText } from './review.js';

const view = (over: Partial<SessionView>): SessionView => ({
  authMode: 'session',
  loginRequired: true,
  identity: { actor: 'x', role: 'insurance-office' },
  user: null,
  permissions: { mayUnmask: false, finalDecision: false, review: true, manageUsers: false, rulebooks: false, departmentScope: null },
  csrfToken: null,
  expiresAt: null,
  ...over,
});

describe('menu by role', () => {
  it('shows a department head neither jobs nor rulebooks, the bureau only review and rulebooks', () => {
    expect(pagesFor('dept-head').map((p) => p.name)).toEqual(['overview', 'review', 'drilldown', 'compliance']);
    expect(pagesFor('bureau').map((p) => p.name)).toEqual(['review', 'rulebooks']);
    expect(pagesFor('admin')).toHaveLength(6);
    expect(pagesFor(null)).toEqual([]);
  });

  it('takes the user role, else maps the service role of a key or keyless mode', () => {
    expect(consoleRole(view({ user: { username: 'li', displayName: '李', userRole: 'head', departments: [] } }))).toBe('head');
    expect(consoleRole(view({ identity: { actor: 'k', role: 'department' } }))).toBe('dept-head');
    expect(consoleRole(view({ authMode: 'none', identity: { actor: 'anonymous', role: 'none' } }))).toBe('admin');
    expect(consoleRole(view({ identity: { actor: 'k', role: 'doctor-station' } }))).toBeNull();
    expect(consoleRole(null)).toBeNull();
  });
});

describe('review actions offered', () => {
  const reviewer = { review: true, finalDecision: false, departmentScope: null };
  const head = { review: true, finalDecision: true, departmentScope: null };
  const dept = { review: false, finalDecision: false, departmentScope: ['A03'] };
  it('follows 待审 → 确认/排除/转科室 → 科室说明 → 终审', () => {
    expect(actionsFor('pending', false, reviewer)).toEqual(['confirm', 'exclude', 'refer']);
    expect(actionsFor('confirmed', false, reviewer)).toEqual([]);
    expect(actionsFor('confirmed', false, head)).toEqual(['finalize']);
    expect(actionsFor('referred', false, dept)).toEqual(['explain']);
    expect(actionsFor('referred', false, reviewer)).toEqual([]);
    expect(actionsFor('referred', true, head)).toEqual(['explain', 'finalize']);
    expect(actionsFor('final', false, head)).toEqual([]);
  });
  it('requires a reason to exclude and to revoke at 终审', () => {
    expect(needsText('exclude')).toBe('reason');
    expect(needsText('confirm')).toBeNull();
    expect(needsText('finalize', 'excluded')).toBe('reason');
    expect(needsText('explain')).toBe('explanation');
  });
});
