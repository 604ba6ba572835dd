// 中药饮片配伍禁忌: two herbs of one 十八反/十九畏 pair in one prescription, matched by T-code or by
// herb name inside the order name; both herbs offend.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';
import type { OrderDto } from '../model/request.js';

const HONGSHEN = 'T001700353'; // 红参
const DINGXIANG = 'T000700200'; // 丁香
const NOW = '2026-07-01 10:00:00';

const rb = buildRulebook(
  [
    {
      id: 'GZ10000301012000',
      name: '中药饮片配伍禁忌',
      sev_deg: '2',
      message: '{kind}：「{point}」同方使用（{other}）',
      template: 'prescription-pair',
      knowledge: 'pairs',
    },
  ],
  {
    'k/pairs.csv':
      [
        'name,kind,a_label,a_names,a_exclude,a_codes,b_label,b_names,b_exclude,b_codes',
        '乌头反半夏,十八反,乌头,乌头|川乌|草乌|附子|附片,白附子,,半夏,半夏,,',
        '甘草反甘遂,十八反,甘草,甘草,,,甘遂,甘遂,,',
        '甘草反海藻,十八反,甘草,甘草,,,海藻,海藻,,',
        `藜芦反人参,十八反,藜芦,藜芦,,,人参,人参|红参,,${HONGSHEN}`,
        `丁香畏郁金,十九畏,丁香,丁香,,${DINGXIANG},郁金,郁金,郁金香,`,
      ].join('\n') + '\n',
  },
  { pairs: 'k/pairs.csv' },
);

const herb = (rx_id: string, name: string, extra: Partial<OrderDto> = {}) => ({
  rx_id,
  hilist_name: name,
  hilist_type: '102',
  drord_begn_date: '2026-06-01 09:00:00',
  rxno: 'A',
  ...extra,
});
const run = (orders: Array<Partial<OrderDto> & { rx_id: string }>) => evaluate(rb, request(orders), { now: NOW }).result;
const fired = (orders: Array<Partial<OrderDto> & { rx_id: string }>) =>
  run(orders)
    .map((f) => f.judge_result_detail_dtos[0].rx_id)
    .sort();

t.test('both herbs of a pair in one prescription offend, by processed-form names', async (t) => {
  t.same(fired([herb('R1', '制川乌'), herb('R2', '法半夏'), herb('R3', '茯苓')]), ['R1', 'R2']);
  const r = run([herb('R1', '炙甘草'), herb('R2', '醋甘遂')]);
  t.match(r[0].vola_cont, '十八反：「甘草反甘遂」同方使用（醋甘遂）');
  t.equal(r[0].sev_deg, '2');
});

t.test('matched by national T-code whatever the order name', async (t) => {
  t.same(fired([herb('R1', '', { hilist_code: HONGSHEN, hosplist_name: '高丽参（院内）' }), herb('R2', '藜芦')]), ['R1', 'R2']);
  t.same(fired([herb('R1', '公丁香', { hilist_code: DINGXIANG }), herb('R2', '郁金')]), ['R1', 'R2']);
});

t.test('an herb in two pairs offends once, naming both', async (t) => {
  const r = run([herb('R1', '甘草'), herb('R2', '甘遂'), herb('R3', '海藻')]);
  t.same(r.map((f) => f.judge_result_detail_dtos[0].rx_id).sort(), ['R1', 'R2', 'R3']);
  t.match(r.find((f) => f.judge_result_detail_dtos[0].rx_id === 'R1')!.vola_cont, '甘草反甘遂；甘草反海藻');
});

t.test('clean: different prescriptions, excluded look-alikes, one side only, history', async (t) => {
  t.same(fired([herb('R1', '制川乌', { rxno: 'A' }), herb('R2', '法半夏', { rxno: 'B' })]), [], 'two prescriptions');
  t.same(fired([herb('R1', '白附子'), herb('R2', '半夏')]), [], '白附子 is not 附子');
  t.same(fired([herb('R1', '丁香'), herb('R2', '郁金香')]), [], '郁金香 is not 郁金');
  t.same(fired([herb('R1', '甘草'), herb('R2', '茯苓')]), [], 'one side only');
  t.same(fired([herb('R1', '甘草'), herb('R2', '甘遂', { curr_drord_flag: '0' })]), [], 'history order');
  t.same(fired([herb('R1', '甘草'), { rx_id: 'R2', hilist_name: '甘遂', hilist_type: '101', rxno: 'A', drord_begn_date: '2026-06-01' }]), [], 'not a herbal line');
});

t.test('linear: a 2,000-herb prescription with every pair', async (t) => {
  const names = ['甘草', '甘遂', '海藻', '川乌', '半夏', '藜芦', '人参', '丁香', '郁金', '茯苓'];
  const orders = Array.from({ length: 2000 }, (_, i) => herb(`R${i}`, names[i % names.length]));
  const started = process.hrtime.bigint();
  const r = evaluate(rb, request(orders), { now: NOW });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.equal(r.result.length, 200, 'capped');
  t.ok(ms < 1000, `${ms.toFixed(1)} ms`);
});
