import t from 'tap';
import { genderViolation, testApp } from '../test-support/helpers.js';

// Without keys: the service trusts loopback, so a browser page must not pass for loopback (#8).
const app = await testApp({ publicHosts: ['preaudit.hospital.lan'] });
t.teardown(() => app.close());

const feedback = { infno: '3103', input: { data: { warns: [{ warn_rslt_id: 'x-1', dspo_way: '2' }] } } };
const send = (url: string, headers: Record<string, string>, payload: unknown = feedback) =>
  app.inject({ method: payload === undefined ? 'GET' : 'POST', url, payload: payload as any, headers });

t.test('a Host that is not loopback is refused (DNS rebinding), naming the header', async (t) => {
  for (const host of ['rebind.attacker.example', 'rebind.attacker.example:8080', '10.0.0.5:8080']) {
    const national = await send('/nhsa/3103', { host });
    t.equal(national.statusCode, 403, host);
    t.equal(national.json().infcode, -1);
    t.match(national.json().err_msg, /Host/);
    const v1 = await send('/v1/reports/compliance', { host }, undefined);
    t.equal(v1.statusCode, 403);
    t.same(v1.json().fields, [{ field: 'headers.host', message: '不是本机地址或已配置的主机名' }]);
  }
  t.equal(
    await app
      .db('feedback')
      .count({ n: '*' })
      .first()
      .then((r: any) => Number(r.n)),
    0,
    'no disposition stored',
  );
});

t.test('an Origin other than the Host is refused (CSRF from a page open in a browser)', async (t) => {
  for (const origin of ['http://evil.example', 'null', 'http://localhost:9999', 'file://']) {
    const res = await send('/nhsa/3103', { host: 'localhost:8080', origin });
    t.equal(res.statusCode, 403, origin);
    t.match(res.json().err_msg, /Origin/);
  }
  const put = await send('/v1/rulebooks', { host: '127.0.0.1:8080', origin: 'http://evil.example', 'content-type': 'application/json' }, { x: 1 });
  t.equal(put.statusCode, 403);
  t.same(put.json().fields, [{ field: 'headers.origin', message: '与 Host 不同源' }]);
});

t.test('loopback Hosts, same-origin pages, and configured public names are served', async (t) => {
  for (const headers of <Array<Record<string, string>>>[
    { host: 'localhost:8080' },
    { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' },
    { host: '[::1]:8080' },
    { host: 'localhost', origin: 'http://localhost:80' },
    { host: 'preaudit.hospital.lan:8080', origin: 'http://preaudit.hospital.lan:8080' },
  ]) {
    const res = await send('/nhsa/3101', headers, genderViolation());
    t.equal(res.json().infcode, 0, JSON.stringify(headers));
  }
});

t.test('with keys, Host and Origin are not checked (a key is not sent by a browser on its own)', async (t) => {
  const keyed = await testApp({ apiKeys: { 'k-doc': 'doctor-station' } });
  t.teardown(() => keyed.close());
  const res = await keyed.inject({
    method: 'POST',
    url: '/nhsa/3101',
    payload: genderViolation(),
    headers: { host: 'preaudit.example.org', origin: 'https://his.example.org', authorization: 'Bearer k-doc' },
  });
  t.equal(res.json().infcode, 0);
});
