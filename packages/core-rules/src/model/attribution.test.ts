import t from 'tap';
import { attributionOf } from './attribution.js';
import type { EncounterDto, OrderDto } from './request.js';

const enc: EncounterDto = {
  mdtrt_id: 'M1',
  dr_codg: 'D900',
  adm_dept_codg: 'A01',
  adm_dept_name: '急诊科',
  dscg_dept_codg: 'B02',
  dscg_dept_name: '心血管内科',
};
const order: OrderDto = { rx_id: 'R1', drord_dept_codg: 'C03', drord_dept_name: '药剂科', drord_dr_codg: 'D100', drord_dr_name: '张医生' };

t.test("the order's own department and doctor come first", async (t) => {
  t.same(attributionOf(order, enc), { dept_codg: 'C03', dept_name: '药剂科', dept_source: 'order', dr_codg: 'D100', dr_name: '张医生' });
});

t.test('without one on the order: the discharge department, then the admission department', async (t) => {
  t.match(attributionOf({ rx_id: 'R1' }, enc), { dept_codg: 'B02', dept_name: '心血管内科', dept_source: 'discharge' });
  const inStay = { ...enc, dscg_dept_codg: undefined, dscg_dept_name: undefined };
  t.match(attributionOf({ rx_id: 'R1' }, inStay), { dept_codg: 'A01', dept_name: '急诊科', dept_source: 'admission' });
});

t.test('a real-time check (no discharge yet) and the batch audit after discharge agree when the order names its department', async (t) => {
  const realTime = attributionOf(order, { ...enc, dscg_dept_codg: undefined, dscg_dept_name: undefined });
  const batch = attributionOf(order, enc);
  t.equal(realTime.dept_codg, batch.dept_codg);
});

t.test('code and name come from the same record, never mixed', async (t) => {
  const a = attributionOf({ rx_id: 'R1', drord_dept_name: '药剂科' }, enc);
  t.same([a.dept_codg, a.dept_name, a.dept_source], [undefined, '药剂科', 'order']);
  const b = attributionOf({ rx_id: 'R1' }, { mdtrt_id: 'M1', dscg_dept_codg: 'B02', adm_dept_codg: 'A01', adm_dept_name: '急诊科' });
  t.same([b.dept_codg, b.dept_name], ['B02', undefined]);
});

t.test("doctor: the ordering doctor as a pair, else the encounter's attending doctor (code only)", async (t) => {
  t.match(attributionOf({ rx_id: 'R1', drord_dr_name: '张医生' }, enc), { dr_codg: undefined, dr_name: '张医生' });
  t.match(attributionOf({ rx_id: 'R1' }, enc), { dr_codg: 'D900', dr_name: undefined });
  t.match(attributionOf(undefined, enc), { dr_codg: 'D900', dept_codg: 'B02' });
});

t.test('empty strings count as not given; nothing given names nothing', async (t) => {
  t.match(attributionOf({ rx_id: 'R1', drord_dept_codg: '', drord_dr_codg: '' }, { mdtrt_id: 'M1', adm_dept_codg: 'A01' }), {
    dept_codg: 'A01',
    dept_source: 'admission',
    dr_codg: undefined,
  });
  t.same(attributionOf(undefined, undefined), { dept_codg: undefined, dept_name: undefined, dept_source: undefined, dr_codg: undefined, dr_name: undefined });
});
