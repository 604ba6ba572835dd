/**
 * Text the database cannot store as sent (NUL, lone UTF-16 surrogates) is refused where request
 * strings are read into the model, on every door, naming the field (issue 10 #2, #4).
 */
import t from 'tap';
import { example, genderViolation, testApp } from '../../test-support/helpers.js';

/** The JSON text of a value with `marker` replaced by a JSON escape (NUL or half a surrogate pair). */
function withEscape(value: unknown, marker: string, escape: string): string {
  return JSON.stringify(value).replace(marker, escape);
}

t.test('national routes: NUL or a lone surrogate in msgid, fixmedins_code, task_id, department or doctor → infcode -1 naming it', async (t) => {
  const app = await testApp();
  t.teardown(() => app.close());
  const cases: Array<[string, (b: any) => void, string]> = [
    ['msgid', (b) => (b.msgid = 'BAD~'), 'msgid'],
    ['fixmedins_code', (b) => (b.fixmedins_code = 'H~'), 'fixmedins_code'],
    ['task_id', (b) => (b.input.data.task_id = 'T~'), 'input.data.task_id'],
    ['department', (b) => (b.input.data.patient_dtos[0].fsi_encounter_dtos[0].adm_dept_codg = 'D~'), 'input.data.patient_dtos[0].fsi_encounter_dtos[0].adm_dept_codg'],
    ['doctor', (b) => (b.input.data.patient_dtos[0].fsi_encounter_dtos[0].dr_codg = 'DR~'), 'input.data.patient_dtos[0].fsi_encounter_dtos[0].dr_codg'],
  ];
  for (const escape of ['\\u0000', '\\ud800']) {
    for (const [name, spoil, field] of cases) {
      const body = genderViolation('OK-1');
      spoil(body);
      const res = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: withEscape(body, '~', escape), headers: { 'content-type': 'application/json' } });
      t.equal(res.statusCode, 200, `${name} ${escape}`);
      const json = res.json();
      t.equal(json.infcode, -1, `${name} ${escape}`);
      t.match(json.err_msg, field, `${name} ${escape}: err_msg names ${field}`);
    }
  }
  const fb = example('3103-feedback.json');
  fb.input.data.warns = [{ warn_rslt_id: 'X~', dspo_way: '2' }];
  const res = (await app.inject({ method: 'POST', url: '/nhsa/3103', payload: withEscape(fb, '~', '\\u0000'), headers: { 'content-type': 'application/json' } })).json();
  t.equal(res.infcode, -1);
  t.match(res.err_msg, 'input.data.warns[0].warn_rslt_id');
  await app.checkStore.flush();
  t.equal(Number((await app.db('checks').count({ n: '*' }))[0].n), 0, 'nothing refused was recorded');
});

t.test('/v1/check and CDS Hooks: 400 naming the field', async (t) => {
  const app = await testApp();
  t.teardown(() => app.close());
  const data = example('check-data-child-outpatient.json');
  data.task_id = 'T~';
  const v1 = await app.inject({ method: 'POST', url: '/v1/check', payload: withEscape(data, '~', '\\u0000'), headers: { 'content-type': 'application/json' } });
  t.equal(v1.statusCode, 400);
  t.ok(
    v1.json().fields.some((f: any) => f.field === 'task_id'),
    v1.body,
  );
  const cds = {
    hook: 'order-sign',
    hookInstance: 'H~',
    context: { userId: 'Practitioner/DR1', patientId: 'P-CDS-1', draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [] } },
  };
  const res = await app.inject({ method: 'POST', url: '/cds-services/preaudit-order-sign', payload: withEscape(cds, '~', '\\u0000'), headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 400, res.body);
  t.match(res.body, 'hookInstance');
});
