import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { CITY_DEMO_V1, CITY_DEMO_V2 } from './testing/fixtures.js';
import { register, rulebookDiff, rulebookFeed, rulebookKeygen, rulebookPack, rulebookSign, rulebookTest, rulebookVerify } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pa-cli-rulebook-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);

t.test('keygen writes a private key readable only by its owner and a public key; never overwrites', async (t) => {
  const r = rulebookKeygen({ output: p('bureau') });
  t.equal(r.code, 0);
  t.match(r.out, /已生成 Ed25519 密钥 [0-9a-f]{16}/);
  t.match(readFileSync(p('bureau.key.pem'), 'utf8'), /BEGIN PRIVATE KEY/);
  t.match(readFileSync(p('bureau.pub.pem'), 'utf8'), /BEGIN PUBLIC KEY/);
  t.equal(statSync(p('bureau.key.pem')).mode & 0o077, 0);
  t.equal(rulebookKeygen({ output: p('bureau') }).code, 1);
  t.equal(rulebookKeygen({ output: p('other') }).code, 0);
});

t.test('test: a good folder passes with counts', async (t) => {
  const r = rulebookTest(CITY_DEMO_V1);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /city-demo@2025\.9\.0：启用规则 2 条.*测试用例 3 个全部通过/);
});

t.test('test: a failing case and a schema error are reported and exit 1', async (t) => {
  const broken = p('broken');
  cpSync(CITY_DEMO_V1, broken, { recursive: true });
  const cases = JSON.parse(readFileSync(join(broken, 'cases/cases.json'), 'utf8'));
  cases[0].expect = [{ rule_id: 'GZ10000102014000', rx_id: 'R1' }];
  writeFileSync(join(broken, 'cases/cases.json'), JSON.stringify(cases));
  const failing = rulebookTest(broken);
  t.equal(failing.code, 1);
  t.match(failing.err, /自带测试用例未通过.*女性患者开阿帕他胺片/);

  const m = JSON.parse(readFileSync(join(broken, 'rulebook.json'), 'utf8'));
  m.rules[0].sev_deg = '7';
  writeFileSync(join(broken, 'rulebook.json'), JSON.stringify(m));
  const schema = rulebookTest(broken);
  t.equal(schema.code, 1);
  t.match(schema.err, /不符合格式.*rules\[0\]/);
  t.equal(rulebookPack(broken, { output: p('broken.bundle.json') }).code, 1, 'pack refuses a rulebook that does not pass');
});

t.test('pack → sign → verify; a tampered bundle and an untrusted key fail verify', async (t) => {
  const bundle = p('v1.bundle.json');
  const packed = rulebookPack(CITY_DEMO_V1, { output: bundle });
  t.equal(packed.code, 0, packed.err);
  t.match(packed.out, /已打包 city-demo@2025\.9\.0（4 个文件，测试用例 3 个通过）/);

  const unsigned = rulebookVerify(bundle, { pub: [p('bureau.pub.pem')] });
  t.equal(unsigned.code, 1);
  t.match(unsigned.err, /规则包未签名/);

  const signed = rulebookSign(bundle, { key: p('bureau.key.pem') });
  t.equal(signed.code, 0, signed.err);
  const ok = rulebookVerify(bundle, { pub: [p('bureau.pub.pem')] });
  t.equal(ok.code, 0, ok.err);
  t.match(ok.out, /验证通过.*测试用例 3 个通过/);

  t.equal(rulebookVerify(bundle, { pub: [p('other.pub.pem')] }).code, 1);
  t.equal(rulebookVerify(bundle, { pub: [p('other.pub.pem'), p('bureau.pub.pem')] }).code, 0, 'any trusted key will do');

  const b = JSON.parse(readFileSync(bundle, 'utf8'));
  b.files['knowledge/drug_gender.csv'] = b.files['knowledge/drug_gender.csv'].replace('阿帕他胺片', '阿帕他胺片X');
  writeFileSync(p('tampered.bundle.json'), JSON.stringify(b));
  const tampered = rulebookVerify(p('tampered.bundle.json'), { pub: [p('bureau.pub.pem')] });
  t.equal(tampered.code, 1);
  t.match(tampered.err, /文件被篡改或缺失 knowledge\/drug_gender\.csv/);
});

t.test('diff reads folders and bundles alike', async (t) => {
  const r = rulebookDiff(p('v1.bundle.json'), CITY_DEMO_V2);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /city-demo@2025\.9\.0 → city-demo@2025\.10\.0/);
  t.match(r.out, /启用状态：启用 → 停用/);
  const json = JSON.parse(rulebookDiff(CITY_DEMO_V1, CITY_DEMO_V2, { json: true }).out);
  t.same(json.knowledge[0].added, ['丹莪妇康煎膏']);
  t.equal(rulebookDiff(p('nope'), CITY_DEMO_V2).code, 1);
});

t.test('feed lists the bundles of a folder', async (t) => {
  const feedDir = p('feed');
  cpSync(p('v1.bundle.json'), join(feedDir, 'city-demo-2025.9.0.bundle.json'), { recursive: true });
  const r = rulebookFeed(feedDir);
  t.equal(r.code, 0, r.err);
  t.match(r.out, /city-demo@2025\.9\.0 {2}生效 2025-01-01/);
  t.equal(JSON.parse(readFileSync(join(feedDir, 'feed.json'), 'utf8')).bundles.length, 1);
});

t.test('the commands are wired under `preaudit rulebook`', async (t) => {
  const program = new Command().exitOverride();
  register(program);
  const before = process.exitCode;
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = (s: string) => ((out += s), true);
  try {
    await program.parseAsync(['rulebook', 'test', CITY_DEMO_V1], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  t.equal(process.exitCode ?? 0, 0);
  process.exitCode = before;
  t.match(out, /全部通过/);
  t.same(
    program.commands.find((c) => c.name() === 'rulebook')?.commands.map((c) => c.name()),
    ['test', 'pack', 'sign', 'verify', 'diff', 'keygen', 'feed'],
  );
});
