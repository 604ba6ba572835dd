/**
 * The workflow's pure parts: working-day deadlines, the transition table and its refusals,
 * who may act, department scope, and the cursor codec.
 */
import t from 'tap';
import { addWorkingDays, deadlinePassed, inScope, mayAct, transitionRefusal, TRANSITIONS, STATUSES, ACTIONS } from './workflow.js';
import { decodeCursor, encodeCursor, wallClockIso } from './store.js';

t.test('working days count Monday to Friday only', async (t) => {
  // 2025-06-13 is a Friday
  t.equal(addWorkingDays(new Date(2025, 5, 13, 15), 1), '2025-06-16', 'Friday + 1 → Monday');
  t.equal(addWorkingDays(new Date(2025, 5, 13, 15), 10), '2025-06-27');
  t.equal(addWorkingDays(new Date(2025, 5, 14, 9), 1), '2025-06-16', 'Saturday + 1 → Monday');
  t.equal(addWorkingDays(new Date(2025, 5, 16, 9), 5), '2025-06-23', 'Monday + 5 → next Monday');
  t.equal(addWorkingDays(new Date(2025, 11, 29, 9), 3), '2026-01-01', 'across the year');
  t.equal(deadlinePassed('2025-06-13', new Date(2025, 5, 13, 23, 59)), false, 'the deadline day itself is allowed');
  t.equal(deadlinePassed('2025-06-13', new Date(2025, 5, 14, 0, 1)), true);
  t.equal(deadlinePassed(null, new Date()), false);
});

t.test('every action from every status: allowed exactly where the table says', async (t) => {
  const now = new Date(2025, 5, 15);
  for (const action of ACTIONS) {
    for (const status of STATUSES) {
      const refusal = transitionRefusal(action, status, '2025-06-01', now);
      const allowed = TRANSITIONS[action].from.includes(status);
      if (allowed) t.equal(refusal, undefined, `${action} from ${status}`);
      else t.match(refusal, new RegExp(`当前状态为「.+」\\(${status}\\)`), `${action} from ${status} refused naming the status`);
    }
  }
  t.match(transitionRefusal('finalize', 'referred', '2025-06-20', now), /期限 2025-06-20 未到/);
  t.equal(transitionRefusal('finalize', 'referred', '2025-06-14', now), undefined);
});

t.test('who may act', async (t) => {
  const reviewer = { actor: 'r', role: 'insurance-office', userRole: 'reviewer' } as const;
  const head = { actor: 'h', role: 'insurance-office', userRole: 'head' } as const;
  const dept = { actor: 'd', role: 'department', departments: ['D01'] } as const;
  const key = { actor: 'k', role: 'insurance-office' } as const;
  t.equal(mayAct(reviewer, 'confirm', true), undefined);
  t.ok(mayAct(reviewer, 'finalize', true));
  t.ok(mayAct(key, 'finalize', true), 'an insurance-office key is no head');
  t.equal(mayAct(head, 'finalize', true), undefined);
  t.ok(mayAct(dept, 'confirm', true));
  t.equal(mayAct(dept, 'explain', true), undefined);
  t.ok(mayAct(reviewer, 'explain', true));
  t.equal(mayAct({ actor: 'a', role: 'admin' }, 'explain', true), undefined);
  t.equal(mayAct({ actor: 'anonymous', role: 'none' }, 'finalize', false), undefined, 'auth off: every guard passes');
  t.equal(inScope(dept, 'D01'), true);
  t.equal(inScope(dept, 'D02'), false);
  t.equal(inScope(dept, null), false);
  t.equal(inScope(reviewer, null), true);
});

t.test('cursors round-trip and refuse anything else', async (t) => {
  const c = { sort: 'severity' as const, order: 'desc' as const, values: [3, '2025-06-15T04:00:00.000Z', 42] };
  t.same(decodeCursor(encodeCursor(c)), c);
  for (const bad of [
    '',
    'xyz',
    Buffer.from('[1,2,3]').toString('base64url'),
    Buffer.from('["time","desc",["a","b"]]').toString('base64url'),
    Buffer.from('["name","desc",["a",1]]').toString('base64url'),
  ]) {
    t.equal(decodeCursor(bad), undefined, `refused: ${bad}`);
  }
});

t.test('wall-clock order dates → ISO', async (t) => {
  t.equal(wallClockIso('2025-06-10 09:30:00'), new Date(2025, 5, 10, 9, 30).toISOString());
  t.equal(wallClockIso('2025-06-10'), new Date(2025, 5, 10).toISOString());
  t.equal(wallClockIso('not a date'), undefined);
  t.equal(wallClockIso(null), undefined);
});
