// code-list: every current order of a listed code offends (中药饮片单复方均不予支付); with
// encounter_fields, only in encounters marked that way (超互联网医院药品支付范围).
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';

const EJIAO = 'T001700233'; // 阿胶 (batch11 单复方均不予支付)
const FENTANYL = 'XN02ABF027V002010101389'; // 芬太尼透皮贴剂 (batch10)
const NOW = '2026-07-01 10:00:00';

const rb = buildRulebook(
  [
    { id: 'GZ10000101003000', name: '中药饮片单复方均不予支付', sev_deg: '1', message: '「{point}」{limit}', template: 'code-list', knowledge: 'herbs' },
    {
      id: 'NET',
      name: '超互联网医院药品支付范围',
      sev_deg: '1',
      message: '「{point}」不得在{limit}中开具',
      template: 'code-list',
      knowledge: 'net',
      params: { encounter_fields: { mdtrt_mode: ['1'], med_type: ['17'] }, scope_label: '互联网诊疗' },
    },
  ],
  {
    'k/herbs.csv': `name,codes\n阿胶,${EJIAO}\n`,
    'k/net.csv': `name,codes,effective_from\n芬太尼透皮贴剂,${FENTANYL},2026-04-28\n`,
  },
  { herbs: 'k/herbs.csv', net: 'k/net.csv' },
);

t.test('a listed herb offends in any prescription, alone or not; history orders do not', async (t) => {
  const r = evaluate(
    rb,
    request([
      { rx_id: 'R1', hilist_code: EJIAO, hilist_type: '102', drord_begn_date: '2026-06-01' },
      { rx_id: 'R2', hilist_code: EJIAO, hilist_type: '102', drord_begn_date: '2026-06-01', curr_drord_flag: '0' },
    ]),
    { now: NOW },
  );
  t.same(
    r.result.map((f) => [f.rule_id, f.judge_result_detail_dtos[0].rx_id]),
    [['GZ10000101003000', 'R1']],
  );
  t.match(r.result[0].vola_cont, '「阿胶」不予支付');
});

t.test('an internet drug fires only in an encounter marked as internet by one of the configured fields', async (t) => {
  const order = [{ rx_id: 'R1', hilist_code: FENTANYL, drord_begn_date: '2026-06-01' }];
  t.same(
    evaluate(rb, request(order, {}, { mdtrt_mode: '1' }), { now: NOW }).result.map((f) => f.rule_id),
    ['NET'],
    'mdtrt_mode 1',
  );
  t.same(
    evaluate(rb, request(order, {}, { med_type: '17' }), { now: NOW }).result.map((f) => f.rule_id),
    ['NET'],
    'med_type 17',
  );
  t.same(evaluate(rb, request(order, {}, { mdtrt_mode: '0', med_type: '11' }), { now: NOW }).result, [], 'an offline visit');
  t.same(evaluate(rb, request(order), { now: NOW }).result, [], 'no mark: never guessed');
  const early = [{ rx_id: 'R1', hilist_code: FENTANYL, drord_begn_date: '2026-04-27' }];
  t.same(evaluate(rb, request(early, {}, { mdtrt_mode: '1' }), { now: NOW }).result, [], 'before the batch was published');
});

t.test('bad encounter_fields are named', async (t) => {
  t.throws(
    () =>
      buildRulebook(
        [{ id: 'X', name: 'x', sev_deg: '1', message: 'x', template: 'code-list', knowledge: 'net', params: { encounter_fields: { med_type: '17' } } }],
        { 'k/net.csv': `name,codes\n芬太尼透皮贴剂,${FENTANYL}\n` },
        { net: 'k/net.csv' },
      ),
    /encounter_fields\.med_type/,
  );
});

t.test('skip_self_paid: a line the patient pays in full is not billed to the fund', async (t) => {
  const paid = buildRulebook(
    [{ id: 'N', name: '中药饮片单复方均不予支付', sev_deg: '1', message: '「{point}」', template: 'code-list', knowledge: 'herbs', params: { skip_self_paid: true } }],
    { 'k/herbs.csv': `name,codes\n阿胶,${EJIAO}\n` },
    { herbs: 'k/herbs.csv' },
  );
  const run = (extra: Record<string, unknown>) =>
    evaluate(paid, request([{ rx_id: 'R1', hilist_code: EJIAO, hilist_type: '102', drord_begn_date: '2026-06-01', cnt: 1, pric: 100, sumamt: 100, ...extra }]), { now: NOW }).result
      .length;
  t.equal(run({ ownpay_amt: 100 }), 0, 'all self-paid');
  t.equal(run({ ownpay_amt: 40 }), 1, 'partly self-paid');
  t.equal(run({}), 1, 'no ownpay_amt');
});
