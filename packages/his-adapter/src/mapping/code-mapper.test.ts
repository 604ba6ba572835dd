import t from 'tap';
import type { CheckData } from '@preaudit/core-rules';
import { CachedCodeMapper, fillNationalCodes, staticCodeMapper, UnmappedTally } from './code-mapper.js';

// Real national codes: 阿帕他胺片 (batch 1, male only) and 住院诊查费 (batch 8-1).
const APALUTAMIDE = 'XL02BBA326A001010102180';
const WARD_ROUND = '001102000050000';

function request(): CheckData {
  return {
    patient_dtos: [
      {
        patn_id: 'P1',
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'Z1',
            fsi_order_dtos: [
              { rx_id: '1', hosplist_code: 'H001', hosplist_name: '阿帕他胺片(院内)' },
              { rx_id: '2', hosplist_code: 'H002' },
              { rx_id: '3', hosplist_code: 'H999', hosplist_name: '自制膏方' },
              { rx_id: '4', hilist_code: WARD_ROUND, hosplist_code: 'H002' },
              { rx_id: '5' },
              { rx_id: '6', hosplist_code: 'H999' },
            ],
          },
        ],
      },
    ],
  };
}

t.test('fills the national code where it is missing and counts what is unmapped', async (t) => {
  const data = request();
  const mapper = staticCodeMapper([
    ['H001', { hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片' }],
    ['H002', WARD_ROUND],
  ]);
  const res = await fillNationalCodes(data, mapper);
  const orders = data.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos!;
  t.equal(orders[0].hilist_code, APALUTAMIDE);
  t.equal(orders[0].hilist_name, '阿帕他胺片');
  t.equal(orders[1].hilist_code, WARD_ROUND);
  t.equal(orders[2].hilist_code, undefined, 'unmapped orders stay, without a code');
  t.equal(orders[3].hilist_code, WARD_ROUND, 'an existing national code is never replaced');
  t.same({ orders: res.orders, filled: res.filled, unmapped: res.unmapped }, { orders: 6, filled: 2, unmapped: 3 });
  t.same(res.tally.list(), [
    { hosplist_code: 'H999', hosplist_name: '自制膏方', count: 2 },
    { hosplist_code: '', count: 1 },
  ]);
  t.equal(res.tally.orders, 3);
});

t.test('the LRU cache answers repeated codes, unmapped ones included, without asking again', async (t) => {
  const asked: string[][] = [];
  const mapper = new CachedCodeMapper(async (codes) => {
    asked.push([...codes].sort());
    return new Map(codes.filter((c) => c !== 'H999').map((c) => [c, { hilist_code: `N-${c}` }]));
  }, 100);
  await fillNationalCodes([request(), request()], mapper);
  await fillNationalCodes(request(), mapper);
  t.same(asked, [['H001', 'H002', 'H999']], 'one lookup for two requests, none for the third');
  t.equal(mapper.loads, 1);
});

t.test('a small cache evicts and asks again', async (t) => {
  let loads = 0;
  const mapper = new CachedCodeMapper(async (codes) => {
    loads++;
    return new Map(codes.map((c) => [c, { hilist_code: c }]));
  }, 2);
  await mapper.lookup(['A', 'B', 'C']);
  await mapper.lookup(['A']);
  t.equal(loads, 2);
});

t.test('tallies merge across pages', async (t) => {
  const a = new UnmappedTally();
  a.add('H1', '甲');
  const b = new UnmappedTally();
  b.add('H1');
  b.add('H2', '乙', 3);
  a.merge(b);
  t.same(a.list(), [
    { hosplist_code: 'H2', hosplist_name: '乙', count: 3 },
    { hosplist_code: 'H1', hosplist_name: '甲', count: 2 },
  ]);
  t.equal(a.orders, 5);
  t.equal(a.size, 2);
});
