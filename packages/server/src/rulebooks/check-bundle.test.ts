import t from 'tap';
import { CITY_DEMO_V1, readFixture } from '../test-support/rulebooks/fixtures.js';
import { packBundle, serializeBundle } from './bundle.js';
import { checkBundle } from './check-bundle.js';
import { generateSigningKeys, parseTrustedKeys, signBundle } from './signing.js';

const bureau = generateSigningKeys();
const stranger = generateSigningKeys();
const trustedKeys = parseTrustedKeys([bureau.publicKeyPem]);
const v1 = readFixture(CITY_DEMO_V1);

/** v1 with its rulebook.json and cases edited, packed and signed by `key`. */
function variant(edit: (m: any, cases: any[]) => void = () => undefined, key = bureau.privateKeyPem) {
  const m = JSON.parse(v1.manifest as string);
  const cases = JSON.parse(v1.files['cases/cases.json']);
  edit(m, cases);
  const files = { manifest: JSON.stringify(m, null, 2), files: { ...v1.files, 'cases/cases.json': JSON.stringify(cases) } };
  return signBundle(packBundle(files), key);
}
const reasons = (r: ReturnType<typeof checkBundle>) => (r.ok ? [] : r.refusals.map((x) => x.reason));

t.test('a bundle signed by a trusted key, intact, valid and passing its cases is accepted, compiled', async (t) => {
  const r = checkBundle(serializeBundle(variant()), { trustedKeys });
  if (!r.ok) return t.fail(JSON.stringify(r.refusals));
  t.equal(r.keyId, bureau.keyId);
  t.equal(r.compiled.id, 'city-demo');
  t.equal(r.compiled.version, '2025.9.0');
  t.same(r.cases, { passed: 3, failed: 0 });
});

t.test('malformed_bundle: not JSON, or not a bundle', async (t) => {
  t.same(reasons(checkBundle('{', { trustedKeys })), ['malformed_bundle']);
  t.same([...new Set(reasons(checkBundle({ hello: 1 }, { trustedKeys })))], ['malformed_bundle']);
});

t.test('bad_signature: unsigned, or signed by a key that is not trusted', async (t) => {
  const unsigned = { ...variant(), signatures: [] };
  t.same(reasons(checkBundle(unsigned, { trustedKeys })), ['bad_signature']);
  const r = checkBundle(variant(undefined, stranger.privateKeyPem), { trustedKeys });
  t.same(reasons(r), ['bad_signature']);
  if (!r.ok) t.match(r.refusals[0].message, stranger.keyId);
});

t.test('tampered_file: a knowledge file changed after signing', async (t) => {
  const b = variant();
  b.files['knowledge/drug_gender.csv'] = b.files['knowledge/drug_gender.csv'].replace(',1,', ',2,');
  const r = checkBundle(b, { trustedKeys });
  t.same(reasons(r), ['tampered_file']);
  if (!r.ok) t.equal(r.refusals[0].field, 'knowledge/drug_gender.csv');
});

t.test('schema_error: the rule and field are named', async (t) => {
  const r = checkBundle(variant((m) => (m.rules[1].template = 'no-such-template')), { trustedKeys });
  t.same([...new Set(reasons(r))], ['schema_error']);
  if (!r.ok) t.ok(r.refusals.some((x) => x.field?.startsWith('rules[1]')), JSON.stringify(r.refusals));
});

t.test('failing_case: each failing case is named; a rulebook without cases is refused too', async (t) => {
  const r = checkBundle(variant((_m, cases) => (cases[0].expect = [{ rule_id: 'GZ10000102014000' }])), { trustedKeys });
  t.same(reasons(r), ['failing_case']);
  if (!r.ok) t.equal(r.refusals[0].field, '女性患者开阿帕他胺片');
  const none = checkBundle(variant((_m, cases) => cases.splice(0)), { trustedKeys });
  t.same(reasons(none), ['failing_case']);
});

t.test('version_not_newer: equal or older than a version already known', async (t) => {
  t.same(reasons(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.8.0', '2025.9.0'] })), ['version_not_newer']);
  t.same(reasons(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.10.0'] })), ['version_not_newer']);
  t.equal(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.8.9'] }).ok, true);
});
