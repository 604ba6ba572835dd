import t from 'tap';
import { CITY_DEMO_V1, readFixture } from './testing/fixtures.js';
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
  const r = checkBundle(
    variant((m) => (m.rules[1].template = 'no-such-template')),
    { trustedKeys },
  );
  t.same([...new Set(reasons(r))], ['schema_error']);
  if (!r.ok)
    t.ok(
      r.refusals.some((x) => x.field?.startsWith('rules[1]')),
      JSON.stringify(r.refusals),
    );
});

t.test('failing_case: each failing case is named; a rulebook without cases is refused too', async (t) => {
  const r = checkBundle(
    variant((_m, cases) => (cases[0].expect = [{ rule_id: 'GZ10000102014000' }])),
    { trustedKeys },
  );
  t.same(reasons(r), ['failing_case']);
  if (!r.ok) t.equal(r.refusals[0].field, '女性患者开阿帕他胺片');
  const none = checkBundle(
    variant((_m, cases) => cases.splice(0)),
    { trustedKeys },
  );
  t.same(reasons(none), ['failing_case']);
});

t.test('version_not_newer: equal or older than a version already known', async (t) => {
  t.same(reasons(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.8.0', '2025.9.0'] })), ['version_not_newer']);
  t.same(reasons(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.10.0'] })), ['version_not_newer']);
  t.equal(checkBundle(variant(), { trustedKeys, knownVersions: () => ['2025.8.9'] }).ok, true);
});

t.test('a file named constructor that the signed manifest does not list is tampering (issue 10 #10)', async (t) => {
  const b = variant();
  b.files['constructor'] = '{}';
  const r = checkBundle(b, { trustedKeys });
  t.same(reasons(r), ['tampered_file']);
  if (!r.ok) t.equal(r.refusals[0].field, 'constructor');
  // The same over the wire, where the bundle arrives as text.
  // Spliced into the text: an object literal cannot carry an own __proto__ key.
  const json = JSON.stringify(variant());
  const at = json.lastIndexOf('"files":{') + '"files":{'.length;
  const text = `${json.slice(0, at)}"constructor":"{}","__proto__":"{}",${json.slice(at)}`;
  const wire = checkBundle(text, { trustedKeys });
  t.same([...new Set(reasons(wire))], ['tampered_file']);
  if (!wire.ok) t.same(wire.refusals.map((x) => x.field).sort(), ['__proto__', 'constructor']);
});

t.test('an unsigned bundle whose manifest lists constructor or __proto__ is refused, not thrown (issue 10 #10)', async (t) => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const b = variant();
    const text = JSON.stringify({ ...b, signatures: [] }).replace('"files":{', `"files":{"${name}":"${'0'.repeat(64)}",`);
    let r: ReturnType<typeof checkBundle> | undefined;
    t.doesNotThrow(() => (r = checkBundle(text, { trustedKeys })), name);
    t.equal(r?.ok, false, name);
    t.ok(r && !r.ok && r.refusals.some((x) => x.field === name), `${name}: ${JSON.stringify(r && !r.ok && r.refusals)}`);
  }
});

t.test('file names must be plain relative paths (issue 10 #10)', async (t) => {
  for (const bad of ['a b.csv', 'knowledge/.hidden.csv', 'knowledge//x.csv', 'C:x.csv', 'knowledge/x.csv\n', 'x'.repeat(300)]) {
    const b = variant();
    b.files[bad] = 'x';
    const r = checkBundle(b, { trustedKeys });
    t.ok(!r.ok && r.refusals.some((x) => x.reason === 'malformed_bundle'), JSON.stringify(bad));
  }
});

t.test('the signature list is bounded: 100,000 bogus signatures are refused at once, naming the field (issue 10 #15)', async (t) => {
  const b = variant();
  const bogus = Array.from({ length: 100_000 }, (_, i) => ({ key_id: i.toString(16).padStart(16, '0'), alg: 'ed25519', sig: 'AAAA' }));
  const started = performance.now();
  const r = checkBundle({ ...b, signatures: [...bogus, ...b.signatures] }, { trustedKeys });
  t.ok(performance.now() - started < 1000, 'answered within a second');
  t.same(reasons(r), ['malformed_bundle']);
  if (!r.ok) {
    t.equal(r.refusals.length, 1);
    t.equal(r.refusals[0].field, 'signatures');
  }
  // At the bound, still accepted.
  const eight = [...bogus.slice(0, 7), ...b.signatures];
  t.equal(checkBundle({ ...b, signatures: eight }, { trustedKeys }).ok, true);
});

t.test('the file lists are bounded too (issue 10 #15)', async (t) => {
  const b = variant();
  const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`cases/c${i}.json`, '[]']));
  const r = checkBundle({ ...b, files: { ...b.files, ...many } }, { trustedKeys });
  t.ok(!r.ok && r.refusals.length === 1 && r.refusals[0].field === 'files', JSON.stringify(!r.ok && r.refusals.slice(0, 3)));
  const hashes = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`cases/c${i}.json`, '0'.repeat(64)]));
  const m = checkBundle({ ...b, manifest: { ...b.manifest, files: { ...b.manifest.files, ...hashes } } }, { trustedKeys });
  t.ok(!m.ok && m.refusals.length === 1 && m.refusals[0].field === 'manifest.files', JSON.stringify(!m.ok && m.refusals.slice(0, 3)));
});
