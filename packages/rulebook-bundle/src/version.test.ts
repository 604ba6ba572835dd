import t from 'tap';
import { compareVersions, isVersion } from './version.js';

t.test('dotted numeric parts compare as numbers', async (t) => {
  t.equal(compareVersions('2025.10.0', '2025.9.3'), 1);
  t.equal(compareVersions('2025.8.0', '2025.8.1'), -1);
  t.equal(compareVersions('1.2', '1.10'), -1);
  t.equal(compareVersions('1.2', '1.2.0'), 0);
  t.equal(compareVersions('1.0', '1.0.0'), 0);
});

t.test('a pre-release sorts before its release (semver precedence)', async (t) => {
  t.equal(compareVersions('2025.8.0-rc1', '2025.8.0'), -1);
  t.equal(compareVersions('2025.8.0', '2025.8.0-rc1'), 1);
  t.equal(compareVersions('1.0.0-rc2', '1.0.0-rc1'), 1);
  t.equal(compareVersions('1.0.0-rc.2', '1.0.0-rc.10'), -1, 'numeric pre-release identifiers compare as numbers');
  t.equal(compareVersions('2025.8.0-rc1', '2025.7.9'), 1, 'a pre-release still comes after the release before it');
});

t.test('leading zeros and parts beyond the third, as rulebook.schema.json allows', async (t) => {
  t.equal(compareVersions('2025.08.0', '2025.8.0'), 0);
  t.equal(compareVersions('1.2.3.4', '1.2.3'), 1);
  t.equal(compareVersions('1.2.3.4', '1.2.3.10'), -1);
  t.equal(compareVersions('1.2.4', '1.2.3.9'), 1);
});

t.test('sorts a list', async (t) => {
  t.same(['2025.10.0', '2025.8.0', '2025.8.0-rc1', '2025.9.3'].sort(compareVersions), ['2025.8.0-rc1', '2025.8.0', '2025.9.3', '2025.10.0']);
});

t.test('a string that is no version is refused, naming it', async (t) => {
  t.throws(() => compareVersions('latest', '1.0.0'), /not a version: "latest"/);
  t.notOk(isVersion('1.x'));
  t.ok(isVersion('2025.8.0-rc1'));
});
