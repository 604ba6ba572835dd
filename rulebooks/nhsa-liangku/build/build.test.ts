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
import { childFromText, daysFromText, sexFromText, sourceDir2026, tierFromText, visitFromText } from './revision.js';
import { SOURCE_DIR } from '../index.js';

const HERE = import.meta.dirname;
const BUILD = join(HERE, '..', 'build.ts');
const SOURCE = process.env.PA_LIANGKU_DIR || SOURCE_DIR;

t.test('CSV round-trips commas, quotes, line breaks and Chinese text', async (t) => {
  const rows = [
    { a: '限：1.1岁至14岁，"哮喘"', b: 'x\ny', c: ' lead' },
    { a: '', b: '普通', c: 'a,b' },
  ];
  const text = writeCsv(['a', 'b', 'c'], rows);
  const back = parseCsv(text);
  t.same(
    back.map((r) => r.fields),
    [['a', 'b', 'c'], ...rows.map((r) => [r.a, r.b, r.c])],
  );
  t.equal(back[2].line, 4, 'a record after a quoted line break starts on the right line');
});

t.test('CSV reader accepts CRLF and a BOM, rejects an unterminated quote', async (t) => {
  t.same(
    parseCsv('\ufeffx,y\r\n1,"2,3"\r\n').map((r) => r.fields),
    [
      ['x', 'y'],
      ['1', '2,3'],
    ],
  );
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
    // source/2026 sits beside the batch folder, as in the repository.
    cpSync(SOURCE, join(dir, 'src'), { recursive: true });
    cpSync(sourceDir2026(SOURCE), join(dir, '2026'), { recursive: true });
    for (const d of ['src', '2026']) for (const f of readdirSync(join(dir, d))) chmodSync(join(dir, d, f), 0o644);
    const path = join(dir, file.startsWith('update2026') ? '2026' : 'src', file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    return spawnSync(process.execPath, ['--import', 'tsx', BUILD, '--source', join(dir, 'src'), '--out', join(dir, 'out')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test('bad source rows stop the build with file and line', async (t) => {
  const cases: Array<[string, string, (s: string) => string, RegExp]> = [
    ['unknown payable-days value', 'batch06_drug_max_payable_days_rules.csv', (s) => s.replace(/,3天\r\n/, ',3日\r\n'), /batch06_drug_max_payable_days_rules\.csv:\d+: 限定值域 "3日"/],
    [
      'unreadable course text',
      'batch08-3_item_max_course_days.csv',
      (s) => s.replace('支付不超过30天。,003402000230000', '支付不超过三十天。,003402000230000'),
      /batch08-3_item_max_course_days\.csv:7: .*三十天/,
    ],
    ['unknown pair window', 'batch07_item_duplicate_billing_pairs.csv', (s) => s.replace(/^(1,)单日,/m, '$1两日,'), /batch07_item_duplicate_billing_pairs\.csv:2: unknown 频度 "两日"/],
    ['unknown sex', 'batch01_item_gender.csv', (s) => s.replace(/限定性别对象,男\r\n/, '限定性别对象,未知\r\n'), /batch01_item_gender\.csv:2: unknown 限定性别 "未知"/],
    [
      'unknown frequency unit',
      'batch08-1_item_max_frequency.csv',
      (s) => s.replace('1,门急诊留观诊查费,1,日,', '1,门急诊留观诊查费,1,次,'),
      /batch08-1_item_max_frequency\.csv:2: unknown 数量单位 "次"/,
    ],
    [
      'drug point without codes',
      'batch01_drug_gender_codes.csv',
      (s) =>
        s
          .split('\r\n')
          .filter((l) => !l.startsWith('阿帕他胺片,'))
          .join('\r\n'),
      /batch01_drug_gender_rules\.csv:2: .*阿帕他胺片.* has no codes/,
    ],
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
  cpSync(sourceDir2026(SOURCE), join(dir, '2026'), { recursive: true });
  for (const f of readdirSync(join(dir, 'src'))) chmodSync(join(dir, 'src', f), 0o644);
  const f = join(dir, 'src', 'batch08-4_item_period_frequency.csv');
  writeFileSync(f, readFileSync(f, 'utf8') + ',,,,,\r\n合计,,,,,\r\n备注：测试,,,,,\r\n\r\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', BUILD, '--source', join(dir, 'src'), '--check', '--out', join(HERE, '..')], { encoding: 'utf8' });
  t.match(out, /matches/);
});

t.test("per_stay comes from 「单次住院」 in a batch06 point's text: exactly those six points", async (t) => {
  t.ok(perStayText('限二级及以上医疗机构脑梗死恢复期患者，单次住院最多支付14天。'));
  t.notOk(perStayText('限缺血性心脑血管疾病急性期住院患者，支付不超过14天。'), '住院患者 alone is not a per-stay limit');
  const all = buildTables(SOURCE).find((x) => x.id === 'drug_payable_days')!;
  // The published batch06 points; the 2026-01 revision rows carry per_stay from the point they replace.
  const table = { rows: all.rows.filter((r) => r.effective_from === '') };
  t.same(
    all.rows.filter((r) => r.effective_from !== '' && r.per_stay === '1').map((r) => r.name),
    ['注射用丹参多酚酸', '注射用益气复脉(冻干)', '注射用重组人脑利钠肽', '注射用黄芪多糖', '银杏二萜内酯葡胺注射液', '银杏内酯注射液'],
    'the revision rows replacing them keep per_stay',
  );
  t.same(
    table.rows.filter((r) => r.per_stay === '1').map((r) => r.name),
    ['注射用丹参多酚酸', '注射用益气复脉(冻干)', '注射用重组人脑利钠肽', '注射用黄芪多糖', '银杏二萜内酯葡胺注射液', '银杏内酯注射液'],
  );
  t.ok(
    table.rows.every((r) => r.per_stay === (r.note.includes('单次住院') ? '1' : '')),
    "every other point counts over the patient's history",
  );
});

t.test('2026-01 revision: replaced points stop on the revision date, revision rows start on it', async (t) => {
  const tables = buildTables(SOURCE);
  const rows = (id: string) => tables.find((x) => x.id === id)!.rows;
  const gender = rows('drug_gender').filter((r) => r.name === '阿帕他胺片');
  t.same(
    gender.map((r) => [r.effective_from, r.effective_to, r.sex]),
    [
      ['', '2026-01-28', '1'],
      ['2026-01-28', '', '1'],
    ],
    'old point until the revision, new from it, limit carried',
  );
  const tier = rows('drug_hospital_tier').find((r) => r.name === '布西珠单抗注射液')!;
  t.same([tier.min_tier, tier.effective_from], ['2', '2026-01-28'], 'a new row reads its level from the text (the lowest named)');
  const moved = rows('drug_children_only').find((r) => r.name === '波生坦分散片')!;
  t.equal(moved.effective_to, '2026-01-28', 'a point moved to 药品限儿童使用 stops in 药品儿童专用');
  const child = rows('drug_children_payment');
  t.equal(child.length, 13);
  t.same(child.find((r) => r.name === '怡培生长激素注射液')!.min_age, '3', '「3岁及以上儿童」 gives min_age 3');
  const visit = rows('drug_visit_type').find((r) => r.name === '银杏内酯注射液')!;
  t.equal(visit.med_mdtrt_types, '2', 'a row naming a point of another rule (batch 5 tier) reads its visit type from the text');
  const days = rows('drug_payable_days').filter((r) => r.name === '银杏内酯注射液');
  t.same(
    days.map((r) => [r.max_days, r.per_stay]),
    [
      ['14', '1'],
      ['14', '1'],
    ],
    "days carried from the rule's own point (named under batch 5)",
  );
});

t.test('revision limit texts are read by fixed readers; unreadable ones are reasons', async (t) => {
  t.same(sexFromText('转移性去势抵抗性前列腺癌（mCRPC）成人患者'), { sex: '1' });
  t.type(sexFromText('限成人患者'), 'string');
  t.same(tierFromText('需三级医院眼科或二级及以上眼科专科医院医师处方'), { min_tier: '2', object: '二级' });
  t.type(tierFromText('限眼科医师处方'), 'string');
  t.same(visitFromText('住院方可支付'), { med_mdtrt_types: '2', object: '住院' });
  t.same(childFromText('限3-12岁特发性或先天性肺动脉高压患者（儿童）'), { min_age: '3', max_age: '13', object: '儿童' });
  t.same(daysFromText('住院方可支付，单次最多支付14天。'), { max_days: '14', per_stay: '1' });
  t.type(daysFromText('限急性期'), 'string');
});

t.test('a revision row whose text cannot be read stops the build with file and line', async (t) => {
  const r = buildWith('update2026-01_drug_gender_rules.csv', (s) => s.replace('去势抵抗性前列腺癌成人患者（mCRPC）。,2', '去势抵抗性癌成人患者（mCRPC）。,2'));
  t.equal(r.status, 2);
  t.match(r.stderr, /update2026-01_drug_gender_rules\.csv:158: 逻辑依据 .*names no condition of one sex/);
  const bad = buildWith('update2026-01_drug_hospital_level_rules.csv', (s) => s.replace(',5,艾迪注射液', ',5,不存在的药'));
  t.equal(bad.status, 2);
  t.match(bad.stderr, /update2026-01_drug_hospital_level_rules\.csv:2: 取代知识点 "不存在的药" is not a point of batch 5/);
});
