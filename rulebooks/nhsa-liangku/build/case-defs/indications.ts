/**
 * Cases for 药品限适应症 (batches 12–17) and 药品限二线使用 (batch 09): real national codes from the
 * built tables, diagnoses in the national ICD-10 (医保版 2.0) code shapes. A mismatch is
 * 高度可疑 (sev_deg 2); a limit the data cannot check reminds (sev_deg 3).
 */
import type { DiagnoseDto, EncounterDto, OrderDto, RuleCase } from '@preaudit/core-rules';
import { codeOf, encounter, history, kase, order, patient, quiet, request } from '../case-kit.js';

const IND = 'GZ10000101008000';
const SECOND = 'GZ10000101005000';
const NOW = '2026-07-10 10:00:00';
const DAY = '2026-07-01 09:00:00';

type Dx = [string, string];

function dx(list: Dx[]): DiagnoseDto[] {
  return list.map(([dise_codg, dise_name], i) => ({ dise_id: `D${i + 1}`, dise_codg, dise_name, maindise_flag: i === 0 ? '1' : '0', inout_dise_type: '2' }));
}

/** One encounter with these diagnoses and orders; `fire` = the rule's finding on R1 with that sev_deg, or quiet. */
function indCase(
  name: string,
  rule: string,
  orders: OrderDto[],
  diagnoses: Dx[],
  fire: '2' | '3' | false,
  more: { enc?: Partial<EncounterDto>; brdy?: string; orders?: OrderDto[] } = {},
): RuleCase {
  const enc = encounter('M1', DAY.slice(0, 10), [...(more.orders ?? []), ...orders], { fsi_diagnose_dtos: dx(diagnoses), ...more.enc });
  return kase({
    name,
    now: NOW,
    request: request(patient([enc], more.brdy ? { brdy: more.brdy } : {})),
    ...(fire ? { expect: [{ rule_id: rule, rx_id: 'R1', sev_deg: fire }] } : { expect_not: [quiet(rule)] }),
  });
}

const EXENATIDE = codeOf('drug_indication', '艾塞那肽注射液');
const FINASTERIDE = codeOf('drug_indication', '非那雄胺片');
const BOSENTAN_KIDS = codeOf('drug_indication', '波生坦分散片');
const AMINO_20AA = codeOf('drug_indication', '复方氨基酸注射液(20AA)');
const FRUCTOSE = codeOf('drug_indication', '果糖注射液');
const OSIMERTINIB = codeOf('drug_indication', '甲磺酸奥希替尼片');
const VEDOLIZUMAB = codeOf('drug_indication', '注射用维得利珠单抗');

const exenatide = (extra: Partial<OrderDto> = {}) => order('R1', EXENATIDE, '艾塞那肽注射液', DAY, extra);

/** 药品限适应症. */
export const indication: RuleCase[] = [
  indCase('艾塞那肽注射液（限2型糖尿病），诊断原发性高血压：高度可疑', IND, [exenatide()], [['I10.x00', '原发性高血压']], '2'),
  indCase('非那雄胺片（限前列腺增生），诊断慢性前列腺炎：高度可疑', IND, [order('R1', FINASTERIDE, '非那雄胺片', DAY)], [['N41.100', '慢性前列腺炎']], '2'),
  indCase('艾塞那肽注射液，就诊无任何诊断：高度可疑', IND, [exenatide()], [], '2'),
  indCase('甲磺酸奥希替尼片（限非小细胞肺癌），诊断乳腺恶性肿瘤：高度可疑', IND, [order('R1', OSIMERTINIB, '甲磺酸奥希替尼片', DAY)], [['C50.900', '乳腺恶性肿瘤']], '2'),
  indCase('波生坦分散片（限3-12岁肺动脉高压），30岁患者：高度可疑', IND, [order('R1', BOSENTAN_KIDS, '波生坦分散片', DAY)], [['I27.000', '原发性肺动脉高压']], '2', {
    brdy: '1996-01-01',
  }),
  indCase('复方氨基酸注射液(20AA)（住院方予支付），门诊使用：高度可疑', IND, [order('R1', AMINO_20AA, '复方氨基酸注射液(20AA)', DAY)], [['K74.600', '肝硬化']], '2', {
    enc: { med_mdtrt_type: '1' },
  }),
  indCase('果糖注射液（限抢救患者，诊断无法判断）：提醒核对限定支付范围', IND, [order('R1', FRUCTOSE, '果糖注射液', DAY)], [['E11.900', '2型糖尿病']], '3'),
  indCase('艾塞那肽注射液，诊断2型糖尿病：合规', IND, [exenatide()], [['E11.900', '2型糖尿病']], false),
  indCase(
    '艾塞那肽注射液，2型糖尿病为次要诊断：合规',
    IND,
    [exenatide()],
    [
      ['I10.x00', '原发性高血压'],
      ['E11.900', '2型糖尿病'],
    ],
    false,
  ),
  indCase('艾塞那肽注射液，仅出院主诊断为2型糖尿病：合规', IND, [exenatide()], [], false, { enc: { dscg_main_dise_codg: 'E11.900', dscg_main_dise_name: '2型糖尿病' } }),
  indCase('艾塞那肽注射液，医院审批标志 hosp_appr_flag=1：不提示', IND, [exenatide({ hosp_appr_flag: '1' })], [['I10.x00', '原发性高血压']], false),
  indCase('艾塞那肽注射液，hosp_appr_flag=2（转自费）：不提示', IND, [exenatide({ hosp_appr_flag: '2' })], [['I10.x00', '原发性高血压']], false),
  indCase('艾塞那肽注射液，自费金额等于明细金额：不提示', IND, [exenatide({ ownpay_amt: 100 })], [['I10.x00', '原发性高血压']], false),
  indCase('艾塞那肽注射液为历史医嘱：不作违规项', IND, [history('R1', EXENATIDE, '艾塞那肽注射液', '2026-06-20 09:00:00')], [['I10.x00', '原发性高血压']], false, {
    orders: [order('R0', '001102000010000', '普通门诊诊查费', DAY)],
  }),
  indCase('艾塞那肽注射液，第十二批公布（2026-05-23）前使用：不适用', IND, [order('R1', EXENATIDE, '艾塞那肽注射液', '2026-05-22 09:00:00')], [['I10.x00', '原发性高血压']], false),
  indCase('波生坦分散片，8岁原发性肺动脉高压患儿：合规', IND, [order('R1', BOSENTAN_KIDS, '波生坦分散片', DAY)], [['I27.000', '原发性肺动脉高压']], false, { brdy: '2018-03-01' }),
  indCase('注射用维得利珠单抗（限溃疡性结肠炎或克罗恩病），诊断克罗恩病：合规', IND, [order('R1', VEDOLIZUMAB, '注射用维得利珠单抗', DAY)], [['K50.900', '克罗恩病']], false),
  indCase('复方氨基酸注射液(20AA)，住院肝硬化患者：合规', IND, [order('R1', AMINO_20AA, '复方氨基酸注射液(20AA)', DAY)], [['K74.600', '肝硬化']], false, {
    enc: { med_mdtrt_type: '2', med_type: '21' },
  }),
  indCase(
    '依苏帕格鲁肽α注射液（限成人2型糖尿病），16岁2型糖尿病患者：高度可疑',
    IND,
    [order('R1', codeOf('drug_indication', '依苏帕格鲁肽α注射液'), '依苏帕格鲁肽α注射液', DAY)],
    [['E11.900', '2型糖尿病']],
    '2',
    { brdy: '2010-03-01' },
  ),
  kase({
    name: '艾塞那肽注射液，同一就诊（mdtrt_id 相同）拆成两条就诊信息，2型糖尿病在另一条：合规',
    now: NOW,
    request: request(
      patient([
        encounter('M1', DAY.slice(0, 10), [exenatide()], { fsi_diagnose_dtos: dx([['I10.x00', '原发性高血压']]) }),
        encounter('M1', DAY.slice(0, 10), [], { fsi_diagnose_dtos: dx([['E11.900', '2型糖尿病']]) }),
      ]),
    ),
    expect_not: [quiet(IND)],
  }),
  indCase('果糖注射液，医院审批标志 hosp_appr_flag=1：不提醒', IND, [order('R1', FRUCTOSE, '果糖注射液', DAY, { hosp_appr_flag: '1' })], [['E11.900', '2型糖尿病']], false),
];

const IGURATIMOD = codeOf('drug_second_line', '艾拉莫德片');
const LATANOPROST = codeOf('drug_second_line', '拉坦前列素滴眼液');
const DEGLUDEC_ASPART = codeOf('drug_second_line', '德谷门冬双胰岛素注射液');
const LIXISENATIDE = codeOf('drug_hospital_tier', '利司那肽注射液');
const PALI_6M = codeOf('drug_second_line', '棕榈帕利哌酮酯注射液(6M)');
const PALI_3M = codeOf('drug_second_line', '棕榈帕利哌酮酯注射液(3M)');

const iguratimod = (extra: Partial<OrderDto> = {}) => order('R1', IGURATIMOD, '艾拉莫德片', DAY, extra);

/** 药品限二线使用. */
export const secondLine: RuleCase[] = [
  indCase('艾拉莫德片（限类风湿关节炎二线），诊断腰痛：高度可疑', SECOND, [iguratimod()], [['M54.500', '腰痛']], '2'),
  indCase('艾拉莫德片，诊断类风湿关节炎但无一线用药证据：提醒', SECOND, [iguratimod()], [['M06.900', '类风湿性关节炎']], '3'),
  indCase('拉坦前列素滴眼液（限二线用药）：提醒', SECOND, [order('R1', LATANOPROST, '拉坦前列素滴眼液', DAY)], [['H40.100', '原发性开角型青光眼']], '3'),
  indCase('德谷门冬双胰岛素注射液，2型糖尿病、无既往降糖药：提醒', SECOND, [order('R1', DEGLUDEC_ASPART, '德谷门冬双胰岛素注射液', DAY)], [['E11.900', '2型糖尿病']], '3'),
  indCase('德谷门冬双胰岛素注射液，诊断原发性高血压：高度可疑', SECOND, [order('R1', DEGLUDEC_ASPART, '德谷门冬双胰岛素注射液', DAY)], [['I10.x00', '原发性高血压']], '2'),
  indCase('德谷门冬双胰岛素注射液，2型糖尿病且既往用过利司那肽：合规', SECOND, [order('R1', DEGLUDEC_ASPART, '德谷门冬双胰岛素注射液', DAY)], [['E11.900', '2型糖尿病']], false, {
    orders: [history('R0', LIXISENATIDE, '利司那肽注射液', '2026-05-10 09:00:00')],
  }),
  indCase('棕榈帕利哌酮酯注射液(6M)，精神分裂症且既往用过(3M)：合规', SECOND, [order('R1', PALI_6M, '棕榈帕利哌酮酯注射液(6M)', DAY)], [['F20.900', '精神分裂症']], false, {
    orders: [history('R0', PALI_3M, '棕榈帕利哌酮酯注射液(3M)', '2026-03-01 09:00:00')],
  }),
  indCase('艾拉莫德片，医院审批标志 hosp_appr_flag=1：不提示', SECOND, [iguratimod({ hosp_appr_flag: '1' })], [['M54.500', '腰痛']], false),
  indCase('艾拉莫德片，自费金额等于明细金额：不提示', SECOND, [iguratimod({ ownpay_amt: 100 })], [['M54.500', '腰痛']], false),
  indCase('艾拉莫德片，第九批公布（2026-04-21）前使用：不适用', SECOND, [order('R1', IGURATIMOD, '艾拉莫德片', '2026-04-20 09:00:00')], [['M54.500', '腰痛']], false),
];
