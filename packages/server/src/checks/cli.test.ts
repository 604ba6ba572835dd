import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCheck, CHECK_EXIT } from './cli.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

t.test('a violating 3101 example: findings, exit 1, the national reply', async (t) => {
  const r = runCheck(join(examples, '3101-outpatient-violations.json'), {});
  t.equal(r.code, CHECK_EXIT.findings);
  t.equal(r.out?.infcode, 0);
  t.ok(r.out!.output.result.length > 0);
  t.ok(r.out!.output.result.some((f) => f.rule_id === 'GZ10000301004000' && f.rule_name === '药品区分性别使用'));
});

t.test('a clean request: exit 0, empty result', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-check-'));
  const file = join(dir, 'clean.json');
  writeFileSync(
    file,
    JSON.stringify({
      patient_dtos: [
        {
          patn_id: 'P1',
          gend: '1',
          brdy: '1970-01-01',
          fsi_encounter_dtos: [{ mdtrt_id: 'M1', fsi_order_dtos: [{ rx_id: 'R1', hilist_code: 'XL02BBA326A001010102180', hilist_name: '阿帕他胺片', drord_begn_date: '2025-06-01' }] }],
        },
      ],
    }),
  );
  const r = runCheck(file, { now: '2025-06-01' });
  t.equal(r.code, CHECK_EXIT.clean);
  t.same(r.out?.output.result, []);
});

t.test('a medins_lv outside the national table: the level rule does not fire, warn_msg names the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-check-'));
  const file = join(dir, 'level.json');
  // 参附注射液 (限二级及以上医疗机构) at level "8": not "08" (一级甲等), an unknown level.
  writeFileSync(
    file,
    JSON.stringify({
      patient_dtos: [
        {
          patn_id: 'P1',
          gend: '1',
          brdy: '1970-01-01',
          fsi_encounter_dtos: [
            { mdtrt_id: 'M1', medins_lv: '8', fsi_order_dtos: [{ rx_id: 'R1', hilist_code: 'ZA05CAC0029010102312', hilist_name: '参附注射液', drord_begn_date: '2025-06-01' }] },
          ],
        },
      ],
    }),
  );
  const r = runCheck(file, { now: '2025-06-01' });
  t.equal(r.code, CHECK_EXIT.clean);
  t.match(r.out?.warn_msg, 'patient_dtos[0].fsi_encounter_dtos[0].medins_lv');
});

t.test('bad input: exit 2 and a message naming the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-check-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ input: { data: { patient_dtos: [{ patn_id: 'P1', brdy: '1970-02-30' }] } } }));
  const r = runCheck(file, {});
  t.equal(r.code, CHECK_EXIT.badInput);
  t.match(r.error, /patient_dtos\[0\]\.brdy/);
  t.equal(runCheck(join(dir, 'missing.json'), {}).code, CHECK_EXIT.badInput);
  t.equal(runCheck(join(examples, '3101-outpatient-violations.json'), { rulebook: dir }).code, CHECK_EXIT.badInput);
});

t.test('the command line itself: exit codes and stdout', async (t) => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, 'check', ...args], { encoding: 'utf8' });
  const v = run(join(examples, '3101-outpatient-violations.json'), '--scene', '1');
  t.equal(v.status, 1, v.stderr);
  t.equal(JSON.parse(v.stdout).infcode, 0);
  const bad = run(join(examples, 'no-such-file.json'));
  t.equal(bad.status, 2);
  t.match(bad.stderr, /preaudit check: cannot read/);
});
