import t from 'tap';
import { example, testApp, NATIONAL_VERSION } from '../../test-support/helpers.js';

const app = await testApp();
t.teardown(() => app.close());

t.test('POST /v1/check answers findings, the rulebook used and the engine time', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/check', payload: example('check-data-child-outpatient.json') });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.same(body.rulebook, { id: 'nhsa-liangku', version: NATIONAL_VERSION });
  t.type(body.check_id, 'string');
  t.type(body.ana_dura, 'number');
  t.same(body.result.map((r: any) => r.rule_id).sort(), ['NHSA2025-XMZQCPC', 'NHSA2025-YPXJYFS']);
  t.same(body.errors, []);
  for (const r of body.result) t.ok(r.jr_id.startsWith(`${body.check_id}-`), 'jr_id carries the check id');
});

t.test('bad input is a 400 listing every bad field', async (t) => {
  const data = example('check-data-child-outpatient.json');
  data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].cnt = 'many';
  data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[1].drord_begn_date = 'yesterday';
  const res = await app.inject({ method: 'POST', url: '/v1/check', payload: data });
  t.equal(res.statusCode, 400);
  const body = res.json();
  t.equal(body.code, 'PA_BAD_INPUT');
  const fields = body.fields.map((f: any) => f.field);
  t.ok(fields.includes('patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].cnt'), fields.join());
  t.ok(fields.includes('patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[1].drord_begn_date'), fields.join());
});

t.test('schema errors, malformed JSON and wrong media are 4xx, never 5xx', async (t) => {
  const cases: Array<[unknown, number, string]> = [
    [{}, 400, 'patient_dtos'],
    [{ patient_dtos: 'nope' }, 400, 'patient_dtos'],
    ['{"patient_dtos": [', 400, 'PA_BAD_JSON'],
  ];
  for (const [payload, status, text] of cases) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/check',
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
    });
    t.equal(res.statusCode, status, res.body);
    t.match(res.body, text);
  }
});

t.test('an unknown route is a 404 with a stable code', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'PA_NOT_FOUND');
});
