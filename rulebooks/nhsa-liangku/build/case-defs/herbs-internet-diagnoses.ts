/**
 * Cases for 超互联网医院药品支付范围 (batch10), 中药饮片单复方均不予支付 and 中药饮片单方使用不予支付
 * (batch11), 中药饮片配伍禁忌 and 诊断与患者性别不符 / 年龄不符. Codes come from the built tables;
 * herbs the vendored files do not list are sent as a HIS sends an unmapped herb: name, type 102,
 * no national code.
 */
import type { OrderDto, RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, fires, history, kase, order, patient, quiet, request } from '../case-kit.js';
import { INTERNET_RULE_ID } from '../rules-h10.js';

const NET = INTERNET_RULE_ID;
const NEVER = 'GZ10000101003000';
const SINGLE = 'GZ10000101004000';
const PAIR = 'GZ10000301012000';
const SEX = 'GZ10000204006000';
const AGE = 'GZ10000204007000';
const NOW = '2026-07-01 10:00:00';
const DAY = '2026-06-01 09:00:00';
const VISIT_FEE = '001102000010000'; // 普通门诊诊查费

const FENTANYL = codeOf('drug_internet_hospital', '芬太尼透皮贴剂');
const MORPHINE = codeOf('drug_internet_hospital', '盐酸吗啡片');
const OXYCODONE = codeOf('drug_internet_hospital', '盐酸羟考酮缓释片', 1);

/** An internet (or not) visit with one order. */
function netCase(name: string, code: string, item: string, enc: Record<string, string>, fire: boolean, begin = DAY): RuleCase {
  return kase({
    name,
    now: NOW,
    request: request(patient([encounter('M1', begin.slice(0, 10), [order('R1', code, item, begin)], enc)])),
    ...(fire ? { expect: [fires(NET, 'R1')], exact: true } : { expect_not: [quiet(NET)], exact: true }),
  });
}

/** 超互联网医院药品支付范围: a listed drug in an encounter marked as internet (mdtrt_mode 1). */
export const internet: RuleCase[] = [
  netCase('互联网诊疗（mdtrt_mode=1）开具芬太尼透皮贴剂', FENTANYL, '芬太尼透皮贴剂', { mdtrt_mode: '1' }, true),
  netCase('互联网复诊开具盐酸吗啡片', MORPHINE, '盐酸吗啡片', { mdtrt_mode: '1', med_type: '11' }, true),
  netCase('互联网诊疗开具盐酸羟考酮缓释片（另一规格代码）', OXYCODONE, '盐酸羟考酮缓释片', { mdtrt_mode: '1' }, true),
  netCase('线下门诊（mdtrt_mode=0）开具芬太尼透皮贴剂：不提示', FENTANYL, '芬太尼透皮贴剂', { mdtrt_mode: '0' }, false),
  netCase('未标明就诊方式：不推定为互联网诊疗', MORPHINE, '盐酸吗啡片', {}, false),
  netCase('互联网诊疗开具普通门诊诊查费：不在目录内', VISIT_FEE, '普通门诊诊查费', { mdtrt_mode: '1' }, false),
  netCase('第十批公布（2026-04-28）前的互联网诊疗：不适用', FENTANYL, '芬太尼透皮贴剂', { mdtrt_mode: '1' }, false, '2026-04-27 09:00:00'),
];

/** A current herbal order (type 102) of a listed herb. */
function herb(rx_id: string, table: string, name: string, extra: Partial<OrderDto> = {}): OrderDto {
  return order(rx_id, codeOf(table, name), name, DAY, { hilist_type: '102', pric: 20, ...extra });
}

/** An herb the vendored files do not list: name and type only, as an unmapped HIS line. */
function plainHerb(rx_id: string, name: string, extra: Partial<OrderDto> = {}): OrderDto {
  return { rx_id, hilist_name: name, hosplist_name: name, hilist_type: '102', cnt: 10, pric: 1, sumamt: 10, drord_begn_date: DAY, curr_drord_flag: '1', ...extra };
}

function herbCase(name: string, orders: OrderDto[], more: Partial<RuleCase>): RuleCase {
  return kase({ name, now: NOW, request: request(patient([encounter('M1', '2026-06-01', orders)])), ...more });
}

/** 中药饮片单复方均不予支付: any current order of a listed herb. */
export const herbNever: RuleCase[] = [
  herbCase('单味阿胶', [herb('R1', 'herb_never_payable', '阿胶', { rxno: 'A' })], { expect: [fires(NEVER, 'R1')], exact: true }),
  herbCase('复方中的冬虫夏草（与黄芪同方）', [herb('R1', 'herb_never_payable', '冬虫夏草', { rxno: 'A' }), herb('R2', 'herb_single_use', '黄芪', { rxno: 'A' })], {
    expect: [fires(NEVER, 'R1')],
    expect_not: [quiet(NEVER, 'R2'), quiet(SINGLE)],
    exact: true,
  }),
  herbCase(
    '各种动物脏器和胎、鞭、尾、筋、骨与西洋参',
    [
      herb('R1', 'herb_never_payable', '各种动物脏器（鸡内金除外）和胎、鞭、尾、筋、骨', { rxno: 'A' }),
      herb('R2', 'herb_never_payable', '西洋参', { rxno: 'A' }),
      plainHerb('R3', '茯神', { rxno: 'A' }),
    ],
    { expect: [fires(NEVER, 'R1'), fires(NEVER, 'R2')], exact: true },
  ),
  herbCase(
    '历史医嘱中的阿胶不作为违规项',
    [history('R1', codeOf('herb_never_payable', '阿胶'), '阿胶', '2026-05-20 09:00:00', { hilist_type: '102' }), order('R2', VISIT_FEE, '普通门诊诊查费', DAY)],
    { expect_not: [quiet(NEVER)], exact: true },
  ),
  herbCase('黄芪、当归：不在单复方均不予支付目录', [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A' }), herb('R2', 'herb_single_use', '当归', { rxno: 'A' })], {
    expect_not: [quiet(NEVER)],
  }),
  herbCase('阿胶全额自费（ownpay_amt 等于金额）：未申请基金支付', [herb('R1', 'herb_never_payable', '阿胶', { rxno: 'A', ownpay_amt: 20 })], {
    expect_not: [quiet(NEVER)],
    exact: true,
  }),
  kase({
    name: '第十一批公布（2026-05-11）前开具阿胶：不适用',
    now: NOW,
    request: request(patient([encounter('M1', '2026-05-10', [order('R1', codeOf('herb_never_payable', '阿胶'), '阿胶', '2026-05-10 09:00:00', { hilist_type: '102' })])])),
    expect_not: [quiet(NEVER)],
    exact: true,
  }),
];

/** 中药饮片单方使用不予支付: a prescription made only of listed herbs. */
export const herbSingle: RuleCase[] = [
  herbCase('单味黄芪处方', [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A' })], { expect: [fires(SINGLE, 'R1')], exact: true }),
  herbCase(
    '黄芪、当归、大枣组成的处方：三味均不予支付',
    [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A' }), herb('R2', 'herb_single_use', '当归', { rxno: 'A' }), herb('R3', 'herb_single_use', '大枣', { rxno: 'A' })],
    { expect: [fires(SINGLE, 'R1', ['R1', 'R2', 'R3']), fires(SINGLE, 'R2'), fires(SINGLE, 'R3')], exact: true },
  ),
  herbCase('无处方号：同日的枸杞子、菊花为一张处方', [herb('R1', 'herb_single_use', '枸杞子'), herb('R2', 'herb_single_use', '菊花')], {
    expect: [fires(SINGLE, 'R1'), fires(SINGLE, 'R2')],
    exact: true,
  }),
  herbCase(
    '两张处方：A 方含茯神可支付，B 方单味人参片不予支付',
    [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A' }), plainHerb('R2', '茯神', { rxno: 'A' }), herb('R3', 'herb_single_use', '人参片', { rxno: 'B' })],
    { expect: [fires(SINGLE, 'R3')], exact: true },
  ),
  herbCase('黄芪全额自费、当归申请基金支付：仅当归违规', [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A', ownpay_amt: 20 }), herb('R2', 'herb_single_use', '当归', { rxno: 'A' })], {
    expect: [fires(SINGLE, 'R2')],
    expect_not: [quiet(SINGLE, 'R1')],
    exact: true,
  }),
  herbCase('黄芪配伍茯神、白术：处方可支付', [herb('R1', 'herb_single_use', '黄芪', { rxno: 'A' }), plainHerb('R2', '茯神', { rxno: 'A' }), plainHerb('R3', '白术', { rxno: 'A' })], {
    expect_not: [quiet(SINGLE)],
    exact: true,
  }),
  herbCase('无处方号、不同日：当日另有非目录饮片，可支付', [herb('R1', 'herb_single_use', '当归'), plainHerb('R2', '川芎')], { expect_not: [quiet(SINGLE)], exact: true }),
  herbCase(
    '历史医嘱不组成本次处方：本次仅白术',
    [history('R1', codeOf('herb_single_use', '黄芪'), '黄芪', '2026-05-20 09:00:00', { hilist_type: '102', rxno: 'A' }), plainHerb('R2', '白术', { rxno: 'B' })],
    { expect_not: [quiet(SINGLE)], exact: true },
  ),
];

/** 中药饮片配伍禁忌: both herbs of a 十八反/十九畏 pair in one prescription. */
export const herbPairs: RuleCase[] = [
  herbCase('红参与藜芦同方（十八反）', [herb('R1', 'herb_single_use', '红参', { rxno: 'A' }), plainHerb('R2', '藜芦', { rxno: 'A' }), plainHerb('R3', '白术', { rxno: 'A' })], {
    expect: [fires(PAIR, 'R1', ['R2']), fires(PAIR, 'R2', ['R1'])],
    exact: true,
  }),
  herbCase('丁香与郁金同方（十九畏）', [herb('R1', 'herb_single_use', '丁香', { rxno: 'A' }), plainHerb('R2', '郁金', { rxno: 'A' })], {
    expect: [fires(PAIR, 'R1'), fires(PAIR, 'R2')],
    exact: true,
  }),
  herbCase('制川乌与法半夏同方（十八反，按名称）', [plainHerb('R1', '制川乌', { rxno: 'A' }), plainHerb('R2', '法半夏', { rxno: 'A' }), plainHerb('R3', '茯神', { rxno: 'A' })], {
    expect: [fires(PAIR, 'R1'), fires(PAIR, 'R2')],
    exact: true,
  }),
  herbCase('肉桂与赤石脂同方（十九畏）', [herb('R1', 'herb_single_use', '肉桂', { rxno: 'A' }), plainHerb('R2', '赤石脂', { rxno: 'A' })], {
    expect: [fires(PAIR, 'R1'), fires(PAIR, 'R2')],
    exact: true,
  }),
  herbCase('炙甘草与京大戟、海藻同方：炙甘草一条提示', [plainHerb('R1', '炙甘草', { rxno: 'A' }), plainHerb('R2', '京大戟', { rxno: 'A' }), plainHerb('R3', '海藻', { rxno: 'A' })], {
    expect: [fires(PAIR, 'R1'), fires(PAIR, 'R2'), fires(PAIR, 'R3')],
    exact: true,
  }),
  herbCase('红参与藜芦分属两张处方：不提示', [herb('R1', 'herb_single_use', '红参', { rxno: 'A' }), plainHerb('R2', '白术', { rxno: 'A' }), plainHerb('R3', '藜芦', { rxno: 'B' })], {
    expect_not: [quiet(PAIR)],
  }),
  herbCase('白附子与半夏：白附子不属乌头类', [plainHerb('R1', '白附子', { rxno: 'A' }), plainHerb('R2', '姜半夏', { rxno: 'A' })], { expect_not: [quiet(PAIR)], exact: true }),
  herbCase('甘草与茯苓：无配伍禁忌', [plainHerb('R1', '甘草', { rxno: 'A' }), herb('R2', 'herb_single_use', '茯苓', { rxno: 'A' })], { expect_not: [quiet(PAIR)], exact: true }),
  herbCase(
    '五灵脂为历史医嘱，本次仅人参片与白术',
    [
      history('R1', '', '五灵脂', '2026-05-20 09:00:00', { hilist_type: '102', rxno: 'A' }),
      herb('R2', 'herb_single_use', '人参片', { rxno: 'B' }),
      plainHerb('R3', '白术', { rxno: 'B' }),
    ],
    { expect_not: [quiet(PAIR)], exact: true },
  ),
];

/** A visit with these diagnoses and one consultation fee. */
function dxCase(name: string, rule: string, diagnoses: Array<[string, string]>, who: { gend?: string; brdy?: string }, fire: boolean): RuleCase {
  const enc = encounter('M1', '2026-06-01', [order('R1', VISIT_FEE, '普通门诊诊查费', DAY)], {
    fsi_diagnose_dtos: diagnoses.map(([dise_codg, dise_name], i) => ({ dise_id: `D${i + 1}`, dise_codg, dise_name, maindise_flag: i === 0 ? '1' : '0' })),
  });
  const p = patient([enc], who);
  if (who.brdy === '') delete p.brdy;
  return kase({ name, now: NOW, request: request(p), ...(fire ? { expect: [{ rule_id: rule }], exact: true } : { expect_not: [quiet(rule)] }) });
}

/** 诊断与患者性别不符. */
export const diagnosisSex: RuleCase[] = [
  dxCase('男性患者诊断单胎顺产（O80）', SEX, [['O80.000', '单胎顺产']], { gend: '1' }, true),
  dxCase('女性患者诊断前列腺增生（N40）', SEX, [['N40.x00', '前列腺增生']], { gend: '2' }, true),
  dxCase(
    '女性患者诊断前列腺恶性肿瘤（C61）',
    SEX,
    [
      ['I10.x00', '原发性高血压'],
      ['C61.x00', '前列腺恶性肿瘤'],
    ],
    { gend: '2' },
    true,
  ),
  dxCase('男性患者诊断卵巢囊肿（N83）', SEX, [['N83.200', '卵巢囊肿']], { gend: '1' }, true),
  dxCase('女性患者诊断单胎顺产：合规', SEX, [['O80.000', '单胎顺产']], { gend: '2', brdy: '1995-03-01' }, false),
  dxCase('男性患者诊断前列腺增生：合规', SEX, [['N40.x00', '前列腺增生']], { gend: '1' }, false),
  dxCase('性别未说明（9）：不判断', SEX, [['O80.000', '单胎顺产']], { gend: '9' }, false),
  dxCase('女性患者诊断泌尿道感染（N39，不限性别）', SEX, [['N39.000', '泌尿道感染']], { gend: '2' }, false),
];

/** 诊断与患者年龄不符. */
export const diagnosisAge: RuleCase[] = [
  dxCase('46岁患者诊断早产儿（P07）', AGE, [['P07.300', '早产儿']], { gend: '1', brdy: '1980-01-01' }, true),
  dxCase('8岁女童诊断单胎顺产', AGE, [['O80.000', '单胎顺产']], { gend: '2', brdy: '2018-03-01' }, true),
  dxCase('66岁女性诊断早期妊娠', AGE, [['O26.900', '妊娠相关情况']], { gend: '2', brdy: '1960-02-01' }, true),
  dxCase('3月龄婴儿诊断新生儿黄疸（P59）：合规', AGE, [['P59.900', '新生儿黄疸']], { gend: '1', brdy: '2026-03-01' }, false),
  dxCase('30岁女性诊断单胎顺产：合规', AGE, [['O80.000', '单胎顺产']], { gend: '2', brdy: '1996-01-01' }, false),
  dxCase('无出生日期：不判断', AGE, [['P07.300', '早产儿']], { gend: '1', brdy: '' }, false),
];
