/**
 * Tests of the national rulebook build: the CSV reader/writer, the course-text parser, and
 * that bad source rows stop the build with the file and line. Run:
 *   npm test -w @preaudit/nhsa-liangku   (or, in this folder: npx tap build/build.test.ts)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseCsv, writeCsv } from './csv.js';
import { parseCourseText } from './course-text.js';
import { isFooterRow } from './source.js';
import { buildTables, perStayText } from './tables.js';
import { SOURCE_DIR } from '../index.js';

const HERE = import.meta.dirname;
const BUILD = join(HERE, '..', 'build.ts');
const SOURCE = process.env.PA_LIANGKU_DIR || SOURCE_DIR;

t.test('CSV round-trips commas, quotes, line breaks and Chinese text', async (t) => {
  const rows = [{ a: '限：1.1岁至14岁，"哮喘"', b: 'x\ny', c: ' lead' }, { a: '', b: '普通', c: 'a,b' }];
  const text = writeCsv(['a', 'b', 'c'], rows);
  const back = parseCsv(text);
  t.same(back.map((r) => r.fields), [['a', 'b', 'c'], ...rows.map((r) => [r.a, r.b, r.c])]);
  t.equal(back[2].line, 4, 'a record after a quoted line break starts on the right line');
});

t.test('CSV reader accepts CRLF and a BOM, rejects an unterminated quote', async (t) => {
  t.same(parseCsv('\ufeffx,y\r\n1,"2,3"\r\n').map((r) => r.fields), [['x', 'y'], ['1', '2,3']]);
  t.throws(() => parseCsv('a,"b\n'), /unterminated/);
});

t.test('footers are recognised, data rows are not', async (t) => {
  t.ok(isFooterRow(['合计', '', '', '', '']));
  t.ok(isFooterRow(['备注：对于涉及医疗服务项目…', '', '']));
  t.ok(isFooterRow(['', '', '']));
  t.notOk(isFooterRow(['1', '住院诊查费', '1', '日', '001102000050000']));
});

t.test('course texts give span and interval limits', async (t) => {
  t.same(parseCourseText('总时间不超过90天，评定间隔时间不短于14天。'), { maxSpanDays: 90, minIntervalDays: 14 });
  t.same(parseCourseText('一个疾病过程支付不超过90天。'), { maxSpanDays: 90 });
  t.same(parseCourseText('支付不超过一年，每周最多支付一次。'), { maxSpanDays: 365, minIntervalDays: 7 });
  t.match(parseCourseText('支付不超过三十天。'), /cannot read the clause "支付不超过三十天"/);
  t.match(parseCourseText('支付不超过30天，支付不超过60天'), /second time/);
});

/** Copies the sources to a temp dir, applies `edit` to one file, runs the build, returns its result. */
function buildWith(file: string, edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'pa-liangku-'));
  try {
    cpSync(SOURCE, join(dir, 'src'), { recursive: true });
    for (const f of readdirSync(join(dir, 'src'))) chmodSync(join(dir, 'src', f), 0o644);
    const path = join(dir, 'src', file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    return spawnSync(process.execPath, ['--import', 'tsx', BUILD, '--source', join(dir, 'src'), '--out', join(dir, 'out')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('bad source rows stop the build with file and line', async (t) => {
  const cases: Array<[string, string, (s: string) => string, RegExp]> = [
    ['unknown payable-days value', 'batch06_drug_max_payable_days_rules.csv', (s) => s.replace(/,3天\r\n/, ',3日\r\n'), /batch06_drug_max_payable_days_rules\.csv:\d+: 限定值域 "3日"/],
    ['unreadable course text', 'batch08-3_item_max_course_days.csv', (s) => s.replace('支付不超过30天。,003402000230000', '支付不超过三十天。,003402000230000'), /batch08-3_item_max_course_days\.csv:7: .*三十天/],
    ['unknown pair window', 'batch07_item_duplicate_billing_pairs.csv', (s) => s.replace(/^(1,)单日,/m, '$1两日,'), /batch07_item_duplicate_billing_pairs\.csv:2: unknown 频度 "两日"/],
    ['unknown sex', 'batch01_item_gender.csv', (s) => s.replace(/限定性别对象,男\r\n/, '限定性别对象,未知\r\n'), /batch01_item_gender\.csv:2: unknown 限定性别 "未知"/],
    ['unknown frequency unit', 'batch08-1_item_max_frequency.csv', (s) => s.replace('1,门急诊留观诊查费,1,日,', '1,门急诊留观诊查费,1,次,'), /batch08-1_item_max_frequency\.csv:2: unknown 数量单位 "次"/],
    ['drug point without codes', 'batch01_drug_gender_codes.csv', (s) => s.split('\r\n').filter((l) => !l.startsWith('阿帕他胺片,')).join('\r\n'), /batch01_drug_gender_rules\.csv:2: .*阿帕他胺片.* has no codes/],
    ['row with a missing field', 'batch08-4_item_period_frequency.csv', (s) => s + '15,测试,1,7\r\n', /batch08-4_item_period_frequency\.csv:16: 4 fields, expected 6/],
    ['bad code shape', 'batch08-2_item_age_limit.csv', (s) => s.replace('003402000320000', '00340200032000X'), /batch08-2_item_age_limit\.csv:2: 项目代码 "00340200032000X"/],
  ];
  for (const [name, file, edit, message] of cases) {
    const r = buildWith(file, edit);
    t.equal(r.status, 2, `${name}: exit 2`);
    t.match(r.stderr, message, `${name}: message names file and line`);
  }
});

t.test('extra footer and empty rows are skipped; output is identical', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-liangku-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(SOURCE, join(dir, 'src'), { recursive: true });
  for (const f of readdirSync(join(dir, 'src'))) chmodSync(join(dir, 'src', f), 0o644);
  const f = join(dir, 'src', 'batch08-4_item_period_frequency.csv');
  writeFileSync(f, readFileSync(f, 'utf8') + ',,,,,\r\n合计,,,,,\r\n备注：测试,,,,,\r\n\r\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', BUILD, '--source', join(dir, 'src'), '--check', '--out', join(HERE, '..')], { encoding: 'utf8' });
  t.match(out, /matches/);
});

t.test('per_stay comes from 「单次住院」 in a batch06 point\'s text: exactly those six points', async (t) => {
  t.ok(perStayText('限二级及以上医疗机构脑梗死恢复期患者，单次住院最多支付14天。'));
  t.notOk(perStayText('限缺血性心脑血管疾病急性期住院患者，支付不超过14天。'), '住院患者 alone is not a per-stay limit');
  const table = buildTables(SOURCE).find((x) => x.id === 'drug_payable_days')!;
  t.same(table.rows.filter((r) => r.per_stay === '1').map((r) => r.name), [
    '注射用丹参多酚酸', '注射用益气复脉(冻干)', '注射用重组人脑利钠肽', '注射用黄芪多糖', '银杏二萜内酯葡胺注射液', '银杏内酯注射液',
  ]);
  t.ok(table.rows.every((r) => r.per_stay === (r.note.includes('单次住院') ? '1' : '')), 'every other point counts over the patient\'s history');
});
