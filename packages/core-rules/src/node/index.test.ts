// Reading a rulebook folder from disk: only what the rulebook format defines is read, so a folder
// that is also a package (package.json, NHSA sources, build tooling) keeps those out of bundles.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadRulebookDir, readRulebookDir, type RulebookLoadError } from './index.js';

/** 阿帕他胺片 (NHSA 两库 batch 1, 药品区分性别使用): real national codes. */
const APALUTAMIDE = ['XL02BBA326A001010102180', 'XL02BBA326A001010178537'];

const manifest = (file: string) =>
  JSON.stringify(
    {
      id: 'read-dir-test',
      version: '2025.1.0',
      name: '读取测试',
      issuer: '测试',
      effective_from: '2025-01-01',
      effective_to: null,
      knowledge: { drug_gender: { file, source: 'rulebooks/nhsa-liangku/knowledge/drug_gender.csv（节选）' } },
      rules: [
        {
          id: 'GZ10000301004000',
          name: '药品区分性别使用',
          category: '药品',
          sev_deg: '1',
          result_type: '明确违规',
          phases: ['事前', '事中', '事后'],
          window: '当次就诊',
          message: '「{point}」限{limit}使用，患者性别为{actual}',
          basis: '国家医保局智能监管“两库”知识点第一批',
          template: 'sex-limit',
          params: {},
          knowledge: 'drug_gender',
        },
      ],
    },
    null,
    2,
  );

function folder(t: Test, knowledgeFile = 'tables/drug_gender.csv'): string {
  const dir = mkdtempSync(join(tmpdir(), 'pa-read-dir-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['tables', 'cases/more', 'source/2025', 'build', '.tap', 'knowledge']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'rulebook.json'), manifest(knowledgeFile));
  writeFileSync(join(dir, 'tables', 'drug_gender.csv'), `name,codes,sex,note\n阿帕他胺片,${APALUTAMIDE.join('|')},1,前列腺癌\n`);
  writeFileSync(join(dir, 'cases', 'a.json'), '[]\n');
  writeFileSync(join(dir, 'cases', 'more', 'b.json'), '[]\n');
  // Not part of the rulebook: the package, its sources and tooling, an unnamed table.
  writeFileSync(join(dir, 'package.json'), '{"name":"@x/rulebook","version":"0.1.0"}\n');
  writeFileSync(join(dir, 'source', '2025', 'batch01_drug_gender_codes.csv'), `药品通用名,序号,药品代码,限定类型\n阿帕他胺片,1,${APALUTAMIDE[0]},限定性别对象\n`);
  writeFileSync(join(dir, 'build', 'fixture.json'), '{}\n');
  writeFileSync(join(dir, '.tap', 'results.json'), '{}\n');
  writeFileSync(join(dir, 'knowledge', 'unused.csv'), 'name,codes\n');
  return dir;
}

t.test('reads rulebook.json, the knowledge files the manifest names and cases/, nothing else', async (t) => {
  const dir = folder(t);
  const files = readRulebookDir(dir);
  t.same(Object.keys(files.files).sort(), ['cases/a.json', 'cases/more/b.json', 'tables/drug_gender.csv']);
  t.equal(JSON.parse(files.manifest as string).id, 'read-dir-test');
  const rb = loadRulebookDir(dir);
  t.equal(rb.rules.length, 1);
  t.equal(rb.codeCount, 2, 'the two codes of the named table, none of the sources');
});

t.test('a named file that is missing or outside the folder is reported by the loader, naming the field', async (t) => {
  for (const file of ['knowledge/missing.csv', '../outside.csv']) {
    const dir = folder(t, file);
    writeFileSync(join(dir, '..', 'outside.csv'), 'name,codes,sex\n');
    t.teardown(() => rmSync(join(dir, '..', 'outside.csv'), { force: true }));
    t.notOk(
      Object.keys(readRulebookDir(dir).files).some((f) => f.includes('outside') || f.includes('missing')),
      `${file} not read`,
    );
    const err = t.throws(() => loadRulebookDir(dir)) as RulebookLoadError;
    t.match(err.problems, [{ field: 'knowledge.drug_gender.file', message: /is not in the rulebook folder/ }], file);
  }
});

t.test('a folder without rulebook.json says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-read-dir-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const err = t.throws(() => readRulebookDir(dir)) as RulebookLoadError;
  t.match(err.problems, [{ field: 'rulebook.json', message: /cannot read/ }]);
});
