// The cost of one evaluation is bounded and linear in the request: involved orders per finding
// and findings per rule are capped (issue 10 #1: n orders of one item on one day used to give
// n²/2 detail rows). The rules and knowledge rows are those of the national rulebook.
import t from 'tap';
import { evaluate, DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_MAX_INVOLVED } from './evaluate.js';
import type { CheckData, OrderDto } from '../model/request.js';
import type { EvaluationResult } from '../model/result.js';
import { buildRulebook } from './fixture.test-helper.js';

const NURSING = '001201000030000'; // Ⅰ级护理, 医疗服务项目限定频次: once a day
const EMERGENCY_MONITOR = '001103000010000'; // 急诊监护费 includes …
const BED_FEE = '001109000010000'; // … 普通病房床位费 (单日)
const HEARING = '003402000350000'; // 儿童听力障碍语言训练, once per 7 days
const BUTYLPHTHALIDE = 'XN07XXD221B002010102774'; // 丁苯酞氯化钠注射液, paid for 14 days
const NOW = '2025-06-01 12:00:00';

const rule = (id: string, name: string, template: string, knowledge: string, message: string) => ({
  id,
  name,
  category: '医疗服务项目',
  sev_deg: '1' as const,
  message,
  template: template as 'daily-count',
  knowledge,
});
const rb = buildRulebook(
  [
    rule('GZ10000102014000', '医疗服务项目限定频次', 'daily-count', 'daily', '「{point}」单日最多计费{limit}{unit}，{date}计费{actual}{unit}'),
    rule('GZ10000102012000', '医疗服务项目重复收费', 'pair-exclusion', 'pairs', '「{main}」已包含「{sub}」，{window}内不得重复收费'),
    rule('NHSA2025-XMZQCPC', '医疗服务项目周期超频次', 'rolling-count', 'period', '「{point}」{period}天内限{limit}次，实际{actual}次'),
    rule('GZ10000101010000', '药品限支付疗程', 'payable-days', 'days', '「{point}」支付不超过{limit}天，患者已累计使用{actual}天'),
  ],
  {
    'k/daily.csv': `name,codes,max_count,unit\nⅠ级护理,${NURSING},1,日\n`,
    'k/pairs.csv': `main_code,main_name,sub_code,sub_name,window\n${EMERGENCY_MONITOR},急诊监护费,${BED_FEE},普通病房床位费,单日\n`,
    'k/period.csv': `name,codes,max_count,period_days\n儿童听力障碍语言训练,${HEARING},1,7\n`,
    'k/days.csv': `name,codes,max_days\n丁苯酞氯化钠注射液,${BUTYLPHTHALIDE},14\n`,
  },
  { daily: 'k/daily.csv', pairs: 'k/pairs.csv', period: 'k/period.csv', days: 'k/days.csv' },
);

function data(orders: Array<Partial<OrderDto>>): CheckData {
  return {
    task_id: 'T1',
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '1',
        brdy: '1980-01-01',
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'M1',
            med_mdtrt_type: '2',
            medins_lv: '02',
            insutype: '310',
            adm_date: '2025-05-01',
            fsi_order_dtos: orders.map((o, i) => ({ rx_id: `R${String(i).padStart(4, '0')}`, cnt: 1, pric: 10, ...o })),
          },
        ],
      },
    ],
  };
}

const sameDay = (n: number, code = NURSING) => Array.from({ length: n }, () => ({ hilist_code: code, drord_begn_date: '2025-06-01 08:00:00' }));
const detailRows = (out: EvaluationResult) => out.result.reduce((n, f) => n + f.judge_result_detail_dtos.length, 0);
const ofRule = (out: EvaluationResult, id: string) => out.result.filter((f) => f.rule_id === id);

t.test('defaults: 20 involved orders per finding, 200 findings per rule', async (t) => {
  t.equal(DEFAULT_MAX_INVOLVED, 20);
  t.equal(DEFAULT_MAX_FINDINGS_PER_RULE, 200);
});

t.test('2,000 orders of one item on one day: detail rows are linear, not n²/2', async (t) => {
  const out = evaluate(rb, data(sameDay(2000)), { now: NOW, maxFindingsPerRule: Infinity });
  const findings = ofRule(out, 'GZ10000102014000');
  t.equal(findings.length, 1999, 'every order after the first offends');
  t.ok(detailRows(out) <= out.result.length * (DEFAULT_MAX_INVOLVED + 1), `${detailRows(out)} detail rows for ${out.result.length} findings`);
  const last = findings[findings.length - 1];
  t.same(
    last.judge_result_detail_dtos.map((d) => d.vola_item_type),
    ['1', ...Array(20).fill('2')],
  );
  t.same(
    last.judge_result_detail_dtos.slice(1).map((d) => d.rx_id),
    Array.from({ length: 20 }, (_, i) => `R${String(i).padStart(4, '0')}`),
    'the first N involved orders, in time order',
  );
  t.match(last.vola_evid, /另有1979项涉及项未列出/, 'the rest is counted in the evidence');
  t.notMatch(findings[5].vola_evid, /未列出/, 'a finding within the cap lists everything');
  t.equal(findings[5].judge_result_detail_dtos.length, 7);
});

t.test('findings per rule per request are capped, and the truncation is reported', async (t) => {
  const out = evaluate(rb, data(sameDay(3000)), { now: NOW });
  t.equal(ofRule(out, 'GZ10000102014000').length, DEFAULT_MAX_FINDINGS_PER_RULE);
  t.same(out.truncated, [{ rule_id: 'GZ10000102014000', rule_name: '医疗服务项目限定频次', kept: 200, dropped: 2799 }]);
  t.ok(detailRows(out) <= 200 * 21);
  t.same(out.result.map((f) => f.jr_id).slice(0, 2), ['T1-1', 'T1-2'], 'ids stay dense');
  const small = evaluate(rb, data(sameDay(3)), { now: NOW });
  t.same(small.truncated, [], 'nothing truncated, nothing said');
});

t.test('the caps are options', async (t) => {
  const out = evaluate(rb, data(sameDay(50)), { now: NOW, maxInvolved: 3, maxFindingsPerRule: 10 });
  const findings = ofRule(out, 'GZ10000102014000');
  t.equal(findings.length, 10);
  t.ok(findings.every((f) => f.judge_result_detail_dtos.length <= 4));
  t.match(findings[9].vola_evid, /另有7项涉及项未列出/);
  t.throws(() => evaluate(rb, data([]), { now: NOW, maxInvolved: -1 }), /maxInvolved/);
  t.throws(() => evaluate(rb, data([]), { now: NOW, maxFindingsPerRule: 0.5 }), /maxFindingsPerRule/);
});

t.test('pair exclusion: 1,000 main and 1,000 sub items on one day', async (t) => {
  const orders = [...sameDay(1000, EMERGENCY_MONITOR), ...sameDay(1000, BED_FEE)];
  const out = evaluate(rb, data(orders), { now: NOW, maxFindingsPerRule: Infinity, ruleIds: ['GZ10000102012000'] });
  t.equal(out.result.length, 1000, 'one finding per sub item');
  const f = out.result[0];
  t.equal(f.judge_result_detail_dtos.length, 21);
  t.ok(
    f.judge_result_detail_dtos.slice(1).every((d) => d.vola_item_type === '2' && Number(d.rx_id.slice(1)) < 1000),
    'the involved are main items',
  );
  t.match(f.vola_evid, /另有980项涉及项未列出/);
});

t.test('rolling windows and payable days: involved orders capped too', async (t) => {
  const rolling = evaluate(rb, data(sameDay(500, HEARING)), { now: NOW, maxFindingsPerRule: Infinity, ruleIds: ['NHSA2025-XMZQCPC'] });
  t.equal(rolling.result.length, 499);
  t.ok(detailRows(rolling) <= rolling.result.length * 21);
  t.match(rolling.result[498].vola_evid, /另有479项涉及项未列出/);
  const days = Array.from({ length: 600 }, (_, i) => ({
    hilist_code: BUTYLPHTHALIDE,
    drord_begn_date: `2025-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  })).filter((o) => o.drord_begn_date < '2025-13');
  const paid = evaluate(rb, data(days), { now: '2025-12-31', maxFindingsPerRule: Infinity, ruleIds: ['GZ10000101010000'] });
  t.equal(paid.result.length, days.length - 14, 'every order past the 14th day offends');
  t.ok(detailRows(paid) <= paid.result.length * 21);
  t.match(paid.result[0].vola_cont, /累计使用15天/);
});

t.test('an encounter finding lists at most N orders', async (t) => {
  // Encounter-scope condition rules list every current order of the encounter as 涉及项.
  const book = buildRulebook(
    [
      {
        id: 'CITY-ENC',
        name: '住院医嘱过多',
        category: '住院',
        sev_deg: '3',
        message: '就诊{mdtrt_id}',
        scope: 'encounter',
        condition: { '!!': [{ var: 'encounter.mdtrt_id' }] },
      },
    ],
    {},
    {},
  );
  const out = evaluate(book, data(sameDay(100)), { now: NOW });
  t.equal(out.result.length, 1);
  t.equal(out.result[0].judge_result_detail_dtos.length, 20);
  t.match(out.result[0].vola_evid, /另有80项涉及项未列出/);
});
