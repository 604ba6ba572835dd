import t from 'tap';
import { genderViolation, testApp, NATIONAL_VERSION } from '../test-support/helpers.js';

const app = await testApp();
t.teardown(() => app.close());

t.test('GET /health reports status and the active rulebook', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.status, 'ok');
  t.equal(body.rulebook.id, 'nhsa-liangku');
  t.equal(body.rulebook.version, NATIONAL_VERSION);
  t.ok(body.rulebook.rules > 0);
  t.equal(body.storage.dialect, 'sqlite');
});

t.test('GET /metrics: requests, latency histogram, findings by rule, errors', async (t) => {
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation() });
  await app.inject({ method: 'POST', url: '/nhsa/3101', payload: '{', headers: { 'content-type': 'application/json' } });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/plain/);
  t.match(res.body, /preaudit_http_requests_total\{route="\/nhsa\/3101",method="POST",status="200"\} 2/);
  t.match(res.body, /preaudit_http_request_duration_seconds_bucket\{le="0.01",route="\/nhsa\/3101"\}/);
  t.match(res.body, /preaudit_findings_total\{rule_id="GZ10000301004000"\} 1/);
  t.match(res.body, /preaudit_errors_total\{code="PA_BAD_JSON"\} 1/);
  t.match(res.body, /preaudit_checks_total\{channel="nhsa",infno="3101"\} 1/);
  t.match(res.body, /preaudit_store_pending_checks/);
  t.match(res.body, /preaudit_process_resident_memory_bytes/);
});

t.test('GET /openapi.json documents every route with tags; /docs serves Swagger UI', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  t.match(doc.openapi, /^3\./);
  for (const path of [
    '/nhsa/3101',
    '/nhsa/3102',
    '/nhsa/3103',
    '/nhsa',
    '/v1/check',
    '/cds-services',
    '/cds-services/{id}',
    '/cds-services/{id}/feedback',
    '/soap',
    '/health',
    '/metrics',
    '/v1/reports/compliance',
  ]) {
    t.ok(doc.paths[path], `${path} documented`);
  }
  const op = doc.paths['/nhsa/3101'].post;
  t.same(op.tags, ['national']);
  const input = op.requestBody.content['application/json'].schema.properties.input;
  t.ok(input.properties.data.properties.patient_dtos.items.properties.fsi_encounter_dtos, 'the full 3101 body is documented, down to the orders');
  t.ok(doc.paths['/v1/check'].post.requestBody.content['application/json'].schema.properties.patient_dtos.items, '/v1/check body documented');
  t.ok(op.responses['200'].content['application/json'].schema.properties.output, 'response schema');
  const ui = await app.inject({ method: 'GET', url: '/docs' });
  t.equal(ui.statusCode, 200);
  t.match(ui.body, /<html/);
  t.match(ui.body, /swagger/i);
});

t.test('storage refusing writes: checks still answered, health degraded, nothing lost once it is back', async (t) => {
  const app2 = await testApp();
  t.teardown(() => app2.close());
  await app2.db.schema.renameTable('checks', 'checks_away');
  const reply = (await app2.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation('WHILE-DOWN') })).json();
  t.equal(reply.infcode, 0, 'the doctor still gets the verdict');
  await t.rejects(app2.checkStore.flush(), 'the write fails and the record stays queued');
  const down = (await app2.inject({ method: 'GET', url: '/health' })).json();
  t.equal(down.status, 'degraded');
  t.equal(down.storage.pending >= 1, true);
  await app2.db.schema.renameTable('checks_away', 'checks');
  await app2.checkStore.flush();
  t.equal((await app2.db('checks').where({ msgid: 'WHILE-DOWN' })).length, 1, 'written once storage is back');
  t.equal((await app2.inject({ method: 'GET', url: '/health' })).json().status, 'ok');
});
