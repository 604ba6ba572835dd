import { Writable } from 'node:stream';
import t from 'tap';
import { example, genderViolation, testApp } from '../test-support/helpers.js';

/** A pino destination that keeps every line. */
function logSink(): { stream: Writable; lines: () => Array<Record<string, any>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

const sink = logSink();
const app = await testApp({ logger: { level: 'info', stream: sink.stream } });
t.teardown(() => app.close());

const post = (url: string, payload: unknown, type = 'application/json') =>
  app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': type } });

const soap = (input: string) =>
  post(
    '/soap',
    '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><BusinessHandle xmlns="urn:preaudit:soap">' +
      `<input>${input.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</input></BusinessHandle></soap:Body></soap:Envelope>`,
    'text/xml',
  );
const soapReply = (body: string) =>
  JSON.parse(
    (/<(?:\w+:)?output>([\s\S]*)<\/(?:\w+:)?output>/.exec(body)?.[1] ?? '')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );

t.test('`constructor` keys at every level of a JSON check are plain unknown fields (#6)', async (t) => {
  const req = genderViolation('CTOR-1');
  const patient = req.input.data.patient_dtos[0];
  const encounter = patient.fsi_encounter_dtos[0];
  for (const node of [req, req.input, req.input.data, patient, encounter, encounter.fsi_order_dtos[0]]) node.constructor = 'x';
  const res = await post('/nhsa/3101', req);
  t.equal(res.statusCode, 200);
  t.equal(res.json().infcode, 0, res.json().err_msg);
  t.equal(res.json().output.result[0].rule_id, 'GZ10000301004000');
  const v1 = await post('/v1/check', req.input.data);
  t.equal(v1.statusCode, 200);
});

t.test('infno `constructor` or `toString` is an unknown transaction, not a check (#6)', async (t) => {
  for (const infno of ['constructor', 'toString', '__proto__']) {
    const res = await post('/nhsa', { infno, input: { data: {} } });
    t.equal(res.json().infcode, -1);
    t.equal(res.headers['x-pa-error'], 'PA_UNKNOWN_INFNO', infno);
  }
});

t.test('codes named like Object.prototype members never reach a message as function text (#6)', async (t) => {
  const req = example('3102-inpatient-stay.json');
  req.input.data.patient_dtos[0].fsi_encounter_dtos[0].med_mdtrt_type = 'constructor';
  req.input.data.patient_dtos[0].fsi_encounter_dtos[0].medins_lv = 'toString';
  const res = await post('/nhsa/3102', req);
  t.equal(res.json().infcode, 0);
  t.notMatch(res.body, /native code|function /);
});

t.test('`__proto__` over SOAP is an own field: never a prototype that lends fields (#6)', async (t) => {
  const inherited = '{"infno":"3103","input":{"data":{"__proto__":{"warns":[{"warn_rslt_id":"INHERITED-1","dspo_way":"2"}]}}}}';
  const fb = soapReply((await soap(inherited)).body);
  t.equal(fb.infcode, -1);
  t.match(fb.err_msg, /input\.data\.warns/);
  t.equal(await app.db('feedback').where({ jr_id: 'INHERITED-1' }).first(), undefined, 'nothing stored from a prototype');

  const text = JSON.stringify(genderViolation('PROTO-1'));
  const withString = text.replace('"patn_id"', '"__proto__":"p","patn_id"').replace('"rx_id"', '"__proto__":"o","rx_id"');
  t.equal(soapReply((await soap(withString)).body).infcode, 0, 'a string under __proto__ is an unknown field like any other');
  const withObject = soapReply((await soap(text.replace('"data":{', '"data":{"__proto__":{"patient_dtos":[]},'))).body);
  t.equal(withObject.infcode, -1);
  t.match(withObject.err_msg, /input\.data\.__proto__ must be a string/, 'named like any other bad field');
});

t.test('a failure answers a stable code and a generic message; the log has its cause (#6, #22)', async (t) => {
  const broken = logSink();
  const b = await testApp({ logger: { level: 'info', stream: broken.stream } });
  await b.db.destroy();
  t.teardown(() => b.close().catch(() => undefined));
  const res = await b.inject({ method: 'GET', url: '/v1/reports/compliance' });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { statusCode: 500, code: 'PA_INTERNAL', error: '服务内部错误' }, 'no driver text in the reply');
  const line = broken.lines().find((l) => l.msg === 'request failed');
  t.ok(line, 'logged');
  t.equal(line?.code, 'PA_INTERNAL');
  t.match(line?.cause?.message, /Unable to acquire a connection/, 'the cause is in the log');
  t.match(line?.cause?.stack, /at /);
});

t.test('an error that is not Fastify’s own keeps its text out of a 4xx reply (#22)', async (t) => {
  const { toPreauditError } = await import('./errors.js');
  const driver = Object.assign(new Error('relation "his_secret.orders" does not exist at 10.1.2.3'), { statusCode: 400, code: '42P01' });
  const e = toPreauditError(driver);
  t.equal(e.code, 'PA_BAD_INPUT');
  t.notMatch(e.message, /his_secret|10\.1\.2\.3/);
  t.equal(e.cause, driver, 'kept for the log');
});

t.test('the WSDL never echoes a forged Host (#22)', async (t) => {
  const keyed = await testApp({ apiKeys: { k: 'doctor-station' }, publicHosts: ['preaudit.hospital.lan'] });
  t.teardown(() => keyed.close());
  const wsdl = (host: string) => keyed.inject({ method: 'GET', url: '/soap?wsdl', headers: { host, authorization: 'Bearer k' } });
  const forged = await wsdl('evil.example"><x');
  t.equal(forged.statusCode, 200);
  t.notMatch(forged.body, /evil/);
  t.match(forged.body, /location="http:\/\/127\.0\.0\.1[:/]/);
  t.match((await wsdl('preaudit.hospital.lan:8080')).body, 'location="http://preaudit.hospital.lan:8080/soap"');
  t.match((await wsdl('localhost:8080')).body, 'location="http://localhost:8080/soap"');
});
