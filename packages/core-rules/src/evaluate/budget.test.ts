// Condition rules run on a deterministic budget of steps per rule per request (issue 10 #13): a
// condition that blows up (nested map, merge doubling) ends as an error entry naming the rule,
// the other rules still run, and the JsonLogic `log` operator never prints patient data.
import t from 'tap';
import { evaluate, DEFAULT_CONDITION_BUDGET } from './evaluate.js';
import { APALUTAMIDE, buildRulebook, request } from './fixture.test-helper.js';
import type { RuleDef } from '../rulebook/types.js';

const SHENMAI = 'ZA05CAC0029010102312'; // 参麦注射液
const NOW = '2025-06-10 12:00:00';
const SEX_RULE: RuleDef = {
  id: 'GZ10000301004000',
  name: '药品区分性别使用',
  category: '药品',
  sev_deg: '1',
  message: '「{point}」限{limit}使用，患者性别为{actual}',
  template: 'sex-limit',
  knowledge: 'sex',
};
const files = { 'k/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE},1\n`, 'k/watch.json': JSON.stringify([{ name: '参麦注射液', codes: [SHENMAI] }]) };
const knowledge = { sex: 'k/sex.csv', watch: 'k/watch.json' };
const condition = (id: string, cond: unknown, extra: Partial<RuleDef> = {}): RuleDef => ({
  id,
  name: `条件规则${id}`,
  category: '药品',
  sev_deg: '3',
  message: '{item}',
  condition: cond,
  ...extra,
});

const ORDERS = { var: 'encounter.fsi_order_dtos' };
const orders = (n: number) => [
  { rx_id: 'SEX', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片' },
  ...Array.from({ length: n }, (_, i) => ({ rx_id: `R${String(i).padStart(4, '0')}`, hilist_code: SHENMAI, drord_begn_date: '2025-06-10' })),
];

t.test('the default budget', async (t) => {
  t.equal(DEFAULT_CONDITION_BUDGET, 5_000_000);
});

t.test('nested map over a generated collection: an error naming the rule, the other rules still run', async (t) => {
  // Three maps over a 100-element list around a custom operator (so nothing folds at compile
  // time): 10⁶ steps for each of the 101 orders without a budget.
  const list = Array.from({ length: 100 }, (_, i) => i);
  const leaf = { starts_with: [{ cat: [{ var: '' }] }, '9'] };
  const cube = { some: [{ map: [list, { map: [list, { map: [list, leaf] }] }] }, { '!!': [{ var: '' }] }] };
  const rb = buildRulebook([SEX_RULE, condition('CITY-CUBE', cube), condition('CITY-OK', { '==': [{ var: 'order.rx_id' }, 'R0001'] })], files, knowledge);
  const out = evaluate(rb, request(orders(100)), { now: NOW });
  t.equal(out.errors.length, 1);
  t.match(out.errors[0], { rule_id: 'CITY-CUBE', rule_name: '条件规则CITY-CUBE', message: /budget of 5000000 steps/ });
  t.same(out.result.map((f) => f.rule_id).sort(), ['CITY-OK', 'GZ10000301004000'], 'the template rule and the cheap condition still fire');
});

t.test('merge doubling in reduce: stopped before it allocates the world', async (t) => {
  // Each step doubles the accumulator: 2²² elements for 22 orders, 2¹⁰⁰ for 100.
  const doubling = { '>': [{ reduce: [ORDERS, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] }, 0] };
  const rb = buildRulebook([SEX_RULE, condition('CITY-DOUBLE', { '!!': [doubling] })], files, knowledge);
  const out = evaluate(rb, request(orders(22)), { now: NOW });
  t.match(out.errors, [{ rule_id: 'CITY-DOUBLE', message: /budget/ }]);
  t.same(
    out.result.map((f) => f.rule_id),
    ['GZ10000301004000'],
  );
  const big = evaluate(rb, request(orders(100)), { now: NOW });
  t.match(big.errors, [{ rule_id: 'CITY-DOUBLE', message: /budget/ }]);
});

t.test('strings built by cat count too', async (t) => {
  const growing = { reduce: [ORDERS, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'x'] };
  const rb = buildRulebook([condition('CITY-CAT', { '!!': [growing] })], files, knowledge);
  const out = evaluate(rb, request(orders(60)), { now: NOW });
  t.match(out.errors, [{ rule_id: 'CITY-CAT', message: /budget/ }]);
});

t.test('the budget is per rule per request, and an option', async (t) => {
  // count_orders for each of 1,000 orders over the patient's 1,000 orders: linear, well within.
  const rb = buildRulebook(
    [condition('CITY-CFKY', { '>': [{ count_orders: ['watch', 7] }, 2] }), condition('CITY-MAP', { some: [ORDERS, { '==': [{ var: 'rx_id' }, 'none'] }] })],
    files,
    knowledge,
  );
  const busy = evaluate(rb, request(orders(1000)), { now: NOW, ruleIds: ['CITY-CFKY'], maxFindingsPerRule: Infinity });
  t.same(busy.errors, []);
  t.equal(busy.result.length, 1000, 'a thousand on one day: every one offends');
  // CITY-MAP walks the 11 orders for each of them: 11 × (1 + 11) steps.
  t.same(evaluate(rb, request(orders(10)), { now: NOW, ruleIds: ['CITY-MAP'], conditionBudget: 132 }).errors, []);
  const over = evaluate(rb, request(orders(10)), { now: NOW, ruleIds: ['CITY-MAP'], conditionBudget: 131 });
  t.match(over.errors, [{ rule_id: 'CITY-MAP', message: /budget of 131 steps/ }]);
  t.throws(() => evaluate(rb, request([]), { now: NOW, conditionBudget: -1 }), /conditionBudget/);
});

t.test('log prints nothing and returns its argument', async (t) => {
  const rb = buildRulebook([condition('CITY-LOG', { log: { var: 'patient' } })], files, knowledge);
  const written: unknown[] = [];
  const stdout = process.stdout.write;
  const log = console.log;
  process.stdout.write = (chunk: unknown) => {
    written.push(chunk);
    return true;
  };
  console.log = (...args: unknown[]) => {
    written.push(args);
  };
  let out;
  try {
    out = evaluate(rb, request(orders(2), { certno: '330102198001010011', psn_name: '张三' }), { now: NOW });
  } finally {
    process.stdout.write = stdout;
    console.log = log;
  }
  t.same(written, [], 'nothing reached stdout');
  t.equal(out.result.length, 3, 'log returned the patient (truthy) for each order');
});
