import t from 'tap';
import { evaluate } from './evaluate.js';
import { APALUTAMIDE, BED_FEE, EMERGENCY_MONITOR, buildRulebook, request } from './fixture.test-helper.js';

const SEX_RULE = {
  id: 'GZ10000301004000',
  name: '药品区分性别使用',
  category: '药品',
  sev_deg: '1' as const,
  message: '「{point}」限{limit}使用，患者性别为{actual}',
  template: 'sex-limit' as const,
  knowledge: 'sex',
};
const PAIR_RULE = {
  id: 'GZ10000102012000',
  name: '医疗服务项目重复收费',
  category: '医疗服务项目',
  sev_deg: '1' as const,
  message: '「{main}」与「{sub}」{window}内重复收费',
  template: 'pair-exclusion' as const,
  knowledge: 'pairs',
};
const files = {
  'k/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE}|XL02BBA326A001010178537,1\n`,
  'k/pairs.csv': `main_code,main_name,sub_code,sub_name,window\n${EMERGENCY_MONITOR},急诊监护费,${BED_FEE},普通病房床位费,单日\n`,
};
const rb = buildRulebook([SEX_RULE, PAIR_RULE], files, { sex: 'k/sex.csv', pairs: 'k/pairs.csv' });
const NOW = '2025-06-01 12:00:00';

t.test('a male-only drug for a woman: one finding in the national shape', async (t) => {
  const out = evaluate(rb, request([{ rx_id: 'R1', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片', cnt: 2, pric: 50, sumamt: 100 }]), { now: NOW, idPrefix: 'C1-' });
  t.equal(out.result.length, 1);
  const f = out.result[0];
  t.match(f, {
    jr_id: 'C1-1',
    rule_id: 'GZ10000301004000',
    rule_name: '药品区分性别使用',
    vola_cont: '「阿帕他胺片」限男性使用，患者性别为女',
    patn_id: 'P1',
    mdtrt_id: 'M1',
    vola_amt: 100,
    sev_deg: '1',
    task_id: 'T1',
    vola_bhvr_type: '药品',
  });
  t.same(f.judge_result_detail_dtos, [{ jrd_id: 'C1-1-1', patn_id: 'P1', mdtrt_id: 'M1', rx_id: 'R1', vola_item_type: '1', vola_amt: 100 }]);
});

t.test('unknown sex never fires; the right sex never fires', async (t) => {
  for (const gend of ['0', '9', undefined, '1']) {
    const out = evaluate(rb, request([{ rx_id: 'R1', hilist_code: APALUTAMIDE }], { gend }), { now: NOW });
    t.equal(out.result.length, 0, `gend ${gend}`);
  }
});

t.test('history orders are never the offending order', async (t) => {
  const out = evaluate(rb, request([{ rx_id: 'H1', hilist_code: APALUTAMIDE, curr_drord_flag: '0' }]), { now: NOW });
  t.equal(out.result.length, 0);
});

t.test('pair exclusion: the sub item offends, the main item is involved', async (t) => {
  const out = evaluate(
    rb,
    request([
      { rx_id: 'A', hilist_code: EMERGENCY_MONITOR, hilist_name: '急诊监护费', drord_begn_date: '2025-06-01 08:00:00', sumamt: 80 },
      { rx_id: 'B', hilist_code: BED_FEE, hilist_name: '普通病房床位费', drord_begn_date: '2025-06-01 20:00:00', sumamt: 40 },
      { rx_id: 'C', hilist_code: BED_FEE, hilist_name: '普通病房床位费', drord_begn_date: '2025-06-02 08:00:00', sumamt: 40 },
    ]),
    { now: NOW },
  );
  t.equal(out.result.length, 1);
  t.equal(out.result[0].vola_cont, '「急诊监护费」与「普通病房床位费」单日内重复收费');
  t.same(
    out.result[0].judge_result_detail_dtos.map((d) => [d.rx_id, d.vola_item_type, d.vola_amt]),
    [
      ['B', '1', 40],
      ['A', '2', 0],
    ],
  );
  t.equal(out.result[0].vola_amt, 40);
});

t.test('scenes, phases and rule_ids select the rules', async (t) => {
  const scoped = buildRulebook(
    [
      { ...SEX_RULE, scenes: ['6', '7'] },
      { ...PAIR_RULE, phases: ['事后'] },
    ],
    files,
    { sex: 'k/sex.csv', pairs: 'k/pairs.csv' },
  );
  const orders = [{ rx_id: 'R1', hilist_code: APALUTAMIDE }];
  t.equal(evaluate(scoped, request(orders, {}, {}, '1'), { now: NOW }).result.length, 0, 'scene 1 is not in the rule');
  t.equal(evaluate(scoped, request(orders, {}, {}, '1,6'), { now: NOW }).result.length, 1, 'comma-joined scenes');
  t.equal(evaluate(scoped, request(orders, {}, {}, '6'), { now: NOW }).rules_considered, 1, 'the 事后-only rule is out in 事中');
  t.equal(evaluate(scoped, request(orders, {}, {}, ''), { now: NOW, phase: '事后' }).rules_considered, 2);
  t.equal(evaluate(rb, request(orders), { now: NOW, ruleIds: ['GZ10000102012000'] }).result.length, 0);
  t.equal(evaluate(rb, { ...request(orders), rule_ids: 'GZ10000301004000' }, { now: NOW }).result.length, 1);
});

t.test('a rule that throws becomes an error entry; the other rules still run', async (t) => {
  const broken = buildRulebook([SEX_RULE, PAIR_RULE], files, { sex: 'k/sex.csv', pairs: 'k/pairs.csv' });
  const pair = broken.compiled.rules.find((r) => r.id === 'GZ10000102012000')!;
  pair.template = {
    ...pair.template!,
    checkGroup: () => {
      throw new Error('boom');
    },
  };
  const out = evaluate(
    broken,
    request([
      { rx_id: 'R1', hilist_code: APALUTAMIDE },
      { rx_id: 'A', hilist_code: EMERGENCY_MONITOR },
      { rx_id: 'B', hilist_code: BED_FEE },
    ]),
    { now: NOW },
  );
  t.same(out.errors, [{ rule_id: 'GZ10000102012000', rule_name: '医疗服务项目重复收费', message: 'boom' }]);
  t.equal(out.result.length, 1);
  t.equal(out.result[0].rule_id, 'GZ10000301004000');
});

t.test('jr_id is unique within a check', async (t) => {
  const orders = Array.from({ length: 5 }, (_, i) => ({ rx_id: `R${i}`, hilist_code: APALUTAMIDE }));
  const out = evaluate(rb, request(orders), { now: NOW, idPrefix: 'X-' });
  t.same(
    out.result.map((f) => f.jr_id),
    ['X-1', 'X-2', 'X-3', 'X-4', 'X-5'],
  );
});

t.test('a bad evaluation time is refused', async (t) => {
  t.throws(() => evaluate(rb, request([]), { now: 'not a date' }), RangeError);
});

t.test('codes named like Object.prototype members find no label (issue 10 #6)', async (t) => {
  const { tierOf, SEX_LABEL, VISIT_LABEL, INSUTYPE_LABEL } = await import('../index.js');
  for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    t.equal(tierOf(code), undefined, code);
    t.equal(SEX_LABEL[code], undefined);
    t.equal(VISIT_LABEL[code], undefined);
    t.equal(INSUTYPE_LABEL[code], undefined);
  }
});
