import t from 'tap';
import { compareVersions } from './version.js';

t.test('dotted numeric parts compare as numbers', async (t) => {
  t.ok(compareVersions('2025.10.0', '2025.9.3') > 0);
  t.ok(compareVersions('2025.8.0', '2025.8.1') < 0);
  t.equal(compareVersions('1.2', '1.2.0'), 0);
});

t.test('a release outranks its pre-release', async (t) => {
  t.ok(compareVersions('1.0.0', '1.0.0-rc1') > 0);
  t.ok(compareVersions('1.0.0-rc2', '1.0.0-rc1') > 0);
});
