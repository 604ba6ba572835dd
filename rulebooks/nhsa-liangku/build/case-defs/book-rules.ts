/**
 * Cases for the 2025-book rules that order and encounter data alone can check (rules-book.ts):
 * 医疗服务项目超限定单价收费, 重复开药, 分解住院. Codes are real national codes from the built tables
 * (service items of batch 8, western drugs of batches 4–6 and 10 whose codes carry their ATC class
 * and generic); diagnoses are 医保版 ICD-10 codes.
 */
import type { EncounterDto, OrderDto, RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';

const PRICE = 'GZ10000102001000';
const DUP = 'GZ10000301006000';
const SPLIT = 'GZ10000204001000';
const NOW = '2026-07-01 10:00:00';
const DAY = '2026-06-01 09:00:00';

// ---------------------------------------------------------------- 医疗服务项目超限定单价收费

const CARE = codeOf('item_daily_count', 'Ⅰ级护理');
const WARD_VISIT = codeOf('item_daily_count', '住院诊查费');
const BED = codeOf('item_daily_count', '普通病房床位费');
/** Level and catalogue prices of a line (元). */
const LEVELS = { lv1_hosp_item_pric: 20, lv2_hosp_item_pric: 24, lv3_hosp_item_pric: 28, hilist_pric: 28 };

function priceCase(name: string, lv: string | undefined, lines: OrderDto[], fired: string[], more: Partial<RuleCase> = {}): RuleCase {
  const enc = encounter('M1', '2026-06-01', lines, { medins_lv: lv, med_mdtrt_type: '2', med_type: '21' });
  if (lv === undefined) delete enc.medins_lv;
  return kase({
    name,
    now: NOW,
    request: request(patient([enc]), '5'),
    ...(fired.length > 0 ? { expect: fired.map((rx) => fires(PRICE, rx)) } : { expect_not: [quiet(PRICE)] }),
    exact: true,
    ...more,
  });
}

const item = (rx: string, code: string, name: string, pric: number, extra: Partial<OrderDto> = {}) => order(rx, code, name, DAY, { pric, ...LEVELS, ...extra });

/** 医疗服务项目超限定单价收费. */
export const itemPrice: RuleCase[] = [
  priceCase('三级甲等医院Ⅰ级护理按29元收费（三级医院价格28元）', '02', [item('R1', CARE, 'Ⅰ级护理', 29)], ['R1']),
  priceCase('二级甲等医院住院诊查费按三级价格28元收费（二级医院价格24元）', '05', [item('R1', WARD_VISIT, '住院诊查费', 28)], ['R1']),
  priceCase('一级医院床位费21元（一级医院价格20元），另一明细按价收费', '08', [item('R1', BED, '普通病房床位费', 21), item('R2', CARE, 'Ⅰ级护理', 20)], ['R1']),
  priceCase(
    '无等级价格时按医保目录价格：三级医院收费30元，目录价28元',
    '01',
    [item('R1', CARE, 'Ⅰ级护理', 30, { lv1_hosp_item_pric: undefined, lv2_hosp_item_pric: undefined, lv3_hosp_item_pric: undefined })],
    ['R1'],
  ),
  priceCase('三级医院收费28.01元：超出1分即超标准', '03', [item('R1', CARE, 'Ⅰ级护理', 28.01)], ['R1']),
  priceCase('三级医院按三级价格28元收费：合规', '02', [item('R1', CARE, 'Ⅰ级护理', 28)], []),
  priceCase('二级医院按二级价格24元收费：合规', '06', [item('R1', WARD_VISIT, '住院诊查费', 24)], []),
  priceCase('浮点误差不构成超标准（28.004元按分比较）', '02', [item('R1', CARE, 'Ⅰ级护理', 28.004)], []),
  priceCase('医疗机构等级"3"不在国家代码表：不判断并提示一次', '3', [item('R1', CARE, 'Ⅰ级护理', 99), item('R2', BED, '普通病房床位费', 99)], [], {
    expect_warnings: ['patient_dtos[0].fsi_encounter_dtos[0].medins_lv'],
  }),
  priceCase('历史明细超价不作为违规项', '02', [history('R1', CARE, 'Ⅰ级护理', DAY, { pric: 40, ...LEVELS }), item('R2', BED, '普通病房床位费', 20)], []),
  priceCase('药品不适用本规则（医疗服务项目限定）', '02', [order('R1', codeOf('drug_payable_days', '注射用七叶皂苷钠'), '注射用七叶皂苷钠', DAY, { pric: 90, hilist_pric: 30 })], []),
];

// ---------------------------------------------------------------- 重复开药

const TROXERUTIN = codeOf('drug_payable_days', '曲克芦丁注射液'); // C05CA Q094
const TROXERUTIN_2 = codeOf('drug_payable_days', '曲克芦丁注射液', 1); // another maker
const TROXERUTIN_INJ = codeOf('drug_payable_days', '注射用曲克芦丁'); // C05CA Q094, powder
const AESCINATE = codeOf('drug_payable_days', '注射用七叶皂苷钠'); // C05CA Q005
const GINKGO = codeOf('drug_payable_days', '银杏叶提取物注射液'); // C02CX Y168
const EDARAVONE = codeOf('drug_payable_days', '依达拉奉右莰醇注射用浓溶液'); // N07XX Y322
const PIRACETAM = codeOf('drug_payable_days', '吡拉西坦注射液'); // N07XX B093
const MORPHINE = codeOf('drug_internet_hospital', '盐酸吗啡注射液'); // N02AA M022
const OXYCODONE = codeOf('drug_internet_hospital', '盐酸羟考酮注射液'); // N02AA Q033
const AMINO_ACIDS = codeOf('drug_children_only', '小儿复方氨基酸注射液(18AA-I)'); // B05BA
const VITAMINS = codeOf('drug_children_only', '小儿多种维生素注射液(13)'); // B05BA

const drug = (rx: string, code: string, name: string, extra: Partial<OrderDto> = {}) => order(rx, code, name, DAY, { rxno: 'RX1', pric: 30, ...extra });

function dupCase(name: string, lines: OrderDto[], fired: string[], enc: Partial<EncounterDto> = {}, who: Record<string, string> = {}): RuleCase {
  return kase({
    name,
    now: NOW,
    request: request(patient([encounter('M1', '2026-06-01', lines, { med_mdtrt_type: '2', med_type: '21', ...enc })], who), '5'),
    ...(fired.length > 0 ? { expect: fired.map((rx) => fires(DUP, rx)), exact: true } : { expect_not: [quiet(DUP)], exact: true }),
  });
}

/** 重复开药. */
export const duplicateDrugs: RuleCase[] = [
  dupCase('同一处方曲克芦丁注射液与注射用七叶皂苷钠（同属 C05CA）', [drug('R1', TROXERUTIN, '曲克芦丁注射液'), drug('R2', AESCINATE, '注射用七叶皂苷钠')], ['R1', 'R2']),
  dupCase(
    '同一处方依达拉奉右莰醇与吡拉西坦（同属 N07XX），无处方号按同日',
    [drug('R1', EDARAVONE, '依达拉奉右莰醇注射用浓溶液', { rxno: undefined }), drug('R2', PIRACETAM, '吡拉西坦注射液', { rxno: undefined, drord_begn_date: '2026-06-01 16:00:00' })],
    ['R1', 'R2'],
  ),
  dupCase(
    '同一处方盐酸吗啡注射液与盐酸羟考酮注射液（同属 N02AA），另有曲克芦丁',
    [drug('R1', MORPHINE, '盐酸吗啡注射液'), drug('R2', OXYCODONE, '盐酸羟考酮注射液'), drug('R3', TROXERUTIN, '曲克芦丁注射液')],
    ['R1', 'R2'],
  ),
  dupCase(
    '长期医嘱用药日期重叠一日（6月1日–6月5日与6月5日起）',
    [
      drug('R1', TROXERUTIN, '曲克芦丁注射液', { drord_stop_date: '2026-06-05 09:00:00' }),
      drug('R2', AESCINATE, '注射用七叶皂苷钠', { drord_begn_date: '2026-06-05 09:00:00', drord_stop_date: '2026-06-08 09:00:00' }),
    ],
    ['R1', 'R2'],
  ),
  dupCase('同一通用名两个厂家（曲克芦丁注射液）：不属重复开药', [drug('R1', TROXERUTIN, '曲克芦丁注射液'), drug('R2', TROXERUTIN_2, '曲克芦丁注射液')], []),
  dupCase('同一通用名不同剂型（曲克芦丁注射液与注射用曲克芦丁）：不属重复开药', [drug('R1', TROXERUTIN, '曲克芦丁注射液'), drug('R2', TROXERUTIN_INJ, '注射用曲克芦丁')], []),
  dupCase('不同药理分类（C05CA 与 C02CX）：合规', [drug('R1', TROXERUTIN, '曲克芦丁注射液'), drug('R2', GINKGO, '银杏叶提取物注射液')], []),
  dupCase('同类药品分属两张处方：不提示', [drug('R1', TROXERUTIN, '曲克芦丁注射液'), drug('R2', AESCINATE, '注射用七叶皂苷钠', { rxno: 'RX2' })], []),
  dupCase(
    '同一处方同类药品用药日期不重叠（先停后开）',
    [drug('R1', TROXERUTIN, '曲克芦丁注射液', { drord_stop_date: '2026-06-04 09:00:00' }), drug('R2', AESCINATE, '注射用七叶皂苷钠', { drord_begn_date: '2026-06-05 09:00:00' })],
    [],
  ),
  dupCase('历史医嘱中的同类药品不计入本次处方', [history('R1', AESCINATE, '注射用七叶皂苷钠', DAY, { rxno: 'RX1' }), drug('R2', TROXERUTIN, '曲克芦丁注射液')], []),
  dupCase(
    '肠外营养（B05BA 氨基酸与多种维生素）按配方联用：豁免',
    [drug('R1', AMINO_ACIDS, '小儿复方氨基酸注射液(18AA-I)'), drug('R2', VITAMINS, '小儿多种维生素注射液(13)')],
    [],
    {},
    { brdy: '2020-01-01' },
  ),
];

// ---------------------------------------------------------------- 分解住院

/** An inpatient stay with a main diagnosis and a bed-fee line (history when discharged). */
function stay(id: string, adm: string, dscg: string | undefined, dx: [string, string], extra: Partial<EncounterDto> = {}): EncounterDto {
  const line = dscg ? history(`${id}-R1`, BED, '普通病房床位费', `${adm} 10:00:00`, { pric: 20 }) : order(`${id}-R1`, BED, '普通病房床位费', `${adm} 10:00:00`, { pric: 20 });
  return encounter(id, `${adm} 09:00:00`, [line], {
    med_mdtrt_type: '2',
    med_type: '21',
    ...(dscg ? { dscg_date: `${dscg} 10:00:00`, dscg_main_dise_codg: dx[0], dscg_main_dise_name: dx[1] } : {}),
    fsi_diagnose_dtos: [{ dise_id: `${id}-D1`, dise_codg: dx[0], dise_name: dx[1], maindise_flag: '1', inout_dise_type: dscg ? '2' : '1' }],
    ...extra,
  });
}

function splitCase(name: string, stays: EncounterDto[], fire: boolean): RuleCase {
  return kase({
    name,
    now: NOW,
    request: request(patient(stays), '3'),
    ...(fire ? { expect: [{ rule_id: SPLIT }], exact: true } : { expect_not: [quiet(SPLIT)], exact: true }),
  });
}

const STROKE: [string, string] = ['I63.900', '脑梗死'];
const STROKE_2: [string, string] = ['I63.500', '脑动脉闭塞或狭窄引起的脑梗死'];
const PNEUMONIA: [string, string] = ['J18.900', '肺炎'];
const COPD: [string, string] = ['J44.100', '慢性阻塞性肺病伴急性加重'];
const CHEMO: [string, string] = ['Z51.100', '为肿瘤化学治疗疗程'];

/** 分解住院. */
export const readmission: RuleCase[] = [
  splitCase('脑梗死出院后第10日同院再次入院（同一类目 I63）', [stay('M1', '2026-05-01', '2026-05-10', STROKE), stay('M2', '2026-05-20', undefined, STROKE_2)], true),
  splitCase('出院当日再次入院', [stay('M1', '2026-05-01', '2026-05-10', PNEUMONIA), stay('M2', '2026-05-10', undefined, PNEUMONIA)], true),
  splitCase('出院后第15日再次入院（15日以内含本数）', [stay('M1', '2026-05-01', '2026-05-10', COPD), stay('M2', '2026-05-25', undefined, COPD)], true),
  splitCase(
    '同一医疗机构未传 medins_id 的前次住院（同一请求视为本院）',
    [stay('M1', '2026-05-01', '2026-05-10', STROKE, { medins_id: undefined }), stay('M2', '2026-05-18', undefined, STROKE)],
    true,
  ),
  splitCase('出院后第16日再次入院：不提示', [stay('M1', '2026-05-01', '2026-05-10', COPD), stay('M2', '2026-05-26', undefined, COPD)], false),
  splitCase('15日内再次入院但主诊断类目不同（I63 与 J18）', [stay('M1', '2026-05-01', '2026-05-10', STROKE), stay('M2', '2026-05-15', undefined, PNEUMONIA)], false),
  splitCase(
    '前次住院在其他医疗机构',
    [stay('M1', '2026-05-01', '2026-05-10', STROKE, { medins_id: 'H0002', medins_name: '示例市第二人民医院' }), stay('M2', '2026-05-15', undefined, STROKE)],
    false,
  ),
  splitCase('化疗疗程规律再入院（Z51）：豁免', [stay('M1', '2026-05-01', '2026-05-05', CHEMO), stay('M2', '2026-05-19', undefined, CHEMO)], false),
  splitCase('前次为门诊就诊：不属出院', [stay('M1', '2026-05-01', '2026-05-01', STROKE, { med_mdtrt_type: '1', med_type: '11' }), stay('M2', '2026-05-05', undefined, STROKE)], false),
  splitCase('仅有本次住院：无前次出院', [stay('M2', '2026-05-20', undefined, STROKE)], false),
];
