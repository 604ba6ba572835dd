// Bureau rules no template covers, written as JsonLogic with the domain operators.
import t from 'tap';
import { evaluate } from './evaluate.js';
import { buildRulebook, request } from './fixture.test-helper.js';

// 参麦注射液 and 艾迪注射液: real national codes from batch 5.
const SHENMAI = 'ZA05CAC0029010102312';
const AIDI = 'ZC01AAA0042010105549';
const files = {
  'k/indications.csv': `name,codes,dx\n艾迪注射液,${AIDI},C\n`,
  'k/watch.json': JSON.stringify([{ name: '参麦注射液', codes: [SHENMAI] }]),
};
const knowledge = { indications: 'k/indications.csv', watch: 'k/watch.json' };
const NOW = '2025-06-10 12:00:00';

const rb = buildRulebook(
  [
    {
      // 限适应症: 艾迪注射液 only with a cancer diagnosis (ICD-10 C..).
      id: 'CITY-XSYZ',
      name: '药品限适应症',
      sev_deg: '2',
      category: '药品',
      knowledge: 'indications',
      message: '「{point}」限癌症患者使用',
      condition: { '!': { has_diagnosis: [{ var: 'point.dx' }] } },
    },
    {
      // 重复开药: more than 2 orders of a watched drug within 7 days.
      id: 'CITY-CFKY',
      name: '重复开药',
      sev_deg: '3',
      category: '药品',
      message: '「{item}」7日内重复开药',
      condition: { and: [{ in_table: [{ var: 'order.hilist_code' }, 'watch'] }, { '>': [{ count_orders: ['watch', 7] }, 2] }] },
    },
    {
      // 限年龄 through age_at, with a param.
      id: 'CITY-AGE',
      name: '老年患者慎用',
      sev_deg: '3',
      category: '药品',
      params: { age: 80 },
      message: '{item}',
      condition: {
        and: [{ '==': [{ var: 'order.hilist_code' }, SHENMAI] }, { '>=': [{ age_at: [{ var: 'patient.brdy' }, { var: 'order.drord_begn_date' }] }, { var: 'params.age' }] }],
      },
    },
    {
      // 分解住院: an inpatient stay admitted fewer than 15 days after the previous discharge.
      id: 'CITY-FJZY',
      name: '分解住院',
      sev_deg: '2',
      category: '住院',
      scope: 'encounter',
      message: '就诊{mdtrt_id}疑似分解住院',
      condition: {
        and: [
          { var: 'patient.fsi_encounter_dtos.0.dscg_date' },
          { '!=': [{ var: 'encounter.mdtrt_id' }, { var: 'patient.fsi_encounter_dtos.0.mdtrt_id' }] },
          { '<': [{ days_between: [{ var: 'patient.fsi_encounter_dtos.0.dscg_date' }, { var: 'encounter.adm_date' }] }, 15] },
        ],
      },
    },
  ],
  files,
  knowledge,
);

t.test('限适应症: fires without the diagnosis, not with it', async (t) => {
  const orders = [{ rx_id: 'R1', hilist_code: AIDI, hilist_name: '艾迪注射液', drord_begn_date: '2025-06-10' }];
  const without = evaluate(rb, request(orders, {}, { fsi_diagnose_dtos: [{ dise_codg: 'I10.x00' }] }), { now: NOW });
  t.same(
    without.result.map((f) => [f.rule_id, f.vola_cont]),
    [['CITY-XSYZ', '「艾迪注射液」限癌症患者使用']],
  );
  const withDx = evaluate(rb, request(orders, {}, { fsi_diagnose_dtos: [{ dise_codg: 'C34.900' }] }), { now: NOW });
  t.equal(withDx.result.length, 0);
});

t.test('重复开药: the third order within 7 days offends, history counts', async (t) => {
  const out = evaluate(
    rb,
    request([
      { rx_id: 'H1', hilist_code: SHENMAI, drord_begn_date: '2025-06-04', curr_drord_flag: '0' },
      { rx_id: 'H2', hilist_code: SHENMAI, drord_begn_date: '2025-06-08', curr_drord_flag: '0' },
      { rx_id: 'R3', hilist_code: SHENMAI, hilist_name: '参麦注射液', drord_begn_date: '2025-06-10' },
    ]),
    { now: NOW },
  );
  t.same(
    out.result.map((f) => [f.rule_id, f.judge_result_detail_dtos[0].rx_id]),
    [['CITY-CFKY', 'R3']],
  );
  const spaced = evaluate(
    rb,
    request([
      { rx_id: 'H1', hilist_code: SHENMAI, drord_begn_date: '2025-06-01', curr_drord_flag: '0' },
      { rx_id: 'H2', hilist_code: SHENMAI, drord_begn_date: '2025-06-08', curr_drord_flag: '0' },
      { rx_id: 'R3', hilist_code: SHENMAI, drord_begn_date: '2025-06-10' },
    ]),
    { now: NOW },
  );
  t.equal(spaced.result.length, 0, 'day 1 is 9 days before day 10: outside the window');
});

t.test('age_at with a rule parameter', async (t) => {
  const order = [{ rx_id: 'R1', hilist_code: SHENMAI, drord_begn_date: '2025-06-10' }];
  t.equal(evaluate(rb, request(order, { brdy: '1945-06-10' }), { now: NOW }).result.length, 1, '80 on the day');
  t.equal(evaluate(rb, request(order, { brdy: '1945-06-11' }), { now: NOW }).result.length, 0, '79 the day before');
});

t.test('encounter scope: 分解住院', async (t) => {
  const data = {
    trig_scen: '3',
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '1',
        brdy: '1960-01-01',
        fsi_encounter_dtos: [
          { mdtrt_id: 'M0', med_mdtrt_type: '2', adm_date: '2025-05-01', dscg_date: '2025-05-20', medfee_sumamt: 9000 },
          { mdtrt_id: 'M1', med_mdtrt_type: '2', adm_date: '2025-05-28', medfee_sumamt: 5000 },
        ],
      },
    ],
  };
  const out = evaluate(rb, data, { now: NOW });
  t.same(
    out.result.map((f) => [f.rule_id, f.mdtrt_id, f.vola_cont, f.vola_amt]),
    [['CITY-FJZY', 'M1', '就诊M1疑似分解住院', 5000]],
  );
  data.patient_dtos[0].fsi_encounter_dtos[1].adm_date = '2025-06-04';
  t.equal(evaluate(rb, data, { now: NOW }).result.length, 0, '15 days after discharge is not flagged');
});

t.test('has_diagnosis reads every entry of the encounter (one mdtrt_id sent as two entries), not other encounters', async (t) => {
  const order = { rx_id: 'R1', hilist_code: AIDI, hilist_name: '艾迪注射液', drord_begn_date: '2025-06-10' };
  const twoEntries = (secondId: string) => ({
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '2',
        brdy: '1980-01-01',
        fsi_encounter_dtos: [
          { mdtrt_id: 'M1', med_mdtrt_type: '2', medins_lv: '02', adm_date: '2025-06-01', fsi_order_dtos: [order] },
          { mdtrt_id: secondId, med_mdtrt_type: '2', medins_lv: '02', adm_date: '2025-06-01', fsi_diagnose_dtos: [{ dise_codg: 'C34.900' }] },
        ],
      },
    ],
  });
  t.same(evaluate(rb, twoEntries('M1'), { now: NOW, ruleIds: ['CITY-XSYZ'] }).result, [], 'the diagnosis in the other entry of M1 counts');
  t.equal(evaluate(rb, twoEntries('M2'), { now: NOW, ruleIds: ['CITY-XSYZ'] }).result.length, 1, 'a diagnosis of another encounter does not');
});

t.test('an encounter sent as two entries of one mdtrt_id is judged once, with the diagnoses and orders of both', async (t) => {
  const book = buildRulebook(
    [
      {
        // 住院无诊断: an inpatient stay with orders but no diagnosis at all.
        id: 'CITY-WZD',
        name: '住院无诊断',
        sev_deg: '3',
        category: '住院',
        scope: 'encounter',
        message: '就诊{mdtrt_id}无诊断',
        condition: { '==': [{ var: 'encounter.fsi_diagnose_dtos.length' }, 0] },
      },
      {
        id: 'CITY-ORDERS',
        name: '就诊医嘱过多',
        sev_deg: '3',
        category: '住院',
        scope: 'encounter',
        message: '就诊{mdtrt_id}医嘱过多',
        condition: { '>': [{ var: 'encounter.fsi_order_dtos.length' }, 1] },
      },
    ],
    {},
    {},
  );
  const entry = (mdtrt_id: string, extra: Record<string, unknown>) => ({ mdtrt_id, med_mdtrt_type: '2', adm_date: '2025-06-01', ...extra });
  const data = (secondId: string) => ({
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '2',
        brdy: '1980-01-01',
        fsi_encounter_dtos: [
          entry('M1', { fsi_order_dtos: [{ rx_id: 'R1', hilist_code: AIDI, drord_begn_date: '2025-06-01' }], fsi_diagnose_dtos: [] }),
          entry(secondId, { fsi_order_dtos: [{ rx_id: 'R2', hilist_code: AIDI, drord_begn_date: '2025-06-02' }], fsi_diagnose_dtos: [{ dise_codg: 'C34.900' }] }),
        ],
      },
    ],
  });
  const one = evaluate(book, data('M1'), { now: NOW }).result;
  t.same(
    one.map((f) => [f.rule_id, f.mdtrt_id, f.judge_result_detail_dtos.map((d) => d.rx_id)]),
    [['CITY-ORDERS', 'M1', ['R1', 'R2']]],
    "one finding for M1, listing both entries' orders; the diagnosis of the second entry counts",
  );
  const two = evaluate(book, data('M2'), { now: NOW }).result;
  t.same(two.map((f) => `${f.rule_id}:${f.mdtrt_id}`).sort(), ['CITY-WZD:M1'], 'two encounters: M1 has no diagnosis, neither has two orders');
});
