// indication-limit: 药品限适应症 / 药品限二线使用 — a drug billed to the fund whose encounter's
// diagnoses match none of its limit's ICD-10 prefixes is 高度可疑 (2); a limit the data cannot
// check reminds (3); hosp_appr_flag 1/2 and self-paid lines are not judged.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';
import { matchesPrefix, prefixFree } from './indication-limit.js';

const EXENATIDE = 'XA10BJA085B002010106474'; // 艾塞那肽注射液 (batch12: 限2型糖尿病)
const FRUCTOSE = 'XB05BBG146B002010101521'; // 果糖氯化钠注射液 (batch13: 限抢救患者)
const IGURATIMOD = 'XM01AXA267A001010101522'; // 艾拉莫德片 (batch09: 类风湿关节炎二线)
const LIXISENATIDE = 'XA10BJL366B002010181708'; // 利司那肽注射液 (an earlier A10 drug)
const NOW = '2026-07-10 10:00:00';
const DAY = '2026-07-01';

const TABLE =
  [
    'name,codes,limit_text,kind,icd_sets,min_age,max_age,visit_type,prior_codes,effective_from',
    `艾塞那肽注射液,${EXENATIDE},限2型糖尿病。,diagnosis,E11,,,,,2026-05-23`,
    `果糖氯化钠注射液,${FRUCTOSE},限因胰岛素抵抗无法使用葡萄糖的抢救患者。,reminder,,,,,,2026-06-01`,
    `复方氨基酸注射液(20AA),XB05BAF160B002010103282,限肝硬化住院患者。,diagnosis,K74;K703,18,,2,,2026-06-01`,
  ].join('\n') + '\n';

const rb = buildRulebook(
  [
    { id: 'IND', name: '药品限适应症', sev_deg: '2', message: '「{point}」{limit}（{actual}）', template: 'indication-limit', knowledge: 'ind' },
    { id: 'SECOND', name: '药品限二线使用', sev_deg: '2', message: '「{point}」{limit}（{actual}）', template: 'indication-limit', knowledge: 'second', params: { second_line: true } },
  ],
  {
    'k/ind.csv': TABLE,
    'k/second.csv': `name,codes,limit_text,kind,icd_sets,prior_codes\n艾拉莫德片,${IGURATIMOD},限活动性类风湿关节炎患者的二线治疗。,diagnosis,M05;M06,XA10|XM01AX9\n`,
  },
  { ind: 'k/ind.csv', second: 'k/second.csv' },
);

const dx = (...codes: string[]) => ({ fsi_diagnose_dtos: codes.map((dise_codg, i) => ({ dise_codg, dise_name: dise_codg, maindise_flag: i === 0 ? '1' : '0' })) });
const run = (orders: Array<Record<string, unknown>>, enc: Record<string, unknown> = {}, patient: Record<string, unknown> = {}) =>
  evaluate(
    rb,
    request(
      orders.map((o, i) => ({ rx_id: `R${i + 1}`, drord_begn_date: DAY, cnt: 1, pric: 100, sumamt: 100, ...o })),
      patient,
      { adm_date: DAY, ...enc },
    ),
    { now: NOW },
  ).result.map((f) => `${f.rule_id}:${f.judge_result_detail_dtos[0].rx_id}:${f.sev_deg}`);

t.test('prefix sets: nested prefixes collapse, a code matches by its own prefix', async (t) => {
  const p = prefixFree(['E11', 'E119', 'K70', 'K703', 'I10']);
  t.same(p, ['E11', 'I10', 'K70']);
  t.ok(matchesPrefix(p, 'E11900'));
  t.ok(matchesPrefix(p, 'K7030'));
  t.notOk(matchesPrefix(p, 'E10900'));
  t.notOk(matchesPrefix(p, 'A00'));
  t.notOk(matchesPrefix([], 'E11'));
});

t.test('a diagnosis outside every set is 高度可疑; any diagnosis of the encounter inside one is not', async (t) => {
  t.same(run([{ hilist_code: EXENATIDE }], dx('I10.x00')), ['IND:R1:2']);
  t.same(run([{ hilist_code: EXENATIDE }], dx('I10.x00', 'E11.900')), [], 'a secondary diagnosis counts');
  t.same(run([{ hilist_code: EXENATIDE }], { dscg_main_dise_codg: 'E11.900' }), [], 'the main discharge diagnosis counts');
  t.same(run([{ hilist_code: EXENATIDE }]), ['IND:R1:2'], 'no diagnosis at all');
  t.same(run([{ hilist_code: EXENATIDE }], dx('e11.9')), [], 'lower case, dotted');
});

t.test('approved, own-pay, self-paid and history orders are not judged; nor orders before the batch', async (t) => {
  t.same(run([{ hilist_code: EXENATIDE, hosp_appr_flag: '1' }], dx('I10')), []);
  t.same(run([{ hilist_code: EXENATIDE, hosp_appr_flag: 1 }], dx('I10')), [], 'a number from the HIS');
  t.same(run([{ hilist_code: EXENATIDE, hosp_appr_flag: '2' }], dx('I10')), [], '转自费');
  t.same(run([{ hilist_code: EXENATIDE, hosp_appr_flag: '0' }], dx('I10')), ['IND:R1:2'], '0: no approval');
  t.same(run([{ hilist_code: EXENATIDE, ownpay_amt: 100 }], dx('I10')), []);
  t.same(run([{ hilist_code: EXENATIDE, ownpay_amt: 30 }], dx('I10')), ['IND:R1:2'], 'partly self-paid is still billed');
  t.same(run([{ hilist_code: EXENATIDE, curr_drord_flag: '0' }, { hilist_code: '001102000010000' }], dx('I10')), []);
  t.same(run([{ hilist_code: EXENATIDE, drord_begn_date: '2026-05-22' }], dx('I10')), []);
});

t.test('a reminder quotes the limit at sev_deg 3', async (t) => {
  const r = evaluate(rb, request([{ rx_id: 'R1', hilist_code: FRUCTOSE, drord_begn_date: DAY }], {}, dx('E11.900')), { now: NOW }).result;
  t.same(
    r.map((f) => f.sev_deg),
    ['3'],
  );
  t.match(r[0].vola_cont, '限因胰岛素抵抗无法使用葡萄糖的抢救患者');
});

t.test('age and visit-type bounds', async (t) => {
  t.same(run([{ hilist_code: 'XB05BAF160B002010103282' }], { ...dx('K74.600'), med_mdtrt_type: '2' }), []);
  t.same(run([{ hilist_code: 'XB05BAF160B002010103282' }], { ...dx('K74.600'), med_mdtrt_type: '1' }), ['IND:R1:2'], 'outpatient');
  t.same(run([{ hilist_code: 'XB05BAF160B002010103282' }], { ...dx('K70.300'), med_mdtrt_type: '2' }, { brdy: '2012-01-01' }), ['IND:R1:2'], '14 years old');
  t.same(run([{ hilist_code: 'XB05BAF160B002010103282' }], { ...dx('K74.600'), med_mdtrt_type: '2' }, { brdy: '' }), [], 'no birth date: age not judged');
});

t.test('second line: a mismatch is 2, a fitting diagnosis still reminds unless a first-line drug is in the history', async (t) => {
  t.same(run([{ hilist_code: IGURATIMOD }], dx('M54.500')), ['SECOND:R1:2']);
  t.same(run([{ hilist_code: IGURATIMOD }], dx('M06.900')), ['SECOND:R1:3']);
  t.same(run([{ hilist_code: LIXISENATIDE, curr_drord_flag: '0', drord_begn_date: '2026-06-01' }, { hilist_code: IGURATIMOD }], dx('M06.900')), []);
  t.same(
    run([{ hilist_code: IGURATIMOD }, { hilist_code: LIXISENATIDE, curr_drord_flag: '0', drord_begn_date: '2026-07-05' }], dx('M06.900')),
    ['SECOND:R1:3'],
    'a later order is no evidence',
  );
});

t.test('bad rows are named', async (t) => {
  const bad = (row: string) => () =>
    buildRulebook(
      [{ id: 'X', name: 'x', sev_deg: '2', message: 'x', template: 'indication-limit', knowledge: 'k' }],
      { 'k/k.csv': `name,codes,limit_text,kind,icd_sets,visit_type\n${row}\n` },
      { k: 'k/k.csv' },
    );
  t.throws(bad(`a,${EXENATIDE},限x。,maybe,E11,`), /kind/);
  t.throws(bad(`a,${EXENATIDE},限x。,diagnosis,,`), /icd_sets/);
  t.throws(bad(`a,${EXENATIDE},限x。,diagnosis,11E,`), /icd_sets/);
  t.throws(bad(`a,${EXENATIDE},,reminder,,`), /limit_text/);
  t.throws(bad(`a,${EXENATIDE},限x。,reminder,,9`), /visit_type/);
});
