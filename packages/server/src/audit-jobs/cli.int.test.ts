/**
 * `preaudit generate` then `preaudit audit` into XLSX, CSV and JSON, as an insurance office
 * would run them (SQLite HIS file; plain progress lines since stderr is not a terminal here).
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { buildProgram } from '../cli/main.js';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { runAudit, runGenerate, AUDIT_EXIT } from './cli.js';

function capture() {
  const lines: string[] = [];
  return {
    io: {
      stderr: {
        write: (s: string) => {
          lines.push(s);
          return true;
        },
        isTTY: false,
      },
      env: {} as Record<string, string>,
    },
    lines,
  };
}

t.test('generate a hospital, audit last month into every format', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const gen = capture();
  const g = await runGenerate({ client: 'sqlite', connection: join(dir, 'his.db'), orders: 3000, seed: 41, from: '2025-01-01', months: 3, writeConfig: join(dir, 'his.yaml') }, gen.io);
  t.equal(g.code, 0, g.error ?? 'generated');
  t.match(gen.lines.join(''), /generate: \d+ patients, \d+ encounters, \d+ order lines, 2025-01-01 … 2025-03-31/);
  t.match(readFileSync(join(dir, 'his.yaml'), 'utf8'), /client: sqlite/);

  const again = capture();
  t.equal((await runGenerate({ client: 'sqlite', connection: join(dir, 'his.db'), orders: 3000, seed: 41, from: '2025-01-01', months: 3 }, again.io)).code, 0);
  t.match(again.lines.join(''), /already there; kept it/);

  const x = capture();
  const xlsx = await runAudit({ source: join(dir, 'his.yaml'), from: '2025-03-01', to: '2025-03-31', out: join(dir, 'march.xlsx'), progress: 'auto' }, x.io);
  t.equal(xlsx.code, 0, xlsx.error ?? 'audited');
  t.ok(xlsx.findings! > 0 && xlsx.encounters! > 0);
  t.match(x.lines[0], /^audit: \d+\/\d+ encounters \(\d+\.\d%\), \d+ findings, \d+ encounters\/s/, 'plain progress lines off a terminal');
  t.match(x.lines.at(-1)!, /findings \(违规金额 [\d.]+ 元\)/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, 'march.xlsx'));
  t.same(
    wb.worksheets.map((w) => w.name),
    ['汇总', '按科室', '按医生', '按规则', '未对照编码', '违规明细'],
  );
  t.equal(wb.getWorksheet('违规明细')!.rowCount, xlsx.findings! + 1);
  t.equal(wb.getWorksheet('汇总')!.getCell('B5').value, '2025-03-31');

  const c = capture();
  const csv = await runAudit({ source: join(dir, 'his.yaml'), from: '2025-03-01', to: '2025-03-31', out: join(dir, 'march.csv'), progress: 'none' }, c.io);
  t.equal(csv.code, 0);
  t.same(
    csv.files!.map((f) => f.slice(dir.length + 1)),
    ['march.csv', 'march.summary.csv', 'march.by-department.csv', 'march.by-doctor.csv', 'march.by-rule.csv', 'march.unmapped.csv'],
  );
  const findingsCsv = readFileSync(join(dir, 'march.csv'), 'utf8');
  t.ok(findingsCsv.startsWith('\uFEFF违规标识,规则编码,规则名称,严重程度,违规内容'));
  t.equal(findingsCsv.trim().split('\r\n').length, xlsx.findings! + 1);

  const j = capture();
  const json = await runAudit({ source: join(dir, 'his.yaml'), from: '2025-03-01', to: '2025-03-31', out: join(dir, 'march.json'), progress: 'none' }, j.io);
  t.equal(json.code, 0);
  const report = JSON.parse(readFileSync(join(dir, 'march.json'), 'utf8'));
  t.equal(report.findings.length, xlsx.findings);
  t.equal(report.summary.encounters, xlsx.encounters);
  t.ok(report.by_rule.length > 0 && report.by_department.length > 0 && report.by_doctor.length > 0);
});

t.test('errors say what to fix', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { io } = capture();
  writeFileSync(join(dir, 'bad.yaml'), 'client: sqlite\nconnection: { filename: nowhere.db }\nviews:\n  orders:\n    columns: { hilist_cod: X }\n');
  let r = await runAudit({ source: join(dir, 'bad.yaml'), from: '2025-03-01', to: '2025-03-31', out: join(dir, 'x.xlsx') }, io);
  t.equal(r.code, AUDIT_EXIT.badInput);
  t.match(r.error, /views\.orders\.columns\.hilist_cod: .*did you mean hilist_code/);
  r = await runAudit({ source: join(dir, 'bad.yaml'), from: '2025-3-1', to: '2025-03-31', out: join(dir, 'x.xlsx') }, io);
  t.match(r.error, /--from: expected yyyy-MM-dd/);
  r = await runAudit({ source: join(dir, 'bad.yaml'), from: '2025-03-01', to: '2025-03-31', out: join(dir, 'x.pdf') }, io);
  t.match(r.error, /\.xlsx, \.csv or \.json/);
  t.notOk(existsSync(join(dir, 'x.xlsx')));
});

t.test('generate --rulebook names the rulebook folder whose knowledge tables give the codes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const national = capture();
  t.equal(
    (await runGenerate({ client: 'sqlite', connection: join(dir, 'a.db'), orders: 200, seed: 3, from: '2025-01-01', months: 1, rulebook: NATIONAL_RULEBOOK_DIR }, national.io)).code,
    0,
  );
  const { io } = capture();
  const r = await runGenerate({ client: 'sqlite', connection: join(dir, 'b.db'), orders: 200, seed: 3, from: '2025-01-01', months: 1, rulebook: join(dir, 'nowhere') }, io);
  t.not(r.code, 0);
  t.match(r.error, /national rulebook not readable at .*nowhere.*rulebook\.json/);
  const program = await buildProgram();
  t.ok(
    program.commands.find((c) => c.name() === 'generate')!.options.some((o) => o.long === '--rulebook'),
    'the option is on the command line',
  );
});

t.test('the commands are registered', async (t) => {
  const program = await buildProgram();
  const names = program.commands.map((c) => c.name());
  t.ok(names.includes('audit') && names.includes('generate'));
});
