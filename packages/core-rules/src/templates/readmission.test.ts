// 分解住院: a readmission to the same hospital within max_days of a discharge with the same
// main-diagnosis category (ICD-10, 3 characters); the later admission is the finding.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { BED_FEE, buildRulebook } from '../evaluate/fixture.test-helper.js';
import type { CheckData, EncounterDto } from '../model/request.js';

const rb = buildRulebook(
  [
    {
      id: 'GZ10000204001000',
      name: '分解住院',
      sev_deg: '2',
      message: '{diagnosis_name}：{actual}',
      template: 'readmission',
      knowledge: 'exempt',
      params: { max_days: 15 },
    },
  ],
  { 'k/exempt.csv': 'name,category\n为肿瘤放疗、化疗入院,Z51\n' },
  { exempt: 'k/exempt.csv' },
);

const stay = (id: string, adm: string, dscg: string | undefined, dx: string, extra: Partial<EncounterDto> = {}, current = false): EncounterDto => ({
  mdtrt_id: id,
  medins_id: 'H1',
  medins_lv: '02',
  med_mdtrt_type: '2',
  med_type: '21',
  adm_date: adm,
  ...(dscg ? { dscg_date: dscg } : {}),
  fsi_diagnose_dtos: [{ dise_id: `${id}-D1`, dise_codg: dx, dise_name: dx, maindise_flag: '1', inout_dise_type: dscg ? '2' : '1' }],
  fsi_order_dtos: [{ rx_id: `${id}-R1`, hilist_code: BED_FEE, hilist_type: '201', drord_begn_date: adm, curr_drord_flag: current ? '1' : '0' }],
  ...extra,
});
const req = (encs: EncounterDto[]): CheckData => ({ task_id: 'T', trig_scen: '3', patient_dtos: [{ patn_id: 'P1', gend: '1', brdy: '1960-01-01', fsi_encounter_dtos: encs }] });
const run = (encs: EncounterDto[]) => evaluate(rb, req(encs), { now: '2026-07-01' }).result;

t.test('same category within 15 days: the later stay is 可疑', async (t) => {
  const r = run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-20', undefined, 'I63.800', {}, true)]);
  t.equal(r.length, 1);
  t.equal(r[0].mdtrt_id, 'M2');
  t.equal(r[0].sev_deg, '2');
  t.match(r[0].vola_cont, '间隔10日');
  t.same(
    r[0].judge_result_detail_dtos.map((d) => d.rx_id),
    ['M2-R1'],
  );
});

t.test('the 15th day is inside (以内), the 16th outside', async (t) => {
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-25', undefined, 'I63.900', {}, true)]).length, 1);
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-26', undefined, 'I63.900', {}, true)]).length, 0);
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10 10:00:00', 'I63.900'), stay('M2', '2026-05-10 18:00:00', undefined, 'I63.900', {}, true)]).length, 1, 'same day');
});

t.test('clean: other category, other hospital, outpatient, exempt category, history only', async (t) => {
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-20', undefined, 'J18.900', {}, true)]).length, 0, 'J18 ≠ I63');
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900', { medins_id: 'H2' }), stay('M2', '2026-05-20', undefined, 'I63.900', {}, true)]).length, 0, 'another hospital');
  t.equal(
    run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900', { med_mdtrt_type: '1' }), stay('M2', '2026-05-20', undefined, 'I63.900', {}, true)]).length,
    0,
    'an outpatient visit is no discharge',
  );
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'Z51.100'), stay('M2', '2026-05-20', undefined, 'Z51.100', {}, true)]).length, 0, 'chemotherapy cycles');
  t.equal(run([stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-20', '2026-05-30', 'I63.900')]).length, 0, 'both history: nothing judged');
  t.equal(run([stay('M2', '2026-05-20', undefined, 'I63.900', {}, true)]).length, 0, 'no earlier stay in the request');
});

t.test('main diagnosis: dscg_main_dise_codg first; a missing medins_id counts as the same hospital', async (t) => {
  const prev = stay('M1', '2026-05-01', '2026-05-10', 'R51.x00', { dscg_main_dise_codg: 'I63.900', medins_id: undefined });
  t.equal(run([prev, stay('M2', '2026-05-20', undefined, 'I63.901', {}, true)]).length, 1);
});

t.test('without any maindise_flag, the first diagnosis by dias_srt_no is the main one', async (t) => {
  const unflagged = (id: string, adm: string, dscg: string | undefined, current: boolean) => {
    const e = stay(id, adm, dscg, 'I63.900', {}, current);
    e.fsi_diagnose_dtos = [
      { dise_id: `${id}-D2`, dise_codg: 'I10.x00', dise_name: '高血压', dias_srt_no: 2 },
      { dise_id: `${id}-D1`, dise_codg: 'I63.900', dise_name: '脑梗死', dias_srt_no: 1 },
    ];
    return e;
  };
  t.equal(run([unflagged('M1', '2026-05-01', '2026-05-10', false), unflagged('M2', '2026-05-20', undefined, true)]).length, 1);
});
