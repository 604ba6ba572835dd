/**
 * Cases for 手术项目未按规定折价收费 (surgery-discount) and 医疗服务项目限支付疗程 (item-course).
 */
import type { RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const SURGERY = 'GZ10000102002000';
const COURSE = 'GZ10000102010000';
const ROLLING = 'NHSA2025-XMZQCPC';

const INPATIENT = { med_mdtrt_type: '2', med_type: '21' } as const;

// 胃肠手术组 operations (each in that group only).
const DISTAL_GASTRECTOMY = codeOf('surgery_discount', '远端胃大部切除术');
const FOREIGN_BODY = codeOf('surgery_discount', '胃肠切开取异物');
const BLEEDING = codeOf('surgery_discount', '胃出血切开缝扎止血术');
const CARDIA = codeOf('surgery_discount', '贲门癌切除术');
// 膀胱尿道手术组.
const BLADDER_STONE = codeOf('surgery_discount', '膀胱切开取石术');
// 肠粘连松解术 sits in four groups, among them 女性生殖系统手术组 with 卵巢囊肿剔除术.
const ADHESIOLYSIS = codeOf('surgery_discount', '肠粘连松解术');
const OVARIAN_CYST = codeOf('surgery_discount', '卵巢囊肿剔除术');

/** An operation order at standard price `std`, charged `charged`. */
function op(rx: string, code: string, name: string, at: string, std: number, charged: number) {
  return order(rx, code, name, at, { hilist_pric: std, pric: charged, lv3_hosp_item_pric: std });
}

/** 手术项目未按规定折价收费 */
export const surgeryDiscount: RuleCase[] = [
  kase({
    name: '同日同组两台手术，次要手术按全价收费：次要手术违规，最高价手术不违规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 09:00:00', 3000, 3000), op('R2', FOREIGN_BODY, '胃肠切开取异物', '2025-06-01 10:30:00', 1200, 1200)],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(SURGERY, 'R2', ['R1'])],
    expect_not: [quiet(SURGERY, 'R1')],
    exact: true,
  }),
  kase({
    name: '次要手术按标准价50%收费（恰好50%）：合规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 09:00:00', 3000, 3000), op('R2', FOREIGN_BODY, '胃肠切开取异物', '2025-06-01 10:30:00', 1200, 600)],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(SURGERY)],
    exact: true,
  }),
  kase({
    name: '四台同组手术：最高标准价者（录入在后）不违规，两台未折价的次要手术各自违规，已按50%以内收费者合规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [
            op('R1', FOREIGN_BODY, '胃肠切开取异物', '2025-06-01 09:00:00', 1200, 1000),
            op('R2', BLEEDING, '胃出血切开缝扎止血术', '2025-06-01 09:30:00', 1500, 1500),
            op('R3', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 10:00:00', 3000, 3000),
            op('R4', CARDIA, '贲门癌切除术', '2025-06-01 11:00:00', 2400, 1100),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(SURGERY, 'R1'), fires(SURGERY, 'R2')],
    expect_not: [quiet(SURGERY, 'R3'), quiet(SURGERY, 'R4')],
    exact: true,
  }),
  kase({
    name: '同组手术不在同一天：合规',
    now: '2025-06-03 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 09:00:00', 3000, 3000), op('R2', FOREIGN_BODY, '胃肠切开取异物', '2025-06-03 09:00:00', 1200, 1200)],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(SURGERY)],
    exact: true,
  }),
  kase({
    name: '同日两台不同手术组的手术（胃肠与膀胱尿道）：合规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 09:00:00', 3000, 3000), op('R2', BLADDER_STONE, '膀胱切开取石术', '2025-06-01 11:00:00', 1000, 1000)],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(SURGERY)],
    exact: true,
  }),
  kase({
    name: '肠粘连松解术属多个手术组：与卵巢囊肿剔除术同属女性生殖系统手术组，未折价违规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient(
        [
          encounter(
            'M1',
            '2025-05-30',
            [op('R1', OVARIAN_CYST, '卵巢囊肿剔除术', '2025-06-01 09:00:00', 2000, 2000), op('R2', ADHESIOLYSIS, '肠粘连松解术', '2025-06-01 10:00:00', 900, 900)],
            INPATIENT,
          ),
        ],
        { gend: '2' },
      ),
      '5',
    ),
    expect: [fires(SURGERY, 'R2', ['R1'])],
    expect_not: [quiet(SURGERY, 'R1')],
    exact: true,
  }),
  kase({
    name: '主手术为历史医嘱（已收费）、本次录入的次要手术未折价：本次违规',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [
            { ...op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 09:00:00', 3000, 3000), curr_drord_flag: '0' },
            op('R2', FOREIGN_BODY, '胃肠切开取异物', '2025-06-01 10:30:00', 1200, 1200),
          ],
          INPATIENT,
        ),
      ]),
      '8',
    ),
    expect: [fires(SURGERY, 'R2', ['R1'])],
    exact: true,
  }),
  kase({
    name: '未折价的次要手术是历史医嘱：不作为违规项',
    now: '2025-06-01 18:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-05-30',
          [
            history('R2', FOREIGN_BODY, '胃肠切开取异物', '2025-06-01 09:00:00', { hilist_pric: 1200, pric: 1200 }),
            op('R1', DISTAL_GASTRECTOMY, '远端胃大部切除术', '2025-06-01 10:30:00', 3000, 3000),
          ],
          INPATIENT,
        ),
      ]),
      '8',
    ),
    expect_not: [quiet(SURGERY, 'R2'), quiet(SURGERY, 'R1')],
    exact: true,
  }),
];

const HAND_EVAL = codeOf('item_course', '手功能评定');
const WEIGHT_SUPPORT = codeOf('item_course', '减重支持系统训练');
const HEARING = codeOf('item_course', '儿童听力障碍语言训练');

/** Uses of an item on the given days, one order each (history for the first `historyUpTo`). */
function uses(code: string, name: string, days: string[], opts: { historyUpTo?: number; brdy?: string } = {}): RuleCase['request'] {
  return request(
    patient(
      [
        encounter(
          'M1',
          days[0],
          days.map((d, k) => (k < (opts.historyUpTo ?? 0) ? history : order)(`R${k + 1}`, code, name, `${d} 09:00:00`, { pric: 40 })),
          INPATIENT,
        ),
      ],
      opts.brdy ? { brdy: opts.brdy } : {},
    ),
    '5',
  );
}

/** 医疗服务项目限支付疗程 */
export const itemCourse: RuleCase[] = [
  kase({
    name: '减重支持系统训练（支付不超过30天）：第1天至第30天合规',
    now: '2025-06-30 10:00:00',
    request: uses(WEIGHT_SUPPORT, '减重支持系统训练', ['2025-06-01', '2025-06-15', '2025-06-30']),
    expect_not: [quiet(COURSE)],
    exact: true,
  }),
  kase({
    name: '减重支持系统训练第31、35天：超过30天，两次均违规',
    now: '2025-07-05 10:00:00',
    request: uses(WEIGHT_SUPPORT, '减重支持系统训练', ['2025-06-01', '2025-06-30', '2025-07-01', '2025-07-05']),
    expect: [fires(COURSE, 'R3'), fires(COURSE, 'R4')],
    expect_not: [quiet(COURSE, 'R1'), quiet(COURSE, 'R2')],
    exact: true,
  }),
  kase({
    name: '首次使用为历史医嘱（计入疗程，不作为违规项），本次第31天违规',
    now: '2025-07-01 10:00:00',
    request: uses(WEIGHT_SUPPORT, '减重支持系统训练', ['2025-06-01', '2025-07-01'], { historyUpTo: 1 }),
    expect: [fires(COURSE, 'R2', ['R1'])],
    expect_not: [quiet(COURSE, 'R1')],
    exact: true,
  }),
  kase({
    name: '手功能评定（间隔不短于14天）：间隔13天违规（同时超过14天1次的周期频次）',
    now: '2025-06-14 10:00:00',
    request: uses(HAND_EVAL, '手功能评定', ['2025-06-01', '2025-06-14']),
    expect: [fires(COURSE, 'R2'), fires(ROLLING, 'R2')],
    expect_not: [quiet(COURSE, 'R1'), quiet(ROLLING, 'R1')],
    exact: true,
  }),
  kase({
    name: '手功能评定间隔恰好14天：合规',
    now: '2025-06-15 10:00:00',
    request: uses(HAND_EVAL, '手功能评定', ['2025-06-01', '2025-06-15']),
    expect_not: [quiet(COURSE), quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '手功能评定总时间超过90天：第91天（间隔足够）违规',
    now: '2025-08-30 10:00:00',
    request: uses(HAND_EVAL, '手功能评定', ['2025-06-01', '2025-06-15', '2025-07-01', '2025-07-15', '2025-08-01', '2025-08-15', '2025-08-30']),
    expect: [fires(COURSE, 'R7')],
    expect_not: [quiet(COURSE, 'R6')],
    exact: true,
  }),
  kase({
    name: '儿童听力障碍语言训练（支付不超过一年）：第365天合规，第372天违规',
    now: '2025-06-07 10:00:00',
    request: uses(HEARING, '儿童听力障碍语言训练', ['2024-06-01', '2025-05-31', '2025-06-07'], { brdy: '2020-01-01' }),
    expect: [fires(COURSE, 'R3')],
    expect_not: [quiet(COURSE, 'R1'), quiet(COURSE, 'R2'), quiet(ROLLING)],
    exact: true,
  }),
  kase({
    name: '儿童听力障碍语言训练间隔7天合规、间隔6天违规',
    now: '2025-06-14 10:00:00',
    request: uses(HEARING, '儿童听力障碍语言训练', ['2025-06-01', '2025-06-08', '2025-06-14'], { brdy: '2020-01-01' }),
    expect: [fires(COURSE, 'R3'), fires(ROLLING, 'R3')],
    expect_not: [quiet(COURSE, 'R2'), quiet(ROLLING, 'R2')],
    exact: true,
  }),
];
