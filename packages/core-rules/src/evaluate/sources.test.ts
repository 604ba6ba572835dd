// evaluate hands out what each finding is about (withSources), aligned with result[], as
// references into the request: the callers decide attribution without an rx_id index.
import t from 'tap';
import { evaluate } from './evaluate.js';
import { APALUTAMIDE, BED_FEE, EMERGENCY_MONITOR, buildRulebook, request } from './fixture.test-helper.js';
import { attributionOf } from '../model/attribution.js';
import type { RuleDef } from '../rulebook/types.js';

const SEX_RULE: RuleDef = {
  id: 'GZ10000301004000',
  name: '药品区分性别使用',
  category: '药品',
  sev_deg: '1',
  message: '「{point}」限{limit}使用，患者性别为{actual}',
  template: 'sex-limit',
  knowledge: 'sex',
};
const PAIR_RULE: RuleDef = {
  id: 'GZ10000102012000',
  name: '医疗服务项目重复收费',
  category: '医疗服务项目',
  sev_deg: '1',
  message: '「{main}」与「{sub}」{window}内重复收费',
  template: 'pair-exclusion',
  knowledge: 'pairs',
};
const INPATIENT: RuleDef = {
  id: 'CITY-STAY',
  name: '住院就诊提醒',
  category: '就诊',
  sev_deg: '3',
  message: '{rule_name}',
  scope: 'encounter',
  condition: { '==': [{ var: 'encounter.med_mdtrt_type' }, '2'] },
};
const files = {
  'k/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE},1\n`,
  'k/pairs.csv': `main_code,main_name,sub_code,sub_name,window\n${EMERGENCY_MONITOR},急诊监护费,${BED_FEE},普通病房床位费,单日\n`,
};
const rb = buildRulebook([SEX_RULE, PAIR_RULE, INPATIENT], files, { sex: 'k/sex.csv', pairs: 'k/pairs.csv' });
const NOW = '2025-06-01 12:00:00';
const data = request(
  [
    { rx_id: 'R1', hilist_code: APALUTAMIDE, drord_dept_codg: 'C03', drord_dept_name: '泌尿外科' },
    { rx_id: 'R2', hilist_code: EMERGENCY_MONITOR, drord_begn_date: '2025-06-01 08:00:00' },
    { rx_id: 'R3', hilist_code: BED_FEE, drord_begn_date: '2025-06-01 09:00:00' },
  ],
  {},
  { med_mdtrt_type: '2', adm_dept_codg: 'A01', dscg_dept_codg: 'B02', dscg_dept_name: '心血管内科' },
);

t.test('without withSources nothing is built', async (t) => {
  const out = evaluate(rb, data, { now: NOW });
  t.equal(out.result.length, 3);
  t.notOk('sources' in out);
});

t.test('sources[i] is the offending order, encounter and patient of result[i], as sent', async (t) => {
  const out = evaluate(rb, data, { now: NOW, withSources: true });
  const sources = out.sources!;
  t.equal(sources.length, out.result.length);
  const patient = data.patient_dtos[0];
  const enc = patient.fsi_encounter_dtos![0];
  out.result.forEach((f, i) => {
    const s = sources[i];
    t.equal(s.patient, patient, 'the patient itself, not a copy');
    t.equal(s.encounter, enc, 'the encounter itself');
    const offending = f.judge_result_detail_dtos.find((d) => d.vola_item_type === '1');
    if (offending)
      t.equal(
        s.order,
        enc.fsi_order_dtos!.find((o) => o.rx_id === offending.rx_id),
        `${f.rule_id}: the offending order itself`,
      );
    else t.equal(s.order, undefined, `${f.rule_id}: an encounter finding has no order`);
  });
  const byRule = new Map(out.result.map((f, i) => [f.rule_id, attributionOf(sources[i].order, sources[i].encounter)]));
  t.match(byRule.get('GZ10000301004000'), { dept_codg: 'C03', dept_source: 'order' });
  t.match(byRule.get('GZ10000102012000'), { dept_codg: 'B02', dept_source: 'discharge' });
  t.match(byRule.get('CITY-STAY'), { dept_codg: 'B02', dept_name: '心血管内科' });
});

t.test('sources stay aligned when a rule past its budget has its findings withdrawn', async (t) => {
  const list = Array.from({ length: 100 }, (_, i) => i);
  const leaf = { starts_with: [{ cat: [{ var: '' }] }, '9'] };
  const costly: RuleDef = {
    id: 'CITY-CUBE',
    name: '昂贵条件',
    category: '药品',
    sev_deg: '3',
    message: '{item}',
    condition: { or: [{ '==': [{ var: 'order.rx_id' }, 'R1'] }, { some: [{ map: [list, { map: [list, leaf] }] }, { '!!': [{ var: '' }] }] }] },
  };
  const book = buildRulebook([SEX_RULE, costly, PAIR_RULE], files, { sex: 'k/sex.csv', pairs: 'k/pairs.csv' });
  const out = evaluate(book, data, { now: NOW, withSources: true, conditionBudget: 20_000 });
  t.equal(out.errors.length, 1);
  t.notOk(out.result.some((f) => f.rule_id === 'CITY-CUBE'));
  t.equal(out.sources!.length, out.result.length);
  out.result.forEach((f, i) => {
    const rx = f.judge_result_detail_dtos.find((d) => d.vola_item_type === '1')?.rx_id;
    t.equal(out.sources![i].order?.rx_id, rx, f.rule_id);
  });
});
