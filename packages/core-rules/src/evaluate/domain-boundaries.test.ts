// The settled boundaries and odd values of DOMAIN.md ("Boundaries and odd values, settled"), one
// test per class, on a small rulebook of real national codes: per-stay and history day counts,
// rolling counts as quantities, stop dates before begin dates, unknown hospital levels and
// curr_drord_flag given as booleans.
import t from 'tap';
import { evaluate } from './evaluate.js';
import { buildRulebook } from './fixture.test-helper.js';
import type { CheckData, EncounterDto, OrderDto } from '../model/request.js';

const BNP = 'XC01EBC109B001010102049'; // 注射用重组人脑利钠肽: 单次住院支付不超过3天
const DIPYRIDAMOLE = 'XC02CXY165B002010102918'; // 银杏达莫注射液: 支付不超过14天 (no stay in the text)
const SHENFU = 'ZA05CAC0029010102312'; // 参附注射液: 限二级及以上医疗机构
const HBA1C = '002503020030000'; // 糖化血红蛋白测定: 15 天 1 次

const rb = buildRulebook(
  [
    { id: 'DAYS', name: '药品限支付疗程', sev_deg: '1', message: '「{point}」{window}支付不超过{limit}天，患者{window}已使用{actual}天', template: 'payable-days', knowledge: 'days' },
    { id: 'TIER', name: '药品限医疗机构级别', sev_deg: '1', message: '「{point}」限{limit}', template: 'hospital-tier-limit', knowledge: 'tier' },
    { id: 'ROLL', name: '医疗服务项目周期超频次', sev_deg: '1', message: '「{point}」{period}天内限{limit}次', template: 'rolling-count', knowledge: 'roll' },
  ],
  {
    'k/days.csv': `name,codes,max_days,per_stay\n注射用重组人脑利钠肽,${BNP},3,1\n银杏达莫注射液,${DIPYRIDAMOLE},3,\n`,
    'k/tier.csv': `name,codes,min_tier\n参附注射液,${SHENFU},2\n`,
    'k/roll.csv': `name,codes,max_count,period_days\n糖化血红蛋白测定,${HBA1C},1,15\n`,
  },
  { days: 'k/days.csv', tier: 'k/tier.csv', roll: 'k/roll.csv' },
);

type Enc = Partial<EncounterDto> & { mdtrt_id: string; orders: Array<Partial<OrderDto> & { rx_id: string }> };

function data(encounters: Enc[]): CheckData {
  return {
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '1',
        brdy: '1960-01-01',
        fsi_encounter_dtos: encounters.map(({ orders, ...e }) => ({ med_mdtrt_type: '2', medins_lv: '02', adm_date: '2025-06-01', ...e, fsi_order_dtos: orders })),
      },
    ],
  };
}

/** "rule:offending rx" of every finding, sorted. */
function fired(d: CheckData, now = '2025-07-01') {
  const out = evaluate(rb, d, { now });
  return { findings: out.result.map((f) => `${f.rule_id}:${f.judge_result_detail_dtos[0].rx_id}`).sort(), out };
}

const day = (rx_id: string, code: string, date: string, extra: Partial<OrderDto> = {}) => ({ rx_id, hilist_code: code, drord_begn_date: `${date} 09:00:00`, ...extra });

t.test('单次住院 points count days within one stay (mdtrt_id), other points over every stay', async (t) => {
  const twoStays = (code: string) =>
    data([
      { mdtrt_id: 'M1', adm_date: '2025-06-01', orders: [day('R1', code, '2025-06-01'), day('R2', code, '2025-06-02'), day('R3', code, '2025-06-03')] },
      { mdtrt_id: 'M2', adm_date: '2025-06-10', orders: [day('R4', code, '2025-06-10'), day('R5', code, '2025-06-11')] },
    ]);
  t.same(fired(twoStays(BNP)).findings, [], 'per stay: 3 days then 2 days, neither stay above 3');
  t.same(fired(twoStays(DIPYRIDAMOLE)).findings, ['DAYS:R4', 'DAYS:R5'], 'over the history: days 4 and 5 offend');
  const oneStay = data([{ mdtrt_id: 'M1', orders: ['01', '02', '03', '04'].map((d, k) => day(`R${k + 1}`, BNP, `2025-06-${d}`)) }]);
  const { findings, out } = fired(oneStay);
  t.same(findings, ['DAYS:R4'], 'the fourth day of one stay offends');
  t.match(out.result[0].vola_cont, '单次住院支付不超过3天');
  const split = data([
    { mdtrt_id: 'M1', orders: [day('R1', BNP, '2025-06-01'), day('R2', BNP, '2025-06-02')] },
    { mdtrt_id: 'M1', orders: [day('R3', BNP, '2025-06-03'), day('R4', BNP, '2025-06-04')] },
  ]);
  t.same(fired(split).findings, ['DAYS:R4'], 'one stay sent as two entries is still one stay');
});

t.test('an order whose stop date precedes its begin date covers its begin day only', async (t) => {
  const d = (stop: string) =>
    data([{ mdtrt_id: 'M1', orders: [day('R1', DIPYRIDAMOLE, '2025-06-05', { drord_stop_date: stop }), day('R2', DIPYRIDAMOLE, '2025-06-06'), day('R3', DIPYRIDAMOLE, '2025-06-07')] }]);
  t.same(fired(d('2025-06-01 09:00:00')).findings, [], 'stop 4 days before begin: 1 + 1 + 1 = 3 days');
  t.same(fired(d('2025-06-05 08:00:00')).findings, [], 'stop the same day, earlier hour: its begin day');
  t.same(fired(d('2025-06-06 09:00:00')).findings, [], 'overlapping days count once');
  t.same(fired(d('2025-06-08 09:00:00')).findings, ['DAYS:R1', 'DAYS:R2', 'DAYS:R3'], 'a stop after begin covers 6/5–6/8: 4 days');
});

t.test('周期超频次 sums cnt: refunds subtract, cnt 0 adds nothing', async (t) => {
  const tests = (...orders: Array<[string, number]>) =>
    data(orders.map(([date, cnt], k) => ({ mdtrt_id: `M${k + 1}`, med_mdtrt_type: '1', adm_date: date, orders: [day(`R${k + 1}`, HBA1C, date, { cnt })] })));
  t.same(fired(tests(['2025-06-01', 2])).findings, ['ROLL:R1'], 'one order of 2 tests');
  t.same(fired(tests(['2025-06-01', 1], ['2025-06-02', -1], ['2025-06-03', 1])).findings, [], 'a refund gives the use back');
  t.same(fired(tests(['2025-06-01', 1], ['2025-06-05', 0])).findings, [], 'cnt 0 adds nothing');
  t.same(fired(tests(['2025-06-01', 1], ['2025-06-05', 0], ['2025-06-09', 1])).findings, ['ROLL:R3'], 'the second real use offends');
  t.same(fired(tests(['2025-06-01', 1], ['2025-06-16', 1])).findings, [], '15 days apart: another window');
});

t.test('medins_lv is read only through the national table: no padding, unknown never fires, one warning', async (t) => {
  const at = (...levels: Array<string | undefined>) => data(levels.map((medins_lv, k) => ({ mdtrt_id: `M${k + 1}`, medins_lv, orders: [day(`R${k + 1}`, SHENFU, '2025-06-01')] })));
  for (const lv of ['08', '09', '10', '14', '11']) t.same(fired(at(lv)).findings, ['TIER:R1'], `${lv} is below 二级`);
  for (const lv of ['01', '02', '05', '12', '13']) t.same(fired(at(lv)).findings, [], `${lv} is 二级 or above`);
  for (const lv of ['1', '2', '8', '3', '15', '00', ' 08', 'constructor']) {
    const { findings, out } = fired(at(lv));
    t.same(findings, [], `${JSON.stringify(lv)} is unknown: never fires`);
    t.same(
      out.warnings.map((w) => w.field),
      ['patient_dtos[0].fsi_encounter_dtos[0].medins_lv'],
      `${JSON.stringify(lv)}: one warning naming the field`,
    );
    t.notMatch(out.warnings[0].message, 'medins_lv', 'the message does not repeat the field');
    t.match(out.warnings[0].message, '药品限医疗机构级别');
  }
  const { findings, out } = fired(at('1', '08', '3'));
  t.same(findings, ['TIER:R2'], 'the known level still judges its own encounter');
  t.equal(out.warnings.length, 1, 'two unknown levels: still one warning');
  t.same(fired(at(undefined)).out.warnings, [], 'no level sent: nothing to warn about');
  t.same(fired(at('08')).out.warnings, [], 'a known level: no warning');
  t.same(evaluate(rb, at('1'), { now: '2025-07-01', ruleIds: ['DAYS'] }).warnings, [], 'no active level rule: no warning');
});

t.test('curr_drord_flag given to evaluate unnormalised: false and 0 are history, true and 1 current', async (t) => {
  const flagged = (curr_drord_flag: unknown) =>
    data([{ mdtrt_id: 'M1', medins_lv: '08', orders: [{ ...day('R1', SHENFU, '2025-06-01'), curr_drord_flag: curr_drord_flag as string }] }]);
  for (const f of [false, 0, '0']) t.same(fired(flagged(f)).findings, [], `${JSON.stringify(f)}: history, never offends`);
  for (const f of [true, 1, '1', undefined]) t.same(fired(flagged(f)).findings, ['TIER:R1'], `${JSON.stringify(f)}: current`);
});
