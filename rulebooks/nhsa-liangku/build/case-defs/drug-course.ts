/**
 * Cases for 药品限支付疗程 (payable-days): distinct calendar days covered by the patient's orders;
 * points whose text says 「单次住院」 (per_stay) count the days of each stay (mdtrt_id) on their own.
 */
import type { RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const DAYS = 'GZ10000101010000';
/** 注射用重组人脑利钠肽: 3 days. */
const BNP = codeOf('drug_payable_days', '注射用重组人脑利钠肽');
const BNP_2 = codeOf('drug_payable_days', '注射用重组人脑利钠肽', 1);
const BNP_NAME = '注射用重组人脑利钠肽';
/** 奥扎格雷钠注射液: 14 days. */
const OZAGREL = codeOf('drug_payable_days', '奥扎格雷钠注射液');
/** 注射用丹参多酚酸: 14 days, 单次住院. */
const DANSHEN = codeOf('drug_payable_days', '注射用丹参多酚酸');
/** 银杏叶提取物注射液: 14 days over every stay (its text names 住院患者, not 单次住院). */
const GINKGO_LEAF = codeOf('drug_payable_days', '银杏叶提取物注射液');

const INPATIENT = { med_mdtrt_type: '2', med_type: '21' } as const;

/** 药品限支付疗程 */
export const payableDays: RuleCase[] = [
  kase({
    name: '注射用重组人脑利钠肽（限3天）连续4天各开1次：第4天的医嘱违规，前3天不违规',
    now: '2025-06-04 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', BNP, BNP_NAME, '2025-06-01 09:00:00'),
            order('R2', BNP, BNP_NAME, '2025-06-02 09:00:00'),
            order('R3', BNP_2, BNP_NAME, '2025-06-03 09:00:00'),
            order('R4', BNP, BNP_NAME, '2025-06-04 09:00:00'),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R4')],
    expect_not: [quiet(DAYS, 'R1'), quiet(DAYS, 'R2'), quiet(DAYS, 'R3')],
    exact: true,
  }),
  kase({
    name: '超出后的每一条医嘱都违规（第4、5天），医嘱乱序传入按时间排序',
    now: '2025-06-05 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R5', BNP, BNP_NAME, '2025-06-05 09:00:00'),
            order('R3', BNP, BNP_NAME, '2025-06-03 09:00:00'),
            order('R1', BNP, BNP_NAME, '2025-06-01 09:00:00'),
            order('R4', BNP, BNP_NAME, '2025-06-04 09:00:00'),
            order('R2', BNP, BNP_NAME, '2025-06-02 09:00:00'),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R4'), fires(DAYS, 'R5')],
    expect_not: [quiet(DAYS, 'R1'), quiet(DAYS, 'R2'), quiet(DAYS, 'R3')],
    exact: true,
  }),
  kase({
    name: '长期医嘱起止日期重叠按不重复的自然日计：6/1–6/3 与 6/2–6/3 共3天，合规',
    now: '2025-06-03 22:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', BNP, BNP_NAME, '2025-06-01 08:00:00', { drord_stop_date: '2025-06-03 20:00:00', long_drord_flag: '1', cnt: 3 }),
            order('R2', BNP_2, BNP_NAME, '2025-06-02 10:00:00', { drord_stop_date: '2025-06-03 10:00:00', long_drord_flag: '1', cnt: 2 }),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAYS)],
    exact: true,
  }),
  kase({
    name: '重叠的长期医嘱之后再开第4天：只有第4天的医嘱违规',
    now: '2025-06-04 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', BNP, BNP_NAME, '2025-06-01 08:00:00', { drord_stop_date: '2025-06-03 20:00:00', long_drord_flag: '1', cnt: 3 }),
            order('R2', BNP, BNP_NAME, '2025-06-02 10:00:00', { drord_stop_date: '2025-06-03 10:00:00', long_drord_flag: '1', cnt: 2 }),
            order('R3', BNP, BNP_NAME, '2025-06-04 09:00:00'),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R3')],
    expect_not: [quiet(DAYS, 'R1'), quiet(DAYS, 'R2')],
    exact: true,
  }),
  kase({
    name: '一条医嘱本身覆盖5天（6/1–6/5）超过3天：该医嘱违规',
    now: '2025-06-01 10:00:00',
    request: request(
      patient([encounter('M1', '2025-06-01', [order('R1', BNP, BNP_NAME, '2025-06-01 09:00:00', { drord_stop_date: '2025-06-05 09:00:00', long_drord_flag: '1', cnt: 5 })], INPATIENT)]),
      '5',
    ),
    expect: [fires(DAYS, 'R1')],
    exact: true,
  }),
  kase({
    name: '奥扎格雷钠注射液（限14天，未限单次住院）历史住院已用14天（历史医嘱只计数），本次住院第1天即累计第15天，违规',
    now: '2025-06-20 10:00:00',
    request: request(
      patient([
        encounter('M0', '2025-06-01', [history('R0', OZAGREL, '奥扎格雷钠注射液', '2025-06-01 09:00:00', { drord_stop_date: '2025-06-14 09:00:00', long_drord_flag: '1', cnt: 14 })], {
          ...INPATIENT,
          dscg_date: '2025-06-15',
        }),
        encounter('M1', '2025-06-20', [order('R1', OZAGREL, '奥扎格雷钠注射液', '2025-06-20 09:00:00')], INPATIENT),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R1', ['R0'])],
    expect_not: [quiet(DAYS, 'R0')],
    exact: true,
  }),
  kase({
    name: '银杏叶提取物注射液（「住院患者」「支付不超过14天」，未写单次住院）两次住院 10+5 天跨住院累计：第二次住院的医嘱违规',
    now: '2025-07-05 10:00:00',
    request: request(
      patient([
        encounter(
          'M0',
          '2025-06-01',
          [history('R0', GINKGO_LEAF, '银杏叶提取物注射液', '2025-06-01 09:00:00', { drord_stop_date: '2025-06-10 09:00:00', long_drord_flag: '1', cnt: 10 })],
          { ...INPATIENT, dscg_date: '2025-06-11' },
        ),
        encounter(
          'M1',
          '2025-07-01',
          [order('R1', GINKGO_LEAF, '银杏叶提取物注射液', '2025-07-01 09:00:00', { drord_stop_date: '2025-07-05 09:00:00', long_drord_flag: '1', cnt: 5 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R1', ['R0'])],
    exact: true,
  }),
  kase({
    name: '单次住院：注射用重组人脑利钠肽（单次住院支付不超过3天）上次住院用满3天，本次住院再用3天：按住院分别计，合规',
    now: '2025-06-12 10:00:00',
    request: request(
      patient([
        encounter('M0', '2025-06-01', [history('R0', BNP, BNP_NAME, '2025-06-01 09:00:00', { drord_stop_date: '2025-06-03 09:00:00', long_drord_flag: '1', cnt: 3 })], {
          ...INPATIENT,
          dscg_date: '2025-06-04',
        }),
        encounter('M1', '2025-06-10', [order('R1', BNP_2, BNP_NAME, '2025-06-10 09:00:00', { drord_stop_date: '2025-06-12 09:00:00', long_drord_flag: '1', cnt: 3 })], INPATIENT),
      ]),
      '5',
    ),
    expect_not: [quiet(DAYS)],
    exact: true,
  }),
  kase({
    name: '单次住院：注射用重组人脑利钠肽上次住院用满3天，本次住院第4天的医嘱违规（只计本次住院的4天）',
    now: '2025-06-13 10:00:00',
    request: request(
      patient([
        encounter('M0', '2025-06-01', [history('R0', BNP, BNP_NAME, '2025-06-01 09:00:00', { drord_stop_date: '2025-06-03 09:00:00', long_drord_flag: '1', cnt: 3 })], {
          ...INPATIENT,
          dscg_date: '2025-06-04',
        }),
        encounter(
          'M1',
          '2025-06-10',
          [
            order('R1', BNP, BNP_NAME, '2025-06-10 09:00:00', { drord_stop_date: '2025-06-12 09:00:00', long_drord_flag: '1', cnt: 3 }),
            order('R2', BNP, BNP_NAME, '2025-06-13 09:00:00'),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R2', ['R1'])],
    expect_not: [quiet(DAYS, 'R0'), quiet(DAYS, 'R1')],
    exact: true,
  }),
  kase({
    name: '单次住院：同一次住院（mdtrt_id 相同）拆成两条就诊信息传入，4天合并计，第4天违规',
    now: '2025-06-04 10:00:00',
    request: request(
      patient([
        encounter('M1', '2025-06-01', [order('R1', BNP, BNP_NAME, '2025-06-01 09:00:00'), order('R2', BNP, BNP_NAME, '2025-06-02 09:00:00')], INPATIENT),
        encounter('M1', '2025-06-01', [order('R3', BNP, BNP_NAME, '2025-06-03 09:00:00'), order('R4', BNP_2, BNP_NAME, '2025-06-04 09:00:00')], INPATIENT),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R4')],
    expect_not: [quiet(DAYS, 'R1'), quiet(DAYS, 'R2'), quiet(DAYS, 'R3')],
    exact: true,
  }),
  kase({
    name: '单次住院：注射用丹参多酚酸（单次住院最多支付14天）两次住院各14天：合规',
    now: '2025-07-14 10:00:00',
    request: request(
      patient([
        encounter('M0', '2025-06-01', [history('R0', DANSHEN, '注射用丹参多酚酸', '2025-06-01 09:00:00', { drord_stop_date: '2025-06-14 09:00:00', long_drord_flag: '1', cnt: 14 })], {
          ...INPATIENT,
          dscg_date: '2025-06-15',
        }),
        encounter(
          'M1',
          '2025-07-01',
          [order('R1', DANSHEN, '注射用丹参多酚酸', '2025-07-01 09:00:00', { drord_stop_date: '2025-07-14 09:00:00', long_drord_flag: '1', cnt: 14 })],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect_not: [quiet(DAYS)],
    exact: true,
  }),
  kase({
    name: '停止日期早于开始日期（6/5 开始、6/1 停止）只计开始当天：注射用重组人脑利钠肽共1天，合规',
    now: '2025-06-05 10:00:00',
    request: request(
      patient([encounter('M1', '2025-06-01', [order('R1', BNP, BNP_NAME, '2025-06-05 09:00:00', { drord_stop_date: '2025-06-01 09:00:00', long_drord_flag: '1' })], INPATIENT)]),
      '5',
    ),
    expect_not: [quiet(DAYS)],
    exact: true,
  }),
  kase({
    name: '停止日期早于开始日期的医嘱只计开始当天：6/5（停 6/1）、6/6、6/7 共3天合规，6/8 第4天违规',
    now: '2025-06-08 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', BNP, BNP_NAME, '2025-06-05 09:00:00', { drord_stop_date: '2025-06-01 09:00:00', long_drord_flag: '1' }),
            order('R2', BNP, BNP_NAME, '2025-06-06 09:00:00'),
            order('R3', BNP, BNP_NAME, '2025-06-07 09:00:00'),
            order('R4', BNP, BNP_NAME, '2025-06-08 09:00:00'),
          ],
          INPATIENT,
        ),
      ]),
      '5',
    ),
    expect: [fires(DAYS, 'R4')],
    expect_not: [quiet(DAYS, 'R1'), quiet(DAYS, 'R2'), quiet(DAYS, 'R3')],
    exact: true,
  }),
  kase({
    name: '奥扎格雷钠注射液（限14天）6/1–6/14 共14天：合规；同日两条医嘱只计1天',
    now: '2025-06-14 10:00:00',
    request: request(
      patient([
        encounter(
          'M1',
          '2025-06-01',
          [
            order('R1', OZAGREL, '奥扎格雷钠注射液', '2025-06-01 09:00:00', { drord_stop_date: '2025-06-13 09:00:00', long_drord_flag: '1', cnt: 13 }),
            order('R2', OZAGREL, '奥扎格雷钠注射液', '2025-06-14 08:00:00'),
            order('R3', OZAGREL, '奥扎格雷钠注射液', '2025-06-14 16:00:00'),
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
