import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { CITY_DEMO_V1, readFixture } from './testing/fixtures.js';
import { packBundle } from './bundle.js';
import { generateSigningKeys, keyIdOf, parseTrustedKeys, signBundle, verifyBundleSignatures } from './signing.js';

const bureau = generateSigningKeys();
const other = generateSigningKeys();
const bundle = packBundle(readFixture(CITY_DEMO_V1));

t.test('a bundle signed by a trusted key verifies and names the key', async (t) => {
  const signed = signBundle(bundle, bureau.privateKeyPem);
  t.equal(signed.signatures.length, 1);
  t.equal(signed.signatures[0].key_id, bureau.keyId);
  t.equal(keyIdOf(bureau.publicKeyPem), bureau.keyId);
  const r = verifyBundleSignatures(signed, parseTrustedKeys([bureau.publicKeyPem]));
  t.same(r, { ok: true, keyId: bureau.keyId });
});

t.test('unsigned, unknown key, and changed manifest are refused as bad_signature', async (t) => {
  const trusted = parseTrustedKeys([bureau.publicKeyPem]);
  const unsigned = verifyBundleSignatures(bundle, trusted);
  t.equal(unsigned.ok, false);
  if (!unsigned.ok)
    t.same(
      unsigned.refusals.map((r) => r.reason),
      ['bad_signature'],
    );

  const byOther = verifyBundleSignatures(signBundle(bundle, other.privateKeyPem), trusted);
  t.equal(byOther.ok, false);
  if (!byOther.ok) t.match(byOther.refusals[0].message, other.keyId);

  const signed = signBundle(bundle, bureau.privateKeyPem);
  const edited = { ...signed, manifest: { ...signed.manifest, rulebook: { ...signed.manifest.rulebook, effective_from: '2020-01-01' } } };
  const r = verifyBundleSignatures(edited, trusted);
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.refusals[0].message, '验证失败');
});

t.test('one trusted signature among others is enough; re-signing replaces the same key', async (t) => {
  const both = signBundle(signBundle(bundle, other.privateKeyPem), bureau.privateKeyPem);
  t.equal(verifyBundleSignatures(both, parseTrustedKeys([bureau.publicKeyPem])).ok, true);
  t.equal(signBundle(both, bureau.privateKeyPem).signatures.length, 2);
});

t.test('trusted keys: several PEMs in one file; non-Ed25519 keys are rejected', async (t) => {
  const map = parseTrustedKeys([`${bureau.publicKeyPem}\n${other.publicKeyPem}`]);
  t.same([...map.keys()].sort(), [bureau.keyId, other.keyId].sort());
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.throws(() => parseTrustedKeys([rsa]), /Ed25519/);
  t.throws(() => parseTrustedKeys(['not a key']), /PEM/);
  const rsaPriv = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  t.throws(() => signBundle(bundle, rsaPriv), /Ed25519/);
});
