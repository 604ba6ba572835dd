/**
 * Cases for the rules that compare an order with its encounter: 药品限工伤保险,
 * 药品限生育保险, 药品限就医方式 and 药品限医疗机构级别.
 */
import type { EncounterDto, RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const INJURY = 'GZ10000101001000';
const MATERNITY = 'GZ10000101002000';
const VISIT = 'NHSA2025-YPXJYFS';
const TIER = 'GZ10000101012000';

/** One order of `code` in an encounter with the given fields. */
function encCase(name: string, rule: string, code: string, item: string, enc: Partial<EncounterDto>, fire: boolean, gend = '1', scene = '1'): RuleCase {
  return kase({
    name,
    now: '2025-06-01 10:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [order('R1', code, item, '2025-06-01 09:00:00')], enc)], { gend }), scene),
    ...(fire ? { expect: [fires(rule, 'R1')], exact: true } : { expect_not: [quiet(rule)], exact: true }),
  });
}

const RABIES = codeOf('drug_insurance_injury', '人用狂犬病疫苗(Vero细胞)');
const THYMALFASIN = codeOf('drug_insurance_injury', '注射用胸腺法新', 1);
const YIMUCAO = codeOf('drug_insurance_maternity', '益母草注射液');
const DINOPROSTONE = codeOf('drug_insurance_maternity', '地诺前列酮栓');

/** 药品限工伤保险: no medical-insurance type may pay */
export const injury: RuleCase[] = [
  encCase('职工医保(310)支付人用狂犬病疫苗(Vero细胞)（工伤保险目录用药）', INJURY, RABIES, '人用狂犬病疫苗(Vero细胞)', { insutype: '310' }, true),
  encCase('城乡居民医保(390)支付注射用胸腺法新（工伤保险目录用药）', INJURY, THYMALFASIN, '注射用胸腺法新', { insutype: '390' }, true),
  encCase('生育保险(510)也不能支付工伤保险目录用药', INJURY, RABIES, '人用狂犬病疫苗(Vero细胞)', { insutype: '510' }, true, '2'),
  kase({
    name: '历史医嘱中的工伤用药不作为违规项，本次处方无工伤用药：不提示',
    now: '2025-06-01 10:00:00',
    request: request(
      patient([
        encounter('M1', '2025-06-01', [
          history('R0', RABIES, '人用狂犬病疫苗(Vero细胞)', '2025-05-28 09:00:00'),
          order('R1', '001102000010000', '普通门诊诊查费', '2025-06-01 09:00:00'),
        ]),
      ]),
    ),
    expect_not: [quiet(INJURY)],
    exact: true,
  }),
];

/** 药品限生育保险: only insutype 510 may pay */
export const maternity: RuleCase[] = [
  encCase('职工医保(310)支付益母草注射液（生育保险目录用药）', MATERNITY, YIMUCAO, '益母草注射液', { insutype: '310', med_mdtrt_type: '2', med_type: '21' }, true, '2'),
  encCase('城乡居民医保(391)支付地诺前列酮栓', MATERNITY, DINOPROSTONE, '地诺前列酮栓', { insutype: '391', med_mdtrt_type: '2', med_type: '21' }, true, '2'),
  encCase('生育保险(510)支付益母草注射液：合规', MATERNITY, YIMUCAO, '益母草注射液', { insutype: '510', med_mdtrt_type: '2', med_type: '21' }, false, '2'),
  encCase('生育保险(510)支付地诺前列酮栓：合规', MATERNITY, DINOPROSTONE, '地诺前列酮栓', { insutype: '510', med_mdtrt_type: '2', med_type: '21' }, false, '2'),
  kase({
    name: '同一患者两次就诊：生育保险就诊合规，职工医保就诊违规',
    now: '2025-06-02 10:00:00',
    request: request(
      patient(
        [
          encounter('M1', '2025-06-01', [order('R1', YIMUCAO, '益母草注射液', '2025-06-01 09:00:00')], { insutype: '510', med_mdtrt_type: '2', med_type: '21' }),
          encounter('M2', '2025-06-02', [order('R2', YIMUCAO, '益母草注射液', '2025-06-02 09:00:00')], { insutype: '310', med_mdtrt_type: '2', med_type: '21' }),
        ],
        { gend: '2' },
      ),
    ),
    expect: [fires(MATERNITY, 'R2')],
    expect_not: [quiet(MATERNITY, 'R1')],
    exact: true,
  }),
];

const ANGONG = codeOf('drug_visit_type', '安宫牛黄丸');
const OMEGA3 = codeOf('drug_visit_type', 'ω-3鱼油中/长链脂肪乳注射液');

/** 药品限就医方式: 住院 only */
export const visitType: RuleCase[] = [
  encCase('门诊(1)开安宫牛黄丸（限住院）', VISIT, ANGONG, '安宫牛黄丸', { med_mdtrt_type: '1', med_type: '11' }, true),
  encCase('药店购药(3)购ω-3鱼油中/长链脂肪乳注射液，购药划卡场景', VISIT, OMEGA3, 'ω-3鱼油中/长链脂肪乳注射液', { med_mdtrt_type: '3', med_type: '41' }, true, '1', '10'),
  encCase('其他就医方式(4)开安宫牛黄丸', VISIT, ANGONG, '安宫牛黄丸', { med_mdtrt_type: '4' }, true),
  encCase('住院(2)开安宫牛黄丸：合规', VISIT, ANGONG, '安宫牛黄丸', { med_mdtrt_type: '2', med_type: '21' }, false),
  encCase('住院(2)用ω-3鱼油中/长链脂肪乳注射液：合规', VISIT, OMEGA3, 'ω-3鱼油中/长链脂肪乳注射液', { med_mdtrt_type: '2', med_type: '21' }, false),
];

const SHENFU = codeOf('drug_hospital_tier', '参附注射液');
const RANIBIZUMAB = codeOf('drug_hospital_tier', '雷珠单抗注射液');

const LEVEL_FIELD = 'patient_dtos[0].fsi_encounter_dtos[0].medins_lv';

/**
 * A medins_lv outside the national table (01–14): read with no padding or guessing, it never
 * fires the level rule, and the evaluation warns about the field once.
 */
function levelCase(name: string, medins_lv: string, code: string, item: string): RuleCase {
  return kase({
    name,
    now: '2025-06-01 10:00:00',
    request: request(patient([encounter('M1', '2025-06-01', [order('R1', code, item, '2025-06-01 09:00:00')], { medins_lv })])),
    expect_not: [quiet(TIER)],
    expect_warnings: [LEVEL_FIELD],
    exact: true,
  });
}

/** 药品限医疗机构级别: 二级 → tier 2, 三级 → tier 3 */
export const tier: RuleCase[] = [
  encCase('一级甲等医院(08)使用参附注射液（限二级及以上）', TIER, SHENFU, '参附注射液', { medins_lv: '08' }, true),
  encCase('无等级机构(11)使用参附注射液', TIER, SHENFU, '参附注射液', { medins_lv: '11' }, true),
  encCase('二级甲等医院(05)使用雷珠单抗注射液（限三级）', TIER, RANIBIZUMAB, '雷珠单抗注射液', { medins_lv: '05' }, true),
  encCase('二级无等医院(13)使用参附注射液：合规', TIER, SHENFU, '参附注射液', { medins_lv: '13' }, false),
  encCase('三级无等医院(12)使用雷珠单抗注射液：合规', TIER, RANIBIZUMAB, '雷珠单抗注射液', { medins_lv: '12' }, false),
  encCase('三级特等医院(01)使用参附注射液：合规', TIER, SHENFU, '参附注射液', { medins_lv: '01' }, false),
  encCase('未传医院等级：不判断', TIER, SHENFU, '参附注射液', { medins_lv: undefined }, false),
  levelCase('医院等级 "8"（不在代码表，不补零为 08）使用参附注射液：不判断，warn_msg 指明 medins_lv', '8', SHENFU, '参附注射液'),
  levelCase('医院等级 "1"（不补零为 01 三级特等）使用雷珠单抗注射液：不判断，提示 medins_lv', '1', RANIBIZUMAB, '雷珠单抗注射液'),
  levelCase('医院等级 "3"（非代码表值）使用雷珠单抗注射液：不判断，提示 medins_lv', '3', RANIBIZUMAB, '雷珠单抗注射液'),
  kase({
    name: '两次就诊等级分别为 "2"（未知）与 08（一级甲等）：只在 08 的就诊判断违规，medins_lv 只提示一次',
    now: '2025-06-02 10:00:00',
    request: request(
      patient([
        encounter('M1', '2025-06-01', [order('R1', SHENFU, '参附注射液', '2025-06-01 09:00:00')], { medins_lv: '2' }),
        encounter('M2', '2025-06-02', [order('R2', SHENFU, '参附注射液', '2025-06-02 09:00:00')], { medins_lv: '08' }),
      ]),
    ),
    expect: [fires(TIER, 'R2')],
    expect_not: [quiet(TIER, 'R1')],
    expect_warnings: [LEVEL_FIELD],
    exact: true,
  }),
];
