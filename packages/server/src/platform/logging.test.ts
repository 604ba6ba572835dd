/**
 * Logs never contain a patient's name or full identifiers, at any level, for good and bad input.
 */
import { Writable } from 'node:stream';
import t from 'tap';
import { example, genderViolation, testApp } from '../test-support/helpers.js';

t.test('no patient name or full id in the logs, even at trace level', async (t) => {
  let logs = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  const app = await testApp({ logger: { level: 'trace', stream } });
  const name = '张某某';
  const id = '330102198003150028';
  const bad = genderViolation();
  bad.input.data.patient_dtos[0].patn_name = { name };
  bad.input.data.patient_dtos[0].gend = id;
  const payloads: unknown[] = [genderViolation(), bad, example('3101-outpatient-violations.json'), { infno: '3101', input: { data: { patient_dtos: [{ patn_id: { id } }] } } }];
  for (const payload of payloads) await app.inject({ method: 'POST', url: '/nhsa/3101', payload: payload as object });
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: `{"input": {"data": {"patn_name": "${name}", "patn_id": "${id}"`, headers: { 'content-type': 'application/json' } });
  await app.inject({ method: 'POST', url: '/v1/check', payload: { patient_dtos: [{ patn_id: id, patn_name: name, brdy: 'not a date' }] } });
  await app.close();
  t.ok(logs.length > 0, 'something was logged');
  t.match(logs, /request refused/);
  t.notMatch(logs, name);
  t.notMatch(logs, id);
  t.notMatch(logs, 'P330100000123', 'nor the example patient id');
  t.notMatch(logs, '张某某');
});
