// 重复开药: two generics of one ATC level-4 class, current, in one prescription, overlapping days.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';
import type { OrderDto } from '../model/request.js';
import { atcClass, genericKey } from './duplicate-class.js';

// Real national codes (source/2026): PPIs (A02BC), carbapenems (J01DH), fructose solutions (B05BB).
const ILAPRAZOLE = 'XA02BCA084A012010100453'; // 艾普拉唑肠溶片
const ILAPRAZOLE_2 = 'XA02BCA084A012010102777'; // 艾普拉唑肠溶片, another maker
const ANAPRAZOLE = 'XA02BCA393A012010183696'; // 安奈拉唑钠肠溶片
const VONOPRAZAN = 'XA02BCF721A001010100239'; // 富马酸伏诺拉生片
const ERTAPENEM = 'XJ01DHE007B001010104495'; // 注射用厄他培南
const FRUCTOSE = 'XB05BBG129B002010101521'; // 果糖注射液
const FRUCTOSE_NACL = 'XB05BBG146B002010101521'; // 果糖氯化钠注射液

const rb = buildRulebook(
  [
    {
      id: 'GZ10000301006000',
      name: '重复开药',
      sev_deg: '2',
      message: '「{item}」与{other}同属{class}',
      template: 'duplicate-class',
      knowledge: 'exempt',
    },
  ],
  { 'k/exempt.csv': 'name,atc_prefix\n血液代用品和灌注液,B05\n' },
  { exempt: 'k/exempt.csv' },
);

const drug = (rx_id: string, code: string, name: string, extra: Partial<OrderDto> = {}) => ({
  rx_id,
  hilist_code: code,
  hilist_name: name,
  hilist_type: '101',
  drord_begn_date: '2026-06-01 09:00:00',
  rxno: 'A',
  ...extra,
});
const fired = (orders: Array<Partial<OrderDto> & { rx_id: string }>) =>
  evaluate(rb, request(orders), { now: '2026-07-01' })
    .result.map((f) => f.judge_result_detail_dtos[0].rx_id)
    .sort();

t.test('the code carries the ATC class and the generic', async (t) => {
  t.equal(atcClass(ILAPRAZOLE), 'A02BC');
  t.equal(genericKey(ILAPRAZOLE), genericKey(ILAPRAZOLE_2));
  t.not(genericKey(ILAPRAZOLE), genericKey(ANAPRAZOLE));
});

t.test('two generics of one class in one prescription: both offend, sev_deg 2', async (t) => {
  t.same(fired([drug('R1', ILAPRAZOLE, '艾普拉唑肠溶片'), drug('R2', ANAPRAZOLE, '安奈拉唑钠肠溶片')]), ['R1', 'R2']);
  const r = evaluate(rb, request([drug('R1', ILAPRAZOLE, '艾普拉唑肠溶片'), drug('R2', VONOPRAZAN, '富马酸伏诺拉生片')]), { now: '2026-07-01' }).result;
  t.equal(r[0].sev_deg, '2');
  t.match(r[0].vola_cont, '同属A02BC');
  t.same(
    r[0].judge_result_detail_dtos.map((d) => d.vola_item_type),
    ['1', '2'],
  );
});

t.test('without rxno, the same begin day is one prescription', async (t) => {
  t.same(fired([drug('R1', ILAPRAZOLE, 'a', { rxno: undefined }), drug('R2', ANAPRAZOLE, 'b', { rxno: undefined, drord_begn_date: '2026-06-01 17:00:00' })]), ['R1', 'R2']);
  t.same(fired([drug('R1', ILAPRAZOLE, 'a', { rxno: undefined }), drug('R2', ANAPRAZOLE, 'b', { rxno: undefined, drord_begn_date: '2026-06-02' })]), []);
});

t.test('one prescription, days that do not overlap: clean', async (t) => {
  t.same(fired([drug('R1', ILAPRAZOLE, 'a', { drord_stop_date: '2026-06-07' }), drug('R2', ANAPRAZOLE, 'b', { drord_begn_date: '2026-06-08', drord_stop_date: '2026-06-14' })]), []);
  t.same(
    fired([drug('R1', ILAPRAZOLE, 'a', { drord_stop_date: '2026-06-08' }), drug('R2', ANAPRAZOLE, 'b', { drord_begn_date: '2026-06-08', drord_stop_date: '2026-06-14' })]),
    ['R1', 'R2'],
    'sharing one day overlaps',
  );
});

t.test('clean: same generic twice, other classes, other prescriptions, history, exempt classes', async (t) => {
  t.same(fired([drug('R1', ILAPRAZOLE, 'a'), drug('R2', ILAPRAZOLE_2, 'a2')]), [], 'two makers of one generic');
  t.same(fired([drug('R1', ILAPRAZOLE, 'a'), drug('R2', ERTAPENEM, 'e')]), [], 'different classes');
  t.same(fired([drug('R1', ILAPRAZOLE, 'a'), drug('R2', ANAPRAZOLE, 'b', { rxno: 'B' })]), [], 'two prescriptions');
  t.same(fired([drug('R1', ILAPRAZOLE, 'a'), drug('R2', ANAPRAZOLE, 'b', { curr_drord_flag: '0' })]), [], 'history order');
  t.same(fired([drug('R1', FRUCTOSE, 'f'), drug('R2', FRUCTOSE_NACL, 'fn')]), [], 'B05 solutions are exempt');
});

t.test('a long encounter (more drugs than the pair pre-scan takes) is judged the same way', async (t) => {
  const filler = Array.from({ length: 40 }, (_, i) => drug(`F${i}`, ERTAPENEM, '注射用厄他培南', { rxno: `B${i}` }));
  t.same(fired([...filler, drug('R1', ILAPRAZOLE, 'a'), drug('R2', ANAPRAZOLE, 'b')]), ['R1', 'R2']);
  t.same(fired([...filler, drug('R1', ILAPRAZOLE, 'a'), drug('R2', ILAPRAZOLE_2, 'a2')]), []);
});
