// The bundled national rulebook: it loads, its own cases pass (one subtest each), and the
// committed files are exactly what the build script makes of the published NHSA batches.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { judgeCase } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR, SOURCE_DIR } from './index.js';

const rb = loadRulebookDir(NATIONAL_RULEBOOK_DIR);

t.test('the national rulebook covers every batch 1–8 rule and the rules of the 2026-01 revision', async (t) => {
  const ids = rb.rules.map((r) => r.id);
  for (const id of [
    'GZ10000301004000',
    'GZ10000302004000',
    'GZ10000301002000',
    'GZ10000302003000',
    'GZ10000102002000',
    'GZ10000101001000',
    'GZ10000101002000',
    'GZ10000101012000',
    'GZ10000101010000',
    'GZ10000102012000',
    'GZ10000102014000',
    'GZ10000102010000',
    'GZ10000101007000',
  ]) {
    t.ok(ids.includes(id), id);
  }
  t.ok(rb.rules.length >= 16, `${rb.rules.length} rules`);
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

t.test('the package points at this folder and at the vendored NHSA batches', async (t) => {
  t.equal(NATIONAL_RULEBOOK_DIR, import.meta.dirname);
  t.equal(SOURCE_DIR, join(import.meta.dirname, 'source', '2025'));
});

t.test('the committed rulebook is what the build script makes of the vendored NHSA data', async (t) => {
  // No --source: the build's default must be the vendored batches, inside the repository.
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(NATIONAL_RULEBOOK_DIR, 'build.ts'), '--check'], {
    cwd: NATIONAL_RULEBOOK_DIR,
    encoding: 'utf8',
    env: { ...process.env, PA_LIANGKU_DIR: '' },
  });
  t.match(out, `matches ${SOURCE_DIR}`);
  t.pass(out.trim().split('\n').pop() ?? 'rulebook up to date');
});
