/**
 * Cases for the rules that look at the patient only: 药品/医疗服务项目区分性别使用,
 * 药品/医疗服务项目儿童专用 and 医疗服务项目限年龄.
 */
import type { RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const DRUG_SEX = 'GZ10000301004000';
const ITEM_SEX = 'GZ10000302004000';
const DRUG_CHILD = 'GZ10000301002000';
const ITEM_CHILD = 'GZ10000302003000';
const ITEM_AGE = 'NHSA2025-XMXNL';

const BICALUTAMIDE = codeOf('drug_gender', '比卡鲁胺片');
const BICALUTAMIDE_2 = codeOf('drug_gender', '比卡鲁胺片', 3);
const AIFU = codeOf('drug_gender', '艾附暖宫丸');
const UTERUS_XRAY = codeOf('item_gender', '子宫造影');
const VAS_XRAY = codeOf('item_gender', '输精管造影');

/** One outpatient order for a patient with the given sex. */
function sexCase(name: string, gend: string | undefined, code: string, item: string, expectRule: string, fire: boolean, scene = '1'): RuleCase {
  const p = patient([encounter('M1', '2025-06-01', [order('R1', code, item, '2025-06-01 09:00:00')])], gend === undefined ? {} : { gend });
  if (gend === undefined) delete p.gend;
  return kase({
    name,
    now: '2025-06-01 10:00:00',
    request: request(p, scene),
    ...(fire ? { expect: [fires(expectRule, 'R1')], exact: true } : { expect_not: [quiet(expectRule)], exact: true }),
  });
}

/**
 * curr_drord_flag as DOMAIN.md settles it: 1, "1", true current; 0, "0", false history; missing,
 * null or "" current; anything else is bad input naming the field. A woman's 比卡鲁胺片 (限男性)
 * fires only when the order is current.
 */
function flagCase(name: string, flag: unknown, fire: boolean): RuleCase {
  const o = order('R1', BICALUTAMIDE, '比卡鲁胺片', '2025-06-01 09:00:00');
  if (flag === undefined) delete o.curr_drord_flag;
  // The flag may be a value the national type does not allow: the case is about refusing it.
  else Object.assign(o, { curr_drord_flag: flag });
  return kase({
    name,
    now: '2025-06-01 10:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [o])], { gend: '2' })),
    ...(fire ? { expect: [fires(DRUG_SEX, 'R1')], exact: true } : { expect_not: [quiet(DRUG_SEX)], exact: true }),
  });
}

const FLAG_FIELD = 'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag';

/** A request whose only order carries `flag`: refused, naming the field. */
function badFlagCase(name: string, flag: unknown): RuleCase {
  const o = order('R1', BICALUTAMIDE, '比卡鲁胺片', '2025-06-01 09:00:00');
  Object.assign(o, { curr_drord_flag: flag });
  return kase({
    name,
    now: '2025-06-01 10:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [o])], { gend: '2' })),
    expect_bad_input: [FLAG_FIELD],
    expect_not: [quiet(DRUG_SEX)],
  });
}

/** 药品区分性别使用 */
export const drugSex: RuleCase[] = [
  sexCase('女性患者开比卡鲁胺片（限男性）', '2', BICALUTAMIDE, '比卡鲁胺片', DRUG_SEX, true),
  sexCase('女性患者开比卡鲁胺片的另一厂家代码，按代码集合命中', '2', BICALUTAMIDE_2, '比卡鲁胺片', DRUG_SEX, true),
  sexCase('男性患者开艾附暖宫丸（限女性），事中门诊结算场景', '1', AIFU, '艾附暖宫丸', DRUG_SEX, true, '6'),
  sexCase('男性患者开比卡鲁胺片：合规', '1', BICALUTAMIDE, '比卡鲁胺片', DRUG_SEX, false),
  sexCase('性别未知(0)开比卡鲁胺片：不提示', '0', BICALUTAMIDE, '比卡鲁胺片', DRUG_SEX, false),
  sexCase('性别未说明(9)开艾附暖宫丸：不提示', '9', AIFU, '艾附暖宫丸', DRUG_SEX, false),
  sexCase('未传性别开比卡鲁胺片：不提示', undefined, BICALUTAMIDE, '比卡鲁胺片', DRUG_SEX, false),
  kase({
    name: '女性患者：历史处方的比卡鲁胺片不作为违规项，本次处方命中',
    now: '2025-06-01 10:00:00',
    request: request(
      patient(
        [
          encounter('M0', '2025-05-01', [history('R0', BICALUTAMIDE, '比卡鲁胺片', '2025-05-01 09:00:00')]),
          encounter('M1', '2025-06-01', [order('R1', BICALUTAMIDE_2, '比卡鲁胺片', '2025-06-01 09:00:00')]),
        ],
        { gend: '2' },
      ),
    ),
    expect: [fires(DRUG_SEX, 'R1')],
    expect_not: [quiet(DRUG_SEX, 'R0')],
    exact: true,
  }),
  flagCase('当前医嘱标志为布尔 true：当前医嘱，女性开比卡鲁胺片违规', true, true),
  flagCase('当前医嘱标志为数字 1：当前医嘱，违规', 1, true),
  flagCase('未传当前医嘱标志：按当前医嘱，违规', undefined, true),
  flagCase('当前医嘱标志为空串：按当前医嘱，违规', '', true),
  flagCase('当前医嘱标志为 null：按当前医嘱，违规', null, true),
  flagCase('当前医嘱标志为布尔 false：历史医嘱，不作为违规项', false, false),
  flagCase('当前医嘱标志为数字 0：历史医嘱，不作为违规项', 0, false),
  badFlagCase('当前医嘱标志为 "2"：入参错误，指明 curr_drord_flag', '2'),
  badFlagCase('当前医嘱标志为 "Y"：入参错误，指明 curr_drord_flag', 'Y'),
];

/** 医疗服务项目区分性别使用 */
export const itemSex: RuleCase[] = [
  sexCase('男性患者做子宫造影（限女性）', '1', UTERUS_XRAY, '子宫造影', ITEM_SEX, true),
  sexCase('女性患者做输精管造影（限男性），住院执行医嘱场景', '2', VAS_XRAY, '输精管造影', ITEM_SEX, true, '5'),
  sexCase('女性患者做子宫造影：合规', '2', UTERUS_XRAY, '子宫造影', ITEM_SEX, false),
  sexCase('性别未知(0)做输精管造影：不提示', '0', VAS_XRAY, '输精管造影', ITEM_SEX, false),
  sexCase('性别未说明(9)做子宫造影：不提示', '9', UTERUS_XRAY, '子宫造影', ITEM_SEX, false),
  kase({
    name: '男性患者同时做子宫造影与输精管造影：只有子宫造影违规',
    now: '2025-06-01 10:00:00',
    request: request(
      patient([encounter('M1', '2025-06-01', [order('R1', VAS_XRAY, '输精管造影', '2025-06-01 09:00:00'), order('R2', UTERUS_XRAY, '子宫造影', '2025-06-01 09:30:00')])], { gend: '1' }),
    ),
    expect: [fires(ITEM_SEX, 'R2')],
    expect_not: [quiet(ITEM_SEX, 'R1')],
    exact: true,
  }),
];

const CHILD_DRUG = codeOf('drug_children_only', '儿童清肺口服液');
const CHILD_DRUG_2 = codeOf('drug_children_only', '儿童清肺口服液', 1);
const NEWBORN_ITEM = codeOf('item_children_only', '新生儿囟门穿刺术');
const INFANT_ITEM = codeOf('item_children_only', '婴幼儿健康体检');

/** One order on `date` for a patient born `brdy`; expect the rule to fire or not. */
function ageCase(name: string, rule: string, code: string, item: string, brdy: string | undefined, date: string, fire: boolean, now = `${date.slice(0, 10)} 23:00:00`): RuleCase {
  const p = patient([encounter('M1', date.slice(0, 10), [order('R1', code, item, date)])], brdy === undefined ? {} : { brdy });
  if (brdy === undefined) delete p.brdy;
  return kase({
    name,
    now,
    request: request(p),
    ...(fire ? { expect: [fires(rule, 'R1')], exact: true } : { expect_not: [quiet(rule)], exact: true }),
  });
}

/** 药品儿童专用 (max_age 18: fires at 18 and over) */
export const drugChild: RuleCase[] = [
  ageCase('45岁患者开儿童清肺口服液', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', '1980-01-01', '2025-06-01 09:00:00', true),
  ageCase('18岁生日当天开儿童清肺口服液：已满18岁', DRUG_CHILD, CHILD_DRUG_2, '儿童清肺口服液', '2007-06-01', '2025-06-01 09:00:00', true),
  ageCase('18岁生日次日开儿童清肺口服液', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', '2007-06-01', '2025-06-02 09:00:00', true),
  ageCase('18岁生日前一天开儿童清肺口服液：17岁，合规', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', '2007-06-01', '2025-05-31 09:00:00', false),
  ageCase('年龄按医嘱日期计算：医嘱时17岁，审核时已满18岁，合规', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', '2007-06-01', '2025-05-31 09:00:00', false, '2025-06-15 10:00:00'),
  ageCase('6岁儿童开儿童清肺口服液：合规', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', '2019-03-15', '2025-06-01 09:00:00', false),
  ageCase('未传出生日期开儿童清肺口服液：不判断年龄', DRUG_CHILD, CHILD_DRUG, '儿童清肺口服液', undefined, '2025-06-01 09:00:00', false),
  kase({
    name: '医嘱无开始时间时按入院日期计算年龄（入院日满18岁）',
    now: '2025-06-03 10:00:00',
    request: request(
      patient(
        [
          encounter(
            'M1',
            '2025-06-01',
            [{ rx_id: 'R1', hilist_code: CHILD_DRUG, hilist_name: '儿童清肺口服液', hilist_type: '101', cnt: 1, pric: 30, sumamt: 30, curr_drord_flag: '1' }],
            { med_mdtrt_type: '2', med_type: '21' },
          ),
        ],
        { brdy: '2007-06-01' },
      ),
      '4',
    ),
    expect: [fires(DRUG_CHILD, 'R1')],
    exact: true,
  }),
  kase({
    name: '医嘱无开始时间时按入院日期而非审核时间计算年龄（入院时17岁）',
    now: '2025-06-03 10:00:00',
    request: request(
      patient(
        [
          encounter(
            'M1',
            '2025-05-31',
            [{ rx_id: 'R1', hilist_code: CHILD_DRUG, hilist_name: '儿童清肺口服液', hilist_type: '101', cnt: 1, pric: 30, sumamt: 30, curr_drord_flag: '1' }],
            { med_mdtrt_type: '2', med_type: '21' },
          ),
        ],
        { brdy: '2007-06-01' },
      ),
      '4',
    ),
    expect_not: [quiet(DRUG_CHILD)],
    exact: true,
  }),
];

/** 医疗服务项目儿童专用 */
export const itemChild: RuleCase[] = [
  ageCase('30岁患者做新生儿囟门穿刺术', ITEM_CHILD, NEWBORN_ITEM, '新生儿囟门穿刺术', '1995-01-01', '2025-06-01 09:00:00', true),
  ageCase('18岁生日当天做婴幼儿健康体检', ITEM_CHILD, INFANT_ITEM, '婴幼儿健康体检', '2007-06-01', '2025-06-01 09:00:00', true),
  ageCase('18岁生日前一天做婴幼儿健康体检：合规', ITEM_CHILD, INFANT_ITEM, '婴幼儿健康体检', '2007-06-01', '2025-05-31 09:00:00', false),
  ageCase('出生10天的新生儿做新生儿囟门穿刺术：合规', ITEM_CHILD, NEWBORN_ITEM, '新生儿囟门穿刺术', '2025-05-22', '2025-06-01 09:00:00', false),
  kase({
    name: '成人历史医嘱不作为违规项，本次医嘱命中',
    now: '2025-06-01 10:00:00',
    request: request(
      patient(
        [encounter('M1', '2025-06-01', [history('R0', INFANT_ITEM, '婴幼儿健康体检', '2025-05-20 09:00:00'), order('R1', NEWBORN_ITEM, '新生儿囟门穿刺术', '2025-06-01 09:00:00')])],
        { brdy: '1990-02-01' },
      ),
    ),
    expect: [fires(ITEM_CHILD, 'R1')],
    expect_not: [quiet(ITEM_CHILD, 'R0')],
    exact: true,
  }),
];

const JOB_TRAINING = codeOf('item_age_limit', '职业功能训练');

/** 医疗服务项目限年龄 (max_age 60: fires at 60 and over) */
export const itemAge: RuleCase[] = [
  ageCase('65岁患者做职业功能训练', ITEM_AGE, JOB_TRAINING, '职业功能训练', '1960-03-01', '2025-06-01 09:00:00', true),
  ageCase('60岁生日当天做职业功能训练：已达法定就业年龄上限', ITEM_AGE, JOB_TRAINING, '职业功能训练', '1965-06-01', '2025-06-01 09:00:00', true),
  ageCase('60岁生日前一天做职业功能训练：59岁，合规', ITEM_AGE, JOB_TRAINING, '职业功能训练', '1965-06-02', '2025-06-01 09:00:00', false),
  ageCase('35岁患者做职业功能训练：合规', ITEM_AGE, JOB_TRAINING, '职业功能训练', '1990-01-01', '2025-06-01 09:00:00', false),
  ageCase('未传出生日期做职业功能训练：不判断年龄', ITEM_AGE, JOB_TRAINING, '职业功能训练', undefined, '2025-06-01 09:00:00', false),
];
