// Effective dates of knowledge points and rules: a point judges only the orders given while it
// is in force (service date = drord_begn_date, else the encounter's adm_date).
import t from 'tap';
import { evaluate } from './evaluate.js';
import { buildRulebook, request } from './fixture.test-helper.js';
import { compileRulebookFiles } from '../rulebook/compile-files.js';

const SHENFU = 'ZA05CAC0029010102312'; // 参附注射液: 限二级及以上医疗机构
const APALUTAMIDE = 'XL02BBA326A001010102180'; // 阿帕他胺片, 限男性

// 参附注射液 re-issued on 2026-01-28 with a stricter tier: the old point stops that day.
const rb = buildRulebook(
  [
    { id: 'TIER', name: '药品限医疗机构级别', sev_deg: '1', message: '「{point}」限{limit}', template: 'hospital-tier-limit', knowledge: 'tier' },
    { id: 'SEX', name: '药品区分性别使用', sev_deg: '1', message: '「{point}」限{limit}', template: 'sex-limit', knowledge: 'sex', effective_from: '2026-04-21' },
  ],
  {
    'k/tier.csv': `name,codes,min_tier,effective_from,effective_to\n参附注射液,${SHENFU},2,,2026-01-28\n参附注射液,${SHENFU},3,2026-01-28,\n`,
    'k/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE},1\n`,
  },
  { tier: 'k/tier.csv', sex: 'k/sex.csv' },
);

const fired = (date: string | undefined, code: string, enc: Record<string, unknown> = {}) =>
  evaluate(rb, request([{ rx_id: 'R1', hilist_code: code, ...(date ? { drord_begn_date: date } : {}) }], {}, { medins_lv: '05', ...enc }), { now: '2026-12-01' }).result.map(
    (f) => `${f.rule_id}:${f.vola_cont}`,
  );

t.test('a replaced point judges orders before the revision, its replacement those from that day', async (t) => {
  // medins_lv 05 = 二级: allowed by the old point (二级), not by the new one (三级).
  t.same(fired('2026-01-27 23:59:59', SHENFU), [], 'the day before: the old point (二级及以上) is met');
  t.same(fired('2026-01-28 00:00:00', SHENFU).length, 1, 'from the revision day the new point (三级) applies');
  t.match(fired('2026-03-01 10:00:00', SHENFU)[0], '三级');
  t.same(fired('2026-01-27', SHENFU, { medins_lv: '08' }).length, 1, 'a 一级 hospital offends under the old point too, once');
  t.same(fired('2026-03-01', SHENFU, { medins_lv: '08' }).length, 1, '… and once under the new one: never both');
});

t.test('without an order date the encounter admission date is the service date', async (t) => {
  t.same(fired(undefined, SHENFU, { adm_date: '2026-01-20' }), [], 'admitted before the revision: old point');
  t.same(fired(undefined, SHENFU, { adm_date: '2026-02-01' }).length, 1, 'admitted after: new point');
});

t.test('a rule with effective_from does not judge orders before it (a March audit does not apply batch 9)', async (t) => {
  const woman = (date: string) =>
    evaluate(rb, request([{ rx_id: 'R1', hilist_code: APALUTAMIDE, drord_begn_date: date }], { gend: '2' }, { medins_lv: '01' }), { now: '2026-12-01' }).result.length;
  t.equal(woman('2026-03-15'), 0, 'March 2026: the rule is not yet in force');
  t.equal(woman('2026-04-21'), 1, 'from its first day it fires');
});

t.test('unreadable or empty spans are load problems naming the field', async (t) => {
  const manifest = {
    id: 'x',
    version: '1',
    issuer: 'x',
    effective_from: '2025-01-01',
    knowledge: { tier: { file: 'k/tier.csv' } },
    rules: [{ id: 'TIER', name: 'n', sev_deg: '1', message: 'm', template: 'hospital-tier-limit', knowledge: 'tier' }],
  };
  const bad = compileRulebookFiles({
    manifest,
    files: { 'k/tier.csv': `name,codes,min_tier,effective_from,effective_to\n参附注射液,${SHENFU},2,2026-13-01,\n参附注射液,${SHENFU},2,2026-02-01,2026-01-01\n` },
  });
  t.equal(bad.ok, false);
  const fields = bad.ok ? [] : bad.problems.map((p) => p.field ?? '');
  t.ok(
    fields.some((f) => f.endsWith('.effective_from')),
    'bad date named',
  );
  t.ok(
    fields.some((f) => f.endsWith('.effective_to')),
    'to before from named',
  );
  const badRule = compileRulebookFiles({
    manifest: { ...manifest, rules: [{ ...manifest.rules[0], effective_from: 'soon' }] },
    files: { 'k/tier.csv': `name,codes,min_tier\n参附注射液,${SHENFU},2\n` },
  });
  t.equal(badRule.ok, false, 'the schema refuses a rule effective_from that is not a date');
});
