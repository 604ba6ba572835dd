// 医疗服务项目超限定单价收费: a service item's unit price above the price for the hospital's level
// (lv1/lv2/lv3_hosp_item_pric), or above hilist_pric where that level price is absent; in fen.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { BED_FEE, buildRulebook, request } from '../evaluate/fixture.test-helper.js';
import type { OrderDto } from '../model/request.js';

const rb = buildRulebook(
  [
    {
      id: 'GZ10000102001000',
      name: '医疗服务项目超限定单价收费',
      sev_deg: '1',
      message: '「{item}」单价{actual}，超过{limit}',
      template: 'item-price-limit',
      knowledge: 'price',
    },
  ],
  {
    'k/price.csv':
      ['name,tier,price_field', '三级医疗机构,3,lv3_hosp_item_pric', '二级医疗机构,2,lv2_hosp_item_pric', '一级医疗机构,1,lv1_hosp_item_pric', '无等级医疗机构,0,'].join('\n') + '\n',
  },
  { price: 'k/price.csv' },
);

const PRICES = { lv1_hosp_item_pric: 20, lv2_hosp_item_pric: 25, lv3_hosp_item_pric: 30, hilist_pric: 30 };
const bed = (pric: number, extra: Partial<OrderDto> = {}) => ({
  rx_id: 'R1',
  hilist_code: BED_FEE,
  hilist_name: '普通病房床位费',
  hilist_type: '201',
  pric,
  cnt: 1,
  drord_begn_date: '2026-06-01',
  ...PRICES,
  ...extra,
});
const run = (o: Partial<OrderDto> & { rx_id: string }, lv = '02') => evaluate(rb, request([o], {}, { medins_lv: lv }), { now: '2026-07-01' });
const count = (o: Partial<OrderDto> & { rx_id: string }, lv = '02') => run(o, lv).result.length;

t.test('the price of the hospital tier is the limit', async (t) => {
  t.equal(count(bed(31), '02'), 1, '三级甲等: 31 > 30');
  t.equal(count(bed(30), '02'), 0, '三级: equal is allowed');
  t.equal(count(bed(26), '05'), 1, '二级甲等: 26 > 25');
  t.equal(count(bed(25), '13'), 0, '二级无等: 25');
  t.equal(count(bed(21), '08'), 1, '一级甲等: 21 > 20');
  t.match(run(bed(31)).result[0].vola_cont, '单价31.00元，超过三级医院价格30.00元');
});

t.test('hilist_pric applies where the tier price is absent (missing or 0), and for 无等级', async (t) => {
  t.equal(count(bed(31, { lv3_hosp_item_pric: undefined }), '02'), 1, 'no lv3 price: hilist_pric 30');
  t.equal(count(bed(29, { lv3_hosp_item_pric: 0, hilist_pric: 28 }), '02'), 1, 'lv3 price 0 is absent');
  t.equal(
    count(bed(31, { lv1_hosp_item_pric: undefined, lv2_hosp_item_pric: undefined, lv3_hosp_item_pric: undefined, hilist_pric: undefined })),
    0,
    'no price at all: nothing to compare',
  );
  t.equal(count(bed(31), '11'), 1, '无等级: hilist_pric 30');
  t.match(run(bed(31), '11').result[0].vola_cont, '医保目录价格30.00元');
});

t.test('prices compare in whole fen', async (t) => {
  t.equal(count(bed(30.004)), 0, 'less than half a fen above');
  t.equal(count(bed(0.1 + 0.2, { lv3_hosp_item_pric: 0.3 })), 0, 'float noise');
  t.equal(count(bed(30.01)), 1, 'one fen above');
});

t.test('unknown or missing medins_lv never fires and warns once naming the field', async (t) => {
  const out = run(bed(99), '3');
  t.equal(out.result.length, 0);
  t.equal(out.warnings.length, 1);
  t.equal(out.warnings[0].field, 'patient_dtos[0].fsi_encounter_dtos[0].medins_lv');
  t.match(out.warnings[0].message, '医疗服务项目超限定单价收费未判断');
  t.equal(count(bed(99), '1'), 0, '"1" is not padded to 01');
  const none = evaluate(rb, request([bed(99)], {}, { medins_lv: undefined }), { now: '2026-07-01' });
  t.equal(none.result.length, 0);
});

t.test('only current service items are judged', async (t) => {
  t.equal(count(bed(99, { curr_drord_flag: '0' })), 0, 'history');
  t.equal(count(bed(99, { hilist_type: '101' })), 0, 'a drug');
  t.equal(count(bed(99, { hilist_type: undefined })), 1, 'no type: a 15-digit item code');
  t.equal(count(bed(99, { hilist_type: undefined, hilist_code: 'XA02BCA084A012010100453' })), 0, 'no type, drug code');
  t.equal(count(bed(99, { pric: undefined })), 0, 'no price charged');
});

t.test('a refund line (negative cnt) charges nothing', async (t) => {
  t.equal(count(bed(99, { cnt: -1 })), 0);
  t.equal(count(bed(99, { cnt: 0 })), 0);
});
