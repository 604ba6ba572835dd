// The bundled national rulebook: it loads, its own cases pass (one subtest each), and the
// committed files are exactly what the build script makes of the published NHSA batches.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCase } from './rulebook/cases.js';
import { loadRulebookDir, NATIONAL_RULEBOOK_DIR } from './node/index.js';

const rb = loadRulebookDir(NATIONAL_RULEBOOK_DIR);

t.test('the national rulebook covers every batch 1–8 rule', async (t) => {
  const ids = rb.rules.map((r) => r.id);
  for (const id of ['GZ10000301004000', 'GZ10000302004000', 'GZ10000301002000', 'GZ10000302003000', 'GZ10000102002000',
    'GZ10000101001000', 'GZ10000101002000', 'GZ10000101012000', 'GZ10000101010000', 'GZ10000102012000',
    'GZ10000102014000', 'GZ10000102010000']) {
    t.ok(ids.includes(id), id);
  }
  t.equal(rb.rules.length, 15);
  t.ok(rb.codeCount > 14_000, `${rb.codeCount} codes indexed`);
  t.equal(rb.rules.find((r) => r.id === 'GZ10000301004000')?.name, '药品区分性别使用');
});

t.test('every rule has cases, and every case passes', async (t) => {
  const caseRules = new Set(rb.cases.flatMap((c) => [...(c.expect ?? []), ...(c.expect_not ?? [])].map((e) => e.rule_id)));
  for (const r of rb.rules) t.ok(caseRules.has(r.id), `${r.id} ${r.name} has cases`);
  for (const c of rb.cases) {
    const problem = judgeCase(rb, c);
    t.equal(problem, undefined, c.name);
  }
});

const repo = join(NATIONAL_RULEBOOK_DIR, '..', '..');
const source = process.env.PA_LIANGKU_DIR ?? join(repo, '..', 'shared', 'data', 'nhsa-liangku');
t.test('the committed rulebook is what the build script makes of the NHSA data', { skip: existsSync(source) ? false : `no source data at ${source}` }, async (t) => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(NATIONAL_RULEBOOK_DIR, 'build.ts'), '--source', source, '--check'], { cwd: repo, encoding: 'utf8' });
  t.pass(out.trim().split('\n').pop() ?? 'rulebook up to date');
});
