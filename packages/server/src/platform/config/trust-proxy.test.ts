/**
 * Behind nginx: with PA_TRUST_PROXY the WSDL carries the public address from X-Forwarded-*
 * (its name one of PA_PUBLIC_HOSTS); without it, forwarded headers are ignored (anyone could
 * send them).
 */
import t from 'tap';
import { testApp } from '../../test-support/helpers.js';
import { parseTrustProxy } from './trust-proxy.js';

const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ybsh.hospital.example:8443', 'x-forwarded-for': '203.0.113.7' };

t.test('PA_TRUST_PROXY forms', async (t) => {
  t.equal(parseTrustProxy('true'), true);
  t.equal(parseTrustProxy('off'), false);
  t.equal(parseTrustProxy('2'), 2);
  t.same(parseTrustProxy('127.0.0.1, ::1,10.0.0.0/8'), ['127.0.0.1', '::1', '10.0.0.0/8']);
  t.throws(() => parseTrustProxy('nginx'), /"nginx" is no address/);
  t.throws(() => parseTrustProxy('10.0.0.0/33'), /"10.0.0.0\/33" is no address/);
});

t.test('trusted proxy: the WSDL carries the public address', async (t) => {
  const app = await testApp({ trustProxy: ['127.0.0.1'], publicHosts: ['ybsh.hospital.example'] });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/soap?wsdl', headers: FORWARDED, remoteAddress: '127.0.0.1' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'location="https://ybsh.hospital.example:8443/soap"');
  const other = await app.inject({ method: 'GET', url: '/soap?wsdl', headers: FORWARDED, remoteAddress: '192.0.2.9' });
  t.notMatch(other.body, 'ybsh.hospital.example', 'a request not from the named proxy: its forwarded headers are ignored');
});

t.test('no trust (the default): forwarded headers are ignored', async (t) => {
  const app = await testApp({ publicHosts: ['ybsh.hospital.example'] });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/soap?wsdl', headers: FORWARDED, remoteAddress: '127.0.0.1' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'location="http://localhost:80/soap"');
  t.notMatch(res.body, 'ybsh.hospital.example');
});
