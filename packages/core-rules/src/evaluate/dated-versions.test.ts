// Dated knowledge rows beyond templates: a condition's table_value / in_table read only the row in
// force at the service date, and 药品限支付疗程 counts a point's versions (re-issued by the
// 2026-01-28 revision) as one course.
import t from 'tap';
import { evaluate } from './evaluate.js';
import { buildRulebook, request } from './fixture.test-helper.js';

const SHENFU = 'ZA05CAC0029010102312'; // 参附注射液
const BUTYLPHTHALIDE = 'XN07XXD221B002010102774'; // 丁苯酞氯化钠注射液 (batch 6: 14 days; re-issued 2026-01-28)

t.test('table_value and in_table read the row in force on the order date', async (t) => {
  const rb = buildRulebook(
    [
      {
        id: 'C1',
        name: '测试条件',
        sev_deg: '1',
        message: '「{item}」',
        knowledge: 'tier',
        condition: { and: [{ in_table: [{ var: 'order.hilist_code' }, 'tier'] }, { '>': [{ table_value: [{ var: 'order.hilist_code' }, 'tier', 'min_tier'] }, 2] }] },
      },
    ],
    {
      'k/tier.csv': `name,codes,min_tier,effective_from,effective_to\n参附注射液,${SHENFU},2,,2026-01-28\n参附注射液,${SHENFU},3,2026-01-28,2026-06-01\n`,
    },
    { tier: 'k/tier.csv' },
  );
  const fired = (date: string) => evaluate(rb, request([{ rx_id: 'R1', hilist_code: SHENFU, drord_begn_date: date }]), { now: '2026-12-01' }).result.length;
  t.equal(fired('2026-01-27'), 0, 'before the revision: the old row (2) answers, not the first row listed for the code');
  t.equal(fired('2026-02-01'), 1, 'after: the re-issued row (3)');
  t.equal(fired('2026-06-01'), 0, 'after the last row ends the code is in no row in force');
  const byAdmission = evaluate(rb, request([{ rx_id: 'R1', hilist_code: SHENFU }], {}, { adm_date: '2026-02-01' }), { now: '2026-12-01' }).result.length;
  t.equal(byAdmission, 1, 'without an order date, the admission date');
});

t.test('payable days: a course spanning the revision counts once against one limit', async (t) => {
  const rb = buildRulebook(
    [
      {
        id: 'DAYS',
        name: '药品限支付疗程',
        sev_deg: '1',
        message: '「{point}」限{limit}天，实际{actual}天',
        template: 'payable-days',
        knowledge: 'days',
      },
    ],
    {
      'k/days.csv': `name,codes,max_days,effective_from,effective_to\n丁苯酞氯化钠注射液,${BUTYLPHTHALIDE},14,,2026-01-28\n丁苯酞氯化钠注射液,${BUTYLPHTHALIDE},14,2026-01-28,\n`,
    },
    { days: 'k/days.csv' },
  );
  // 2026-01-20 … 2026-01-27 (8 days) under the old point, 2026-01-28 … 2026-02-04 (8 days) under the new one.
  const orders = [
    { rx_id: 'R1', hilist_code: BUTYLPHTHALIDE, drord_begn_date: '2026-01-20', drord_stop_date: '2026-01-27' },
    { rx_id: 'R2', hilist_code: BUTYLPHTHALIDE, drord_begn_date: '2026-01-28', drord_stop_date: '2026-02-04' },
  ];
  const r = evaluate(rb, request(orders), { now: '2026-12-01' }).result;
  t.same(
    r.map((f) => f.judge_result_detail_dtos[0].rx_id),
    ['R2'],
    '16 days > 14: the order that passes the limit offends',
  );
  t.match(r[0].vola_cont, '实际16天');
  t.same(
    r[0].judge_result_detail_dtos.filter((d) => d.vola_item_type === '2').map((d) => d.rx_id),
    ['R1'],
    "the earlier version's order is involved",
  );
  const short = evaluate(rb, request([orders[0], { ...orders[1], drord_stop_date: '2026-01-30' }]), { now: '2026-12-01' }).result;
  t.equal(short.length, 0, '11 days: within the limit');
});
