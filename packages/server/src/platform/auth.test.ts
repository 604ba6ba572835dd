import t from 'tap';
import net from 'node:net';
import Fastify from 'fastify';
import auth from './auth.js';
import { resolveOptions } from '../options.js';
import { genderViolation, testApp } from '../test-support/helpers.js';

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

t.test('the trail names the caller by role and key digest, never the key', async (t) => {
  await call('POST', '/nhsa/3101', 'k-doc', genderViolation('AUDIT-ROLE'));
  await app.trail.flush();
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

/** Sends the head of a request whose body never comes, and resolves with the first bytes answered (or '' after `ms`). */
function answerWithoutBody(port: number, head: string, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head + 'x'.repeat(1024)));
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(got);
    }, ms);
    socket.on('data', (b) => {
      got += b.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', reject);
  });
}

t.test('a wrong-role key uploading a large rulebook is refused before the body is read (#14)', async (t) => {
  const listening = await testApp({ apiKeys: { ...keys } });
  t.teardown(() => listening.close());
  await listening.listen({ port: 0, host: '127.0.0.1' });
  const port = (listening.server.address() as net.AddressInfo).port;
  const head = (key: string) => `PUT /v1/rulebooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 60000000\r\n\r\n`;
  const refused = await answerWithoutBody(port, head('k-doc'));
  t.match(refused, /^HTTP\/1\.1 403/, 'doctor-station refused while 59 MB of the body are still to come');
  t.match(refused, /x-pa-error: PA_FORBIDDEN/i);
  const waiting = await answerWithoutBody(port, head('k-bur'), 500);
  t.equal(waiting, '', 'the bureau key is let through to the body (nothing answered while it is incomplete)');
});

t.test('a route registering a role guard as preHandler is refused at start-up (#14)', async (t) => {
  const bare = Fastify();
  t.teardown(() => bare.close());
  bare.decorate('config', resolveOptions({ apiKeys: { k: 'bureau' } }));
  await bare.register(auth);
  const declare = async () => {
    await bare.register(async (routes) => {
      routes.post('/late', { preHandler: routes.requireRole('bureau') }, async () => 'x');
    });
    await bare.ready();
  };
  await t.rejects(declare, /must be registered as onRequest/);
});
