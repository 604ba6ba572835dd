import t from 'tap';
import soap from 'soap';
import iconv from 'iconv-lite';
import { example, genderViolation, testApp } from '../../test-support/helpers.js';

const app = await testApp({ apiKeys: { 'doc-key': 'doctor-station', 'ins-key': 'insurance-office' } });
t.teardown(() => app.close());
const base = await app.listen({ port: 0, host: '127.0.0.1' });

async function client(key = 'doc-key'): Promise<soap.Client> {
  const c = await soap.createClientAsync(`${base}/soap?wsdl`, { wsdl_headers: { authorization: `Bearer ${key}` } });
  c.setSecurity(new soap.BearerSecurity(key));
  return c;
}

t.test('the WSDL describes BusinessHandle at this endpoint', async (t) => {
  const res = await fetch(`${base}/soap?wsdl`, { headers: { authorization: 'Bearer doc-key' } });
  t.equal(res.status, 200);
  const xml = await res.text();
  t.match(xml, '<operation name="BusinessHandle">');
  t.match(xml, `location="${base}/soap"`);
  const c = await client();
  t.same(Object.keys(c.describe().PreauditService.PreauditPort), ['BusinessHandle']);
});

t.test('a real SOAP client sends a 3101 envelope and gets the national reply string', async (t) => {
  const c = await client();
  const [result] = await c.BusinessHandleAsync({ input: JSON.stringify(example('3101-outpatient-violations.json')) });
  t.type(result.output, 'string');
  const reply = JSON.parse(result.output);
  t.equal(reply.infcode, 0);
  t.equal(reply.err_msg, '');
  t.equal(reply.output.result.length, 10);
  await app.checkStore.flush();
  const row = await app.db('checks').where({ msgid: 'H33010000001202506100930000001', channel: 'soap' }).first();
  t.ok(row, 'stored with channel soap');
});

t.test('3103 through SOAP stores the feedback', async (t) => {
  const c = await client();
  const [check] = await c.BusinessHandleAsync({ input: JSON.stringify(genderViolation('SOAP-1')) });
  const jr = JSON.parse(check.output).output.result[0].jr_id;
  const fb = example('3103-feedback.json');
  fb.input.data.warns = [{ warn_rslt_id: jr, dspo_way: '2' }];
  const [res] = await c.BusinessHandleAsync({ input: JSON.stringify(fb) });
  t.equal(JSON.parse(res.output).infcode, 0);
  t.equal((await app.db('feedback').where({ jr_id: jr }).first()).channel, 'soap');
});

t.test('bad envelopes come back as infcode -1 inside a normal SOAP response', async (t) => {
  const c = await client();
  const cases: Array<[string, RegExp]> = [
    ['not json at all', /JSON/],
    [JSON.stringify({ infno: '4000', input: { data: {} } }), /infno=4000/],
    [JSON.stringify({ infno: '3101', input: { data: { patient_dtos: [{ patn_id: 'p' }], trig_scen: 1 } } }), /./],
    [JSON.stringify({ infno: '3101', input: { data: {} } }), /input\.data\.patient_dtos/],
    ['', /input/],
  ];
  for (const [input, msg] of cases) {
    const [res] = await c.BusinessHandleAsync({ input });
    const reply = JSON.parse(res.output);
    if (reply.infcode === 0) continue; // the third case is valid data with no orders
    t.equal(reply.infcode, -1, input);
    t.match(reply.err_msg, msg, input);
  }
});

t.test('unreadable XML is a SOAP fault with a 4xx, never a 5xx', async (t) => {
  for (const body of ['<not-soap', '<?xml version="1.0"?><a>no envelope</a>', 'plain text']) {
    const res = await fetch(`${base}/soap`, { method: 'POST', headers: { authorization: 'Bearer doc-key', 'content-type': 'text/xml' }, body });
    t.ok(res.status >= 400 && res.status < 500, `${res.status} for ${body}`);
    t.match(await res.text(), /soap:Fault/);
  }
});

t.test('a GBK-encoded SOAP request is decoded', async (t) => {
  const input = JSON.stringify(genderViolation('SOAP-GBK'));
  const xml =
    '<?xml version="1.0" encoding="GBK"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="urn:preaudit:soap">' +
    `<soap:Body><tns:BusinessHandle><tns:input>${input.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</tns:input></tns:BusinessHandle></soap:Body></soap:Envelope>`;
  const res = await fetch(`${base}/soap`, {
    method: 'POST',
    headers: { authorization: 'Bearer doc-key', 'content-type': 'text/xml; charset=GBK', soapaction: 'urn:preaudit:soap#BusinessHandle' },
    body: iconv.encode(xml, 'gbk'),
  });
  t.equal(res.status, 200);
  const text = await res.text();
  const output = /<(?:\w+:)?output>([\s\S]*)<\/(?:\w+:)?output>/.exec(text)?.[1] ?? '';
  const reply = JSON.parse(
    output
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
  t.equal(reply.infcode, 0);
  t.equal(reply.output.result[0].rule_name, '药品区分性别使用');
});

t.test('the SOAP endpoint enforces keys and roles', async (t) => {
  const noKey = await fetch(`${base}/soap`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
  t.equal(noKey.status, 401);
  t.match(await noKey.text(), /soap:Fault/);
  const c = await client('ins-key');
  await t.rejects(c.BusinessHandleAsync({ input: '{}' }), 'insurance-office may not call checks');
});
