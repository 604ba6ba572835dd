/**
 * Cases that bring every rule to at least three violating and three clean cases, and cases for
 * the gaps fixed with the 2025-book rules: a 药品限支付疗程 course spanning the 2026-01-28 revision
 * counts once. Appended to the rules' own case lists in write-cases.ts.
 */
import type { RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const INPATIENT = { med_mdtrt_type: '2', med_type: '21' } as const;
const ITEM_CHILD = 'GZ10000302003000';
const ITEM_AGE = 'NHSA2025-XMXNL';
const COURSE = 'GZ10000102010000';
const DAILY = 'GZ10000102014000';
const DAYS = 'GZ10000101010000';

const INFANT_ITEM = codeOf('item_children_only', '婴幼儿健康体检');
const NEWBORN_ITEM = codeOf('item_children_only', '新生儿囟门穿刺术');
const JOB_TRAINING = codeOf('item_age_limit', '职业功能训练');
const WEIGHT_SUPPORT = codeOf('item_course', '减重支持系统训练');
const HAND_EVAL_TOOL = codeOf('item_course', '手功能评定(仪器)');
const ADMIT_VISIT = codeOf('item_daily_count', '住院诊查费');
const EPIDURAL = codeOf('item_daily_count', '硬膜外连续镇痛');
const BUTYLPHTHALIDE = codeOf('drug_payable_days', '丁苯酞氯化钠注射液');

/** One current order of an item for a patient born `brdy` (no birth date when undefined). */
function one(name: string, code: string, item: string, brdy: string | undefined, date: string): RuleCase['request'] {
  const p = patient([encounter('M1', date.slice(0, 10), [order('R1', code, item, date)])], brdy === undefined ? {} : { brdy });
  if (brdy === undefined) delete p.brdy;
  return request(p);
}

/** 医疗服务项目儿童专用: two more clean cases. */
export const itemChildMore: RuleCase[] = [
  kase({
    name: '17岁患者做婴幼儿健康体检：未满18岁，合规',
    now: '2025-06-01 23:00:00',
    request: one('', INFANT_ITEM, '婴幼儿健康体检', '2008-01-15', '2025-06-01 09:00:00'),
    expect_not: [quiet(ITEM_CHILD)],
    exact: true,
  }),
  kase({
    name: '未传出生日期做新生儿囟门穿刺术：不判断年龄',
    now: '2025-06-01 23:00:00',
    request: one('', NEWBORN_ITEM, '新生儿囟门穿刺术', undefined, '2025-06-01 09:00:00'),
    expect_not: [quiet(ITEM_CHILD)],
    exact: true,
  }),
];

/** 医疗服务项目限年龄: two more violating cases. */
export const itemAgeMore: RuleCase[] = [
  kase({
    name: '72岁住院患者做职业功能训练',
    now: '2025-06-01 23:00:00',
    request: request(patient([encounter('M1', '2025-05-28', [order('R1', JOB_TRAINING, '职业功能训练', '2025-06-01 09:00:00')], INPATIENT)], { brdy: '1953-02-01' }), '5'),
    expect: [fires(ITEM_AGE, 'R1')],
    exact: true,
  }),
  kase({
    name: '61岁患者：历史医嘱不作违规项，本次职业功能训练违规',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([encounter('M1', '2025-06-01', [history('R0', JOB_TRAINING, '职业功能训练', '2025-05-20 09:00:00'), order('R1', JOB_TRAINING, '职业功能训练', '2025-06-01 09:00:00')])], {
        brdy: '1964-01-01',
      }),
    ),
    expect: [fires(ITEM_AGE, 'R1')],
    expect_not: [quiet(ITEM_AGE, 'R0')],
    exact: true,
  }),
];

/** 医疗服务项目限支付疗程: two more clean cases. */
export const itemCourseMore: RuleCase[] = [
  kase({
    name: '减重支持系统训练首次使用：合规',
    now: '2025-06-01 23:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [order('R1', WEIGHT_SUPPORT, '减重支持系统训练', '2025-06-01 09:00:00', { pric: 40 })], INPATIENT)]), '5'),
    expect_not: [quiet(COURSE)],
    exact: true,
  }),
  kase({
    name: '手功能评定(仪器)间隔20天、总时间20天：合规',
    now: '2025-06-21 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [order('R1', HAND_EVAL_TOOL, '手功能评定(仪器)', '2025-06-01 09:00:00', { pric: 40 }), order('R2', HAND_EVAL_TOOL, '手功能评定(仪器)', '2025-06-21 09:00:00', { pric: 40 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(COURSE)],
    exact: true,
  }),
];

/** 医疗服务项目限定频次: two more clean cases. */
export const dailyCountMore: RuleCase[] = [
  kase({
    name: '住院诊查费收费后退费（数量-1）再收1次：当日合计1次，合规',
    now: '2025-06-01 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', ADMIT_VISIT, '住院诊查费', '2025-06-01 08:00:00', { pric: 20 }),
            order('R2', ADMIT_VISIT, '住院诊查费', '2025-06-01 09:00:00', { pric: 20, cnt: -1 }),
            order('R3', ADMIT_VISIT, '住院诊查费', '2025-06-01 10:00:00', { pric: 20 }),
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
    name: '硬膜外连续镇痛（1天）连续两日各1次：合规',
    now: '2025-06-02 23:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [order('R1', EPIDURAL, '硬膜外连续镇痛', '2025-06-01 08:00:00', { pric: 50 }), order('R2', EPIDURAL, '硬膜外连续镇痛', '2025-06-02 08:00:00', { pric: 50 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAILY)],
    exact: true,
  }),
];

/** 药品限支付疗程 across the 2026-01-28 revision: the old and the re-issued point are one course. */
export const payableDaysAcrossRevision: RuleCase[] = [
  kase({
    name: '丁苯酞氯化钠注射液跨2026-01-28修订连续使用16天（修订前8天+修订后8天）：超过14天',
    now: '2026-02-05 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2026-01-20',
          [
            order('R1', BUTYLPHTHALIDE, '丁苯酞氯化钠注射液', '2026-01-20 09:00:00', { drord_stop_date: '2026-01-27 09:00:00', curr_drord_flag: '0' }),
            order('R2', BUTYLPHTHALIDE, '丁苯酞氯化钠注射液', '2026-01-28 09:00:00', { drord_stop_date: '2026-02-04 09:00:00' }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R2', ['R1'])],
    exact: true,
  }),
  kase({
    name: '丁苯酞氯化钠注射液跨修订日共11天：合规',
    now: '2026-02-05 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2026-01-20',
          [
            order('R1', BUTYLPHTHALIDE, '丁苯酞氯化钠注射液', '2026-01-20 09:00:00', { drord_stop_date: '2026-01-27 09:00:00', curr_drord_flag: '0' }),
            order('R2', BUTYLPHTHALIDE, '丁苯酞氯化钠注射液', '2026-01-28 09:00:00', { drord_stop_date: '2026-01-30 09:00:00' }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAYS)],
    exact: true,
  }),
];
