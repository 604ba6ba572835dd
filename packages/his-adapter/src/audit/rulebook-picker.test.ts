import t from 'tap';
import { compareVersions, inForce, pickRulebook, type RulebookVersionInfo } from './rulebook-picker.js';

const v1: RulebookVersionInfo = { id: 'city', version: '2024.1.0', effective_from: '2024-01-01', effective_to: '2025-01-01' };
const v2: RulebookVersionInfo = { id: 'city', version: '2025.1.0', effective_from: '2025-01-01', effective_to: null };
const v2b: RulebookVersionInfo = { id: 'city', version: '2025.1.1', effective_from: '2025-01-01', effective_to: null };
const later: RulebookVersionInfo = { id: 'city', version: '2025.2.0', effective_from: '2025-03-01 00:00:00', effective_to: null };

t.test('versions compare numerically', async (t) => {
  t.equal(compareVersions('2025.10.0', '2025.9.1'), 1);
  t.equal(compareVersions('1.0', '1.0.0'), 0);
  t.equal(compareVersions('1.2', '1.10'), -1);
});

t.test('effective_to is exclusive', async (t) => {
  t.ok(inForce(v1, '2024-12-31 23:59:59'));
  t.notOk(inForce(v1, '2025-01-01'));
  t.ok(inForce(v2, '2025-01-01 00:00:00'));
});

t.test('the version in force on the order date is picked', async (t) => {
  t.equal(pickRulebook([v1, v2], '2024-06-01 08:00:00'), v1);
  t.equal(pickRulebook([v1, v2], '2025-02-01'), v2);
  t.equal(pickRulebook([v1, v2, v2b], '2025-02-01'), v2b, 'same start: the higher version');
  t.equal(pickRulebook([v1, v2, later], '2025-03-15'), later, 'overlapping: the later start');
  t.equal(pickRulebook([v2], '2023-05-01', v1), v1, 'none in force: the fallback (the active one)');
  t.equal(pickRulebook([v1, v2], undefined, v2), v2);
  t.equal(pickRulebook([v1, v2b, v2], '2025-02-01', v2), v2, 'the active version wins where it is in force (a rolled-back 2025.1.1 does not)');
  t.equal(pickRulebook([v1, v2], '2024-06-01', v2), v1, 'older dates still go to the version of their time');
});
