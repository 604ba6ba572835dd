import t from 'tap';
import { CITY_DEMO_V1, readFixture } from './testing/fixtures.js';
import { BUNDLE_FORMAT, bundleRulebookFiles, checkFileHashes, packBundle, parseBundle, serializeBundle, sha256Hex } from './bundle.js';

const files = readFixture(CITY_DEMO_V1);

t.test('pack lists every file with its SHA-256 and the rulebook identity', async (t) => {
  const b = packBundle(files, { packedAt: new Date('2025-09-01T00:00:00Z') });
  t.equal(b.format, BUNDLE_FORMAT);
  t.same(b.manifest.rulebook, {
    id: 'city-demo',
    version: '2025.9.0',
    name: '示例市医保审核规则库（测试用）',
    issuer: '示例市医疗保障局',
    effective_from: '2025-01-01',
    effective_to: null,
  });
  t.same(Object.keys(b.manifest.files).sort(), ['cases/cases.json', 'knowledge/drug_gender.csv', 'knowledge/item_daily_count.csv', 'rulebook.json']);
  t.equal(b.manifest.files['knowledge/drug_gender.csv'], sha256Hex(files.files['knowledge/drug_gender.csv']));
  t.same(b.signatures, []);
  t.same(checkFileHashes(b), []);
});

t.test('a bundle survives serialisation and gives back the same rulebook files', async (t) => {
  const text = serializeBundle(packBundle(files));
  const parsed = parseBundle(text);
  if (!parsed.ok) return t.fail('parse failed');
  const back = bundleRulebookFiles(parsed.bundle);
  if (!back.ok) return t.fail('files failed');
  t.same(back.files.files, files.files);
  t.same(back.files.manifest, JSON.parse(files.manifest as string));
});

t.test('shape problems are all listed as malformed_bundle', async (t) => {
  const bad = parseBundle({ format: 'x', manifest: { rulebook: { id: 1 }, files: { '../etc/passwd': 'zz' } }, files: [], signatures: {} });
  t.equal(bad.ok, false);
  if (bad.ok) return;
  t.ok(bad.refusals.every((r) => r.reason === 'malformed_bundle'));
  const fields = bad.refusals.map((r) => r.field);
  for (const f of ['format', 'manifest.rulebook.id', 'manifest.rulebook.version', 'manifest.files.../etc/passwd', 'files', 'signatures']) t.ok(fields.includes(f), f);
  const notJson = parseBundle('{ nope');
  t.equal(notJson.ok, false);
});

t.test('a changed, missing or extra file is tampering', async (t) => {
  const b = packBundle(files);
  const changed = { ...b, files: { ...b.files, 'knowledge/drug_gender.csv': b.files['knowledge/drug_gender.csv'].replace(',1,', ',2,') } };
  t.same(
    checkFileHashes(changed).map((r) => [r.reason, r.field]),
    [['tampered_file', 'knowledge/drug_gender.csv']],
  );
  const { ['cases/cases.json']: _gone, ...rest } = b.files;
  t.same(
    checkFileHashes({ ...b, files: rest }).map((r) => r.field),
    ['cases/cases.json'],
  );
  t.same(
    checkFileHashes({ ...b, files: { ...b.files, 'cases/extra.json': '[]' } }).map((r) => r.field),
    ['cases/extra.json'],
  );
});

t.test('the manifest must name the rulebook its rulebook.json describes', async (t) => {
  const b = packBundle(files);
  const lying = { ...b, manifest: { ...b.manifest, rulebook: { ...b.manifest.rulebook, version: '9999.0.0' } } };
  const r = bundleRulebookFiles(lying);
  t.equal(r.ok, false);
  if (!r.ok)
    t.same(
      r.refusals.map((x) => [x.reason, x.field]),
      [['schema_error', 'manifest.rulebook.version']],
    );
});
