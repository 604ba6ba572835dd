// 诊断与患者性别不符 / 年龄不符: ICD-10 ranges restricted to one sex or an age, judged on the
// encounter's diagnoses (and main discharge diagnosis); unknown sex or birth date never fires.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook, request } from '../evaluate/fixture.test-helper.js';

const NOW = '2026-07-01 10:00:00';
const rb = buildRulebook(
  [
    {
      id: 'SEX',
      name: '诊断与患者性别不符',
      sev_deg: '1',
      message: '诊断「{diagnosis_name}」（{diagnosis}）属{point}，限{limit}，患者为{actual}',
      template: 'diagnosis-limit',
      knowledge: 'sex',
    },
    {
      id: 'AGE',
      name: '诊断与患者年龄不符',
      sev_deg: '1',
      message: '诊断「{diagnosis_name}」（{diagnosis}）属{point}，限{limit}，患者{actual}',
      template: 'diagnosis-limit',
      knowledge: 'age',
    },
  ],
  {
    'k/sex.csv': 'name,code_from,code_to,sex,min_age,max_age\n妊娠、分娩和产褥期,O00,O99,2,,\n男性生殖器官疾病,N40,N51,1,,\n女性生殖器官原位癌,D070,D073,2,,\n',
    'k/age.csv': 'name,code_from,code_to,sex,min_age,max_age\n起源于围生期的某些情况,P00,P96,,,0\n妊娠、分娩和产褥期,O00,O99,,12,55\n',
  },
  { sex: 'k/sex.csv', age: 'k/age.csv' },
);

const dx = (code: string, name = code) => ({ dise_codg: code, dise_name: name });
function check(diagnoses: Array<{ dise_codg: string; dise_name: string }>, patient: Record<string, unknown>, encounter: Record<string, unknown> = {}) {
  return evaluate(rb, request([], patient, { adm_date: '2026-06-01', fsi_diagnose_dtos: diagnoses, ...encounter }), { now: NOW }).result;
}

t.test('sex: pregnancy for a man, prostate for a woman, at category and sub-category level', async (t) => {
  const r = check([dx('O80.000', '单胎顺产')], { gend: '1' });
  t.same(
    r.map((f) => f.rule_id),
    ['SEX'],
  );
  t.equal(r[0].vola_cont, '诊断「单胎顺产」（O80.000）属妊娠、分娩和产褥期，限女性，患者为男');
  t.match(r[0].vola_evid, '项目：O80.000');
  t.same(
    check([dx('N40.x00', '前列腺增生')], { gend: '2' }).map((f) => f.rule_id),
    ['SEX'],
  );
  t.same(
    check([dx('D07.100')], { gend: '1' }).map((f) => f.rule_id),
    ['SEX'],
    'D07.1 vulva',
  );
  t.same(check([dx('D07.500')], { gend: '1' }), [], 'D07.5 prostate is not in D07.0–D07.3');
});

t.test('sex: the right sex, unknown sex, other chapters never fire', async (t) => {
  t.same(check([dx('O80.000')], { gend: '2', brdy: '1995-01-01' }), []);
  t.same(check([dx('N40.x00')], { gend: '1' }), []);
  t.same(check([dx('O80.000')], { gend: '9' }), [], '未说明');
  t.same(check([dx('O80.000')], { gend: undefined }), [], 'missing');
  t.same(check([dx('N39.000', '泌尿道感染')], { gend: '2' }), [], 'N39 is before N40');
  t.same(check([dx('N52.900')], { gend: '2' }), [], 'N52 is after N51');
});

t.test('the main discharge diagnosis counts, once', async (t) => {
  const r = check([dx('N41.000')], { gend: '2' }, { dscg_main_dise_codg: 'N41.000' });
  t.equal(r.length, 1);
});

t.test('age: perinatal codes past the first year, pregnancy outside 12–55 (bounds included)', async (t) => {
  t.same(
    check([dx('P07.300', '早产儿')], { gend: '1', brdy: '2020-05-01' }).map((f) => f.rule_id),
    ['AGE'],
  );
  t.same(check([dx('P07.300')], { gend: '1', brdy: '2025-06-02' }), [], '11 months');
  t.same(
    check([dx('P07.300')], { gend: '1', brdy: '2025-06-01' }).map((f) => f.rule_id),
    ['AGE'],
    'one year on the admission day',
  );
  t.same(
    check([dx('O80.000')], { gend: '2', brdy: '2016-01-01' }).map((f) => f.rule_id),
    ['AGE'],
    '10 years',
  );
  t.same(check([dx('O80.000')], { gend: '2', brdy: '2014-06-01' }), [], '12 years on admission');
  t.same(check([dx('O80.000')], { gend: '2', brdy: '1971-06-02' }), [], '54 years');
  t.same(
    check([dx('O80.000')], { gend: '2', brdy: '1960-01-01' }).map((f) => f.rule_id),
    ['AGE'],
    '66 years',
  );
  t.same(check([dx('O80.000')], { gend: '2', brdy: undefined }), [], 'no birth date');
});

t.test('an encounter with only history orders is not judged', async (t) => {
  const r = evaluate(rb, request([{ rx_id: 'R1', hilist_code: 'X', curr_drord_flag: '0' }], { gend: '1' }, { fsi_diagnose_dtos: [dx('O80.000')] }), { now: NOW }).result;
  t.same(r, []);
});

t.test('a bad range row is named', async (t) => {
  t.throws(
    () =>
      buildRulebook(
        [{ id: 'S', name: 's', sev_deg: '1', message: 'x', template: 'diagnosis-limit', knowledge: 'k' }],
        { 'k/k.csv': 'name,code_from,code_to,sex\nx,40N,,1\n' },
        { k: 'k/k.csv' },
      ),
    /code_from/,
  );
});
