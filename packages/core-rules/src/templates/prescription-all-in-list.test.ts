// 中药饮片单方使用不予支付: a prescription made only of listed herbs offends with every herb; one
// unlisted herb makes it payable. A prescription is the encounter's current herbal orders of one
// rxno, else of one day.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';
import type { OrderDto } from '../model/request.js';

const HUANGQI = 'T001700368'; // 黄芪
const DANGGUI = 'T001700173'; // 当归
const DAZAO = 'T001700186'; // 大枣
const EJIAO = 'T001700233'; // 阿胶: not in the single-use list
const NOW = '2026-07-01 10:00:00';

const rb = buildRulebook(
  [
    {
      id: 'GZ10000101004000',
      name: '中药饮片单方使用不予支付',
      sev_deg: '1',
      message: '「{point}」{limit}',
      template: 'prescription-all-in-list',
      knowledge: 'single',
    },
  ],
  { 'k/single.csv': `name,codes,effective_from\n黄芪,${HUANGQI},2026-05-11\n当归,${DANGGUI},2026-05-11\n大枣,${DAZAO},2026-05-11\n` },
  { single: 'k/single.csv' },
);

const herb = (rx_id: string, code: string, extra: Partial<OrderDto> = {}) => ({ rx_id, hilist_code: code, hilist_type: '102', drord_begn_date: '2026-06-01 09:00:00', ...extra });
const fired = (orders: Array<Partial<OrderDto> & { rx_id: string }>) =>
  evaluate(rb, request(orders), { now: NOW })
    .result.map((f) => f.judge_result_detail_dtos[0].rx_id)
    .sort();

t.test('a single listed herb offends', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' })]), ['R1']);
});

t.test('a prescription of listed herbs only: every herb offends', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), herb('R2', DANGGUI, { rxno: 'A' }), herb('R3', DAZAO, { rxno: 'A' })]), ['R1', 'R2', 'R3']);
});

t.test('one unlisted herb makes the prescription payable', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), herb('R2', EJIAO, { rxno: 'A' })]), []);
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), herb('R2', '', { rxno: 'A', hilist_name: '炙甘草' })]), [], 'an herb without a national code is unlisted');
});

t.test('prescriptions split by rxno; without rxno, by day', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), herb('R2', EJIAO, { rxno: 'B' })]), ['R1'], 'different rxno');
  t.same(fired([herb('R1', HUANGQI), herb('R2', EJIAO)]), [], 'same day, no rxno: one prescription');
  t.same(fired([herb('R1', HUANGQI), herb('R2', EJIAO, { drord_begn_date: '2026-06-02 09:00:00' })]), ['R1'], 'other day');
});

t.test('history orders and non-herbal orders are not part of the prescription', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), herb('R2', EJIAO, { rxno: 'A', curr_drord_flag: '0' })]), ['R1']);
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A' }), { rx_id: 'R2', hilist_code: 'XN02ABF027V002010101389', hilist_type: '101', rxno: 'A', drord_begn_date: '2026-06-01' }]), ['R1']);
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A', curr_drord_flag: '0' })]), [], 'a history herb alone');
});

t.test('before the batch was published the herbs are not listed', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A', drord_begn_date: '2026-05-10' })]), []);
});

t.test('linear in the prescription size, and findings stay capped', async (t) => {
  const orders = Array.from({ length: 5000 }, (_, i) => herb(`R${i}`, [HUANGQI, DANGGUI, DAZAO][i % 3], { rxno: 'A' }));
  const started = process.hrtime.bigint();
  const r = evaluate(rb, request(orders), { now: NOW });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.equal(r.result.length, 200);
  t.equal(r.truncated[0].dropped, 4800);
  t.ok(
    r.result.every((f) => f.judge_result_detail_dtos.length <= 21),
    '涉及项 capped',
  );
  t.ok(ms < 1000, `5,000 herbs in ${ms.toFixed(1)} ms`);
});

t.test("its codes count among the rulebook's codes though they are not in the order index", async (t) => {
  t.equal(rb.codeCount, 3);
});

t.test('a herb the patient pays in full does not offend but still makes up the prescription', async (t) => {
  t.same(fired([herb('R1', HUANGQI, { rxno: 'A', sumamt: 20, ownpay_amt: 20 }), herb('R2', DANGGUI, { rxno: 'A', sumamt: 20 })]), ['R2']);
});
