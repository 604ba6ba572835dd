/**
 * Cases for the item rules with windows: 医疗服务项目重复收费 (pair-exclusion),
 * 医疗服务项目限定频次 (daily-count) and 医疗服务项目周期超频次 (rolling-count).
 */
import type { RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, pair, patient, quiet, request } from '../case-kit.js';

const DUP = 'GZ10000102012000';
const DAILY = 'GZ10000102014000';
const ROLLING = 'NHSA2025-XMZQCPC';

const INPATIENT = { med_mdtrt_type: '2', med_type: '21' } as const;

// 单日: 急诊监护费 includes 急诊诊查费.
const DAY = pair('001103000010000', '001102000030000', '单日');
// 单次就诊: 甲状腺癌扩大根治术 includes 甲状腺全切术.
const VISIT = pair('003303000120000', '003303000100000', '单次就诊');
// 6小时: 单胎顺产接生 includes 胎心监测 (women only, so the patients are female).
const SIX = pair('003314000020000', '003112010260000', '6小时');
// 同一小时: 冷加压试验 includes 动态血压监测.
const HOUR = pair('003102070040000', '003107010210000', '同一小时');

/**
 * Main then sub order at the given times: in one encounter entry, in two encounters (split), or
 * in two entries of one encounter, both mdtrt_id M1 (entries: how some HIS send one visit).
 */
function pairCase(
  name: string,
  p: { main: string; sub: string },
  names: [string, string],
  mainAt: string,
  subAt: string,
  fire: boolean,
  opts: { gend?: string; split?: boolean; entries?: boolean } = {},
): RuleCase {
  const main = order('R1', p.main, names[0], mainAt, { pric: 500 });
  const sub = order('R2', p.sub, names[1], subAt, { pric: 20 });
  const encounters = opts.split
    ? [encounter('M1', mainAt.slice(0, 10), [main]), encounter('M2', subAt.slice(0, 10), [sub])]
    : opts.entries
      ? [encounter('M1', mainAt.slice(0, 10), [main], INPATIENT), encounter('M1', mainAt.slice(0, 10), [sub], INPATIENT)]
      : [encounter('M1', mainAt.slice(0, 10), [main, sub], INPATIENT)];
  return kase({
    name,
    now: `${subAt > mainAt ? subAt.slice(0, 10) : mainAt.slice(0, 10)} 23:59:00`,
    request: request(patient(encounters, { gend: opts.gend ?? '1' }), '5'),
    ...(fire ? { expect: [fires(DUP, 'R2', ['R1'])], expect_not: [quiet(DUP, 'R1')], exact: true } : { expect_not: [quiet(DUP)], exact: true }),
  });
}

const EMERG: [string, string] = ['急诊监护费', '急诊诊查费'];
const THYROID: [string, string] = ['甲状腺癌扩大根治术', '甲状腺全切术'];
const BIRTH: [string, string] = ['单胎顺产接生', '胎心监测'];
const COLD: [string, string] = ['冷加压试验', '动态血压监测'];

/** 医疗服务项目重复收费 */
export const duplicateBilling: RuleCase[] = [
  pairCase('单日：同日收取急诊监护费与急诊诊查费，从项违规、主项为涉及项', DAY, EMERG, '2025-06-01 08:00:00', '2025-06-01 21:00:00', true),
  pairCase('单日：急诊诊查费在次日收取，合规', DAY, EMERG, '2025-06-01 08:00:00', '2025-06-02 08:00:00', false),
  pairCase('单次就诊：同一次住院不同日收取甲状腺癌扩大根治术与甲状腺全切术', VISIT, THYROID, '2025-06-01 09:00:00', '2025-06-03 09:00:00', true),
  pairCase('单次就诊：两次不同就诊分别收取，合规', VISIT, THYROID, '2025-06-01 09:00:00', '2025-06-01 15:00:00', false, { split: true }),
  pairCase('单次就诊：同一就诊（mdtrt_id 相同）拆成两条就诊信息传入，仍为同一次就诊，从项违规', VISIT, THYROID, '2025-06-01 09:00:00', '2025-06-04 09:00:00', true, { entries: true }),
  pairCase('单次就诊：同一就诊拆成两条就诊信息、同日收取', VISIT, THYROID, '2025-06-01 09:00:00', '2025-06-01 15:00:00', true, { entries: true }),
  pairCase('6小时：接生后5小时59分收取胎心监测', SIX, BIRTH, '2025-06-01 10:00:00', '2025-06-01 15:59:00', true, { gend: '2' }),
  pairCase('6小时：跨零点4小时内（22:00 与次日 02:00）', SIX, BIRTH, '2025-06-01 22:00:00', '2025-06-02 02:00:00', true, { gend: '2' }),
  pairCase('6小时：恰好相隔6小时（「以内」含本数），从项违规', SIX, BIRTH, '2025-06-01 10:00:00', '2025-06-01 16:00:00', true, { gend: '2' }),
  pairCase('6小时：胎心监测恰在接生前6小时，从项违规', SIX, BIRTH, '2025-06-01 16:00:00', '2025-06-01 10:00:00', true, { gend: '2' }),
  pairCase('6小时：相隔6小时1分，合规', SIX, BIRTH, '2025-06-01 10:00:00', '2025-06-01 16:01:00', false, { gend: '2' }),
  pairCase('6小时：胎心监测在接生前7小时，合规', SIX, BIRTH, '2025-06-01 17:00:00', '2025-06-01 10:00:00', false, { gend: '2' }),
  pairCase('同一小时：10:05 与 10:55 同一钟点', HOUR, COLD, '2025-06-01 10:05:00', '2025-06-01 10:55:00', true),
  pairCase('同一小时：10:55 与 11:05 相隔10分钟但不同钟点，合规', HOUR, COLD, '2025-06-01 10:55:00', '2025-06-01 11:05:00', false),
  kase({
    name: '主项为历史医嘱、从项为本次医嘱：本次从项违规',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([
        encounter('M1', '2025-06-01', [
          history('R1', DAY.main, '急诊监护费', '2025-06-01 08:00:00', { pric: 500 }),
          order('R2', DAY.sub, '急诊诊查费', '2025-06-01 20:00:00', { pric: 20 }),
        ]),
      ]),
      '2',
    ),
    expect: [fires(DUP, 'R2', ['R1'])],
    exact: true,
  }),
  kase({
    name: '从项为历史医嘱、主项为本次医嘱：历史从项不作为违规项',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([
        encounter('M1', '2025-06-01', [
          history('R2', DAY.sub, '急诊诊查费', '2025-06-01 08:00:00', { pric: 20 }),
          order('R1', DAY.main, '急诊监护费', '2025-06-01 20:00:00', { pric: 500 }),
        ]),
      ]),
      '2',
    ),
    expect_not: [quiet(DUP, 'R2'), quiet(DUP, 'R1')],
    exact: true,
  }),
];

const ADMIT_VISIT = codeOf('item_daily_count', '住院诊查费');
const VENTILATOR = codeOf('item_daily_count', '呼吸机辅助呼吸');
const EPIDURAL = codeOf('item_daily_count', '硬膜外连续镇痛');

/** 医疗服务项目限定频次 */
export const dailyCount: RuleCase[] = [
  kase({
    name: '住院诊查费（1日）同日收3次：第2、3次违规，第1次不违规',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', ADMIT_VISIT, '住院诊查费', '2025-06-01 08:00:00', { pric: 20 }),
            order('R2', ADMIT_VISIT, '住院诊查费', '2025-06-01 12:00:00', { pric: 20 }),
            order('R3', ADMIT_VISIT, '住院诊查费', '2025-06-01 18:00:00', { pric: 20 }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAILY, 'R2'), fires(DAILY, 'R3')],
    expect_not: [quiet(DAILY, 'R1')],
    exact: true,
  }),
  kase({
    name: '住院诊查费一条医嘱数量为2：该医嘱违规',
    now: '2025-06-01 23:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [order('R1', ADMIT_VISIT, '住院诊查费', '2025-06-01 08:00:00', { pric: 20, cnt: 2 })], INPATIENT)]), '5'),
    expect: [fires(DAILY, 'R1')],
    exact: true,
  }),
  kase({
    name: '住院诊查费 23:00 与次日 01:00 各1次：按自然日计，合规',
    now: '2025-06-02 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [order('R1', ADMIT_VISIT, '住院诊查费', '2025-06-01 23:00:00', { pric: 20 }), order('R2', ADMIT_VISIT, '住院诊查费', '2025-06-02 01:00:00', { pric: 20 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAILY)],
    exact: true,
  }),
  kase({
    name: '呼吸机辅助呼吸（24小时）同日计24小时：合规',
    now: '2025-06-01 23:59:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', VENTILATOR, '呼吸机辅助呼吸', '2025-06-01 00:00:00', { pric: 15, cnt: 12 }),
            order('R2', VENTILATOR, '呼吸机辅助呼吸', '2025-06-01 12:00:00', { pric: 15, cnt: 12 }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAILY)],
    exact: true,
  }),
  kase({
    name: '呼吸机辅助呼吸同日计 12+13=25 小时：第二条医嘱违规',
    now: '2025-06-01 23:59:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', VENTILATOR, '呼吸机辅助呼吸', '2025-06-01 00:00:00', { pric: 15, cnt: 12 }),
            order('R2', VENTILATOR, '呼吸机辅助呼吸', '2025-06-01 12:00:00', { pric: 15, cnt: 13 }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAILY, 'R2')],
    expect_not: [quiet(DAILY, 'R1')],
    exact: true,
  }),
  kase({
    name: '硬膜外连续镇痛（1天）：历史医嘱计数但不作为违规项，同日本次医嘱违规',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [history('R1', EPIDURAL, '硬膜外连续镇痛', '2025-06-01 08:00:00', { pric: 80 }), order('R2', EPIDURAL, '硬膜外连续镇痛', '2025-06-01 20:00:00', { pric: 80 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAILY, 'R2', ['R1'])],
    expect_not: [quiet(DAILY, 'R1')],
    exact: true,
  }),
];

const HBA1C = codeOf('item_period_count', '糖化血红蛋白测定');
const FRUCTOSAMINE = codeOf('item_period_count', '血清果糖胺测定');

/** Outpatient HbA1c tests on the given days (one encounter per day), with the given quantities (default 1). */
function tests(code: string, name: string, days: string[], historyUpTo = 0, cnts: number[] = []): RuleCase['request'] {
  return request(
    patient(days.map((d, k) => encounter(`M${k + 1}`, d, [(k < historyUpTo ? history : order)(`R${k + 1}`, code, name, `${d} 09:00:00`, { pric: 50, cnt: cnts[k] ?? 1 })]))),
  );
}

/** 医疗服务项目周期超频次 */
export const rollingCount: RuleCase[] = [
  kase({
    name: '糖化血红蛋白测定（15天1次）：第1天与第15天在同一窗口，第15天违规',
    now: '2025-06-15 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-15']),
    expect: [fires(ROLLING, 'R2')],
    expect_not: [quiet(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '糖化血红蛋白测定：第1天与第16天不在同一窗口，合规',
    now: '2025-06-16 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-16']),
    expect_not: [quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '糖化血红蛋白测定第1、10、20天：第10天与第20天各自所在窗口超频，均违规',
    now: '2025-06-20 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-10', '2025-06-20']),
    expect: [fires(ROLLING, 'R2'), fires(ROLLING, 'R3')],
    expect_not: [quiet(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '历史检查计数但不作为违规项：历史第1天、本次第10天违规',
    now: '2025-06-10 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-10'], 1),
    expect: [fires(ROLLING, 'R2', ['R1'])],
    expect_not: [quiet(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '血清果糖胺测定（7天1次）：第1天与第7天冲突，第7天违规',
    now: '2025-06-07 10:00:00',
    request: tests(FRUCTOSAMINE, '血清果糖胺测定', ['2025-06-01', '2025-06-07']),
    expect: [fires(ROLLING, 'R2')],
    expect_not: [quiet(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '血清果糖胺测定：第1天与第8天，合规',
    now: '2025-06-08 10:00:00',
    request: tests(FRUCTOSAMINE, '血清果糖胺测定', ['2025-06-01', '2025-06-08']),
    expect_not: [quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '两名患者同日各做一次糖化血红蛋白测定：按患者分别计数，合规',
    now: '2025-06-01 10:00:00',
    request: {
      syscode: 'HIS',
      task_id: 'T001',
      trig_scen: '2',
      patient_dtos: [
        patient([encounter('M1', '2025-06-01', [order('R1', HBA1C, '糖化血红蛋白测定', '2025-06-01 09:00:00', { pric: 50 })])], { patn_id: 'P001' }),
        patient([encounter('M2', '2025-06-01', [order('R2', HBA1C, '糖化血红蛋白测定', '2025-06-01 09:10:00', { pric: 50 })])], { patn_id: 'P002', gend: '2' }),
      ],
    },
    expect_not: [quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '数量合计：第1天检查后第3天退费（数量 -1），第10天再查：窗口内合计1次，合规',
    now: '2025-06-10 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-03', '2025-06-10'], 0, [1, -1, 1]),
    expect_not: [quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '数量为0的医嘱不计次：第1天1次、第5天数量0，合规',
    now: '2025-06-05 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-05'], 0, [1, 0]),
    expect_not: [quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '数量合计：第1天1次、第5天数量0、第9天1次：第9天合计2次违规，数量0的医嘱不违规',
    now: '2025-06-09 10:00:00',
    request: tests(HBA1C, '糖化血红蛋白测定', ['2025-06-01', '2025-06-05', '2025-06-09'], 0, [1, 0, 1]),
    expect: [fires(ROLLING, 'R3', ['R1', 'R2'])],
    expect_not: [quiet(ROLLING, 'R1'), quiet(ROLLING, 'R2')],
    exact: true,
  }),
  kase({
    name: '血清果糖胺测定（7天1次）一条医嘱数量为3：违规',
    now: '2025-06-01 10:00:00',
    request: tests(FRUCTOSAMINE, '血清果糖胺测定', ['2025-06-01'], 0, [3]),
    expect: [fires(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '一条医嘱数量为2（按数量合计）：违规',
    now: '2025-06-01 10:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [order('R1', HBA1C, '糖化血红蛋白测定', '2025-06-01 09:00:00', { pric: 50, cnt: 2 })])])),
    expect: [fires(ROLLING, 'R1')],
    exact: true,
  }),
];
