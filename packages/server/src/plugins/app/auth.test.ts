import t from 'tap';
import { genderViolation, testApp } from '../../test-support/helpers.js';

const keys = { 'k-doc': 'doctor-station', 'k-ins': 'insurance-office', 'k-bur': 'bureau', 'k-adm': 'admin' } as const;
const app = await testApp({ apiKeys: { ...keys } });
t.teardown(() => app.close());

const call = (method: 'GET' | 'POST', url: string, key?: string, payload?: unknown) =>
  app.inject({ method, url, payload: payload as any, headers: key ? { authorization: `Bearer ${key}` } : {} });

t.test('/health needs no key', async (t) => {
  t.equal((await call('GET', '/health')).statusCode, 200);
});

t.test('every other route needs a key: 401 without or with a wrong one', async (t) => {
  for (const [method, url] of [
    ['POST', '/nhsa/3101'],
    ['POST', '/v1/check'],
    ['GET', '/v1/reports/compliance'],
    ['GET', '/metrics'],
    ['GET', '/openapi.json'],
    ['GET', '/docs'],
    ['GET', '/cds-services'],
    ['GET', '/soap?wsdl'],
    ['GET', '/no/such/route'],
  ] as const) {
    const none = await call(method, url);
    t.equal(none.statusCode, 401, `${method} ${url} without key`);
    t.equal(none.headers['x-pa-error'], 'PA_UNAUTHORIZED');
    t.equal((await call(method, url, 'wrong-key')).statusCode, 401, `${method} ${url} with a wrong key`);
  }
});

t.test('the national routes answer 401 in the national shape', async (t) => {
  const res = await call('POST', '/nhsa/3101', undefined, genderViolation());
  t.equal(res.statusCode, 401);
  t.equal(res.json().infcode, -1);
});

t.test('roles: doctor-station checks, insurance-office reports, admin everything; 403 otherwise', async (t) => {
  const check = (key: string) => call('POST', '/nhsa/3101', key, genderViolation());
  t.equal((await check('k-doc')).json().infcode, 0);
  t.equal((await check('k-adm')).json().infcode, 0);
  const refused = await check('k-ins');
  t.equal(refused.statusCode, 403);
  t.equal(refused.json().infcode, -1);
  t.equal((await check('k-bur')).statusCode, 403);

  const report = (key: string) => call('GET', '/v1/reports/compliance', key);
  t.equal((await report('k-ins')).statusCode, 200);
  t.equal((await report('k-adm')).statusCode, 200);
  t.equal((await report('k-doc')).statusCode, 403);

  t.equal((await call('GET', '/metrics', 'k-adm')).statusCode, 200);
  t.equal((await call('GET', '/metrics', 'k-doc')).statusCode, 403);
  t.equal((await call('POST', '/v1/check', 'k-bur', { patient_dtos: [] })).statusCode, 403);
});

t.test('the audit log names the caller by role and key digest, never the key', async (t) => {
  await call('POST', '/nhsa/3101', 'k-doc', genderViolation('AUDIT-ROLE'));
  await app.auditLog.flush();
  const row = await app.db('audit_log').where({ ref: 'AUDIT-ROLE T-GENDER' }).first();
  t.ok(row, 'call logged');
  t.equal(row.role, 'doctor-station');
  t.match(row.actor, /^doctor-station#[0-9a-f]{8}$/);
  const dump = JSON.stringify(await app.db('audit_log').select());
  t.notMatch(dump, 'k-doc');
  const denied = await app.db('audit_log').where({ outcome: 'PA_FORBIDDEN' }).first();
  t.ok(denied, 'refusals are logged too');
});

t.test('without keys nothing is refused', async (t) => {
  const open = await testApp();
  t.teardown(() => open.close());
  t.equal((await open.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  t.equal((await open.inject({ method: 'GET', url: '/v1/reports/compliance' })).statusCode, 200);
});

t.test('an unknown role in the options is refused at build time', async (t) => {
  await t.rejects(testApp({ apiKeys: { k: 'janitor' as any } }), /unknown role/);
});
