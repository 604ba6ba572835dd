/**
 * The console-user flows, run by users.test.ts on SQLite, users.int.test.ts on PostgreSQL and
 * users.mysql.int.test.ts on MariaDB: login, cookie attributes, lockout and unlock by time, CSRF, API keys beside sessions, role guards
 * by user role, disabled users, session expiry, keyless mode, and the trail naming the user.
 */
import type { Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import knexFactory from 'knex';
import { dropMysqlDatabase, genderViolation, MYSQL_URL, NOW, PG_URL, testApp, uniqueName } from '../test-support/helpers.js';
import type { AppOptions } from '../options.js';
import { LOGIN_FAILED } from './session-routes.js';

export type Engine = 'sqlite' | 'pg' | 'mysql';

/** A mutable clock the app reads. */
export interface Clock {
  t: number;
  advance(ms: number): void;
}

/** Builds an app on a fresh database of `engine` (a private schema on PostgreSQL, database on MySQL, dropped at teardown). */
export async function appOn(t: Test, engine: Engine, options: AppOptions = {}): Promise<{ app: FastifyInstance; clock: Clock }> {
  const clock: Clock = {
    t: NOW.getTime(),
    advance(ms) {
      this.t += ms;
    },
  };
  const db: AppOptions = {};
  if (engine === 'pg') {
    const schema = uniqueName('users');
    Object.assign(db, { databaseUrl: PG_URL, databaseSchema: schema });
    t.teardown(async () => {
      const admin = knexFactory({ client: 'pg', connection: PG_URL });
      try {
        await admin.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await admin.destroy();
      }
    });
  }
  // A lower scrypt cost than the default keeps the suite quick; verification reads the cost from each hash.
  if (engine === 'mysql') {
    const database = uniqueName('users');
    Object.assign(db, { databaseUrl: MYSQL_URL, databaseSchema: database });
    t.teardown(() => dropMysqlDatabase(database));
  }
  const app = await testApp({ ...db, now: () => new Date(clock.t), users: { passwordCost: { N: 1 << 12, r: 8, p: 1 } }, ...options });
  t.teardown(() => app.close());
  return { app, clock };
}

/** The value of a cookie set by a reply, and its attribute string. */
export function setCookie(res: LightMyRequestResponse, name: string): { value: string; attrs: string } | undefined {
  const all = [res.headers['set-cookie'] ?? []].flat();
  const line = all.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';');
  return { value: pair.slice(name.length + 1), attrs: attrs.map((a) => a.trim()).join('; ') };
}

/** A logged-in browser: the cookie and the CSRF token. */
export interface Browser {
  cookie: string;
  csrf: string;
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, opts?: { csrf?: string | false }): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<Browser> {
  const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = `pa_session=${setCookie(res, 'pa_session')!.value}`;
  const csrf = res.json().csrfToken as string;
  return {
    cookie,
    csrf,
    call: (method, url, payload, opts = {}) =>
      app.inject({
        method,
        url,
        payload: payload as never,
        headers: { cookie, ...(opts.csrf === false ? {} : { 'x-csrf-token': opts.csrf ?? csrf }) },
      }),
  };
}

const ADMIN_KEY = 'k-admin-flows';
const PW = 'Zhuanyuan#2025';

async function addUser(app: FastifyInstance, username: string, userRole: string, extra: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    payload: { username, displayName: `用户${username}`, userRole, password: PW, ...extra },
  });
}

async function trailRows(app: FastifyInstance, where: Record<string, unknown>): Promise<Array<Record<string, any>>> {
  await app.trail.flush();
  return app.db('audit_log').where(where).orderBy('seq');
}

/** Every flow, on one engine. */
export async function userFlows(t: Test, engine: Engine): Promise<void> {
  const { app, clock } = await appOn(t, engine, { apiKeys: { [ADMIN_KEY]: 'admin', 'k-ins-flows': 'insurance-office' } });

  t.test('login: right password → session; wrong password and unknown user → the same 401', async (t) => {
    t.equal((await addUser(app, 'Wang.Fang', 'reviewer', { displayName: '王芳' })).statusCode, 201);
    const ok = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang.fang', password: PW } });
    t.equal(ok.statusCode, 200);
    const body = ok.json();
    t.match(body, { authMode: 'session', identity: { actor: 'wang.fang', role: 'insurance-office', userRole: 'reviewer' }, user: { displayName: '王芳' } });
    t.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    const bad = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang.fang', password: 'wrong-password-1' } });
    const unknown = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nobody', password: 'wrong-password-1' } });
    t.equal(bad.statusCode, 401);
    t.equal(unknown.statusCode, 401);
    t.equal(bad.json().error, unknown.json().error, 'the reply does not tell an unknown user from a wrong password');
    t.match(bad.json().error, LOGIN_FAILED);
    t.notOk(setCookie(bad, 'pa_session'), 'no cookie on failure');
    const bodyless = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang.fang' } });
    t.equal(bodyless.statusCode, 400);
    t.match(bodyless.json().fields, [{ field: 'password' }]);

    const rows = await trailRows(app, { action: 'session.login', ref: 'wang.fang' });
    t.same(
      rows.map((r) => [r.actor, r.outcome]),
      [
        ['wang.fang', 'ok'],
        ['anonymous', 'PA_UNAUTHORIZED'],
      ],
      'logins and failed logins are trail entries, the successful one under the user',
    );
    t.match(JSON.parse(rows[1].detail), { reason: 'bad-password' });
  });

  t.test('cookie attributes: HttpOnly, SameSite=Strict, Path=/, Max-Age; Secure over https (trusted proxy)', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang.fang', password: PW } });
    const s = setCookie(res, 'pa_session')!;
    t.match(s.value, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
    t.match(s.attrs, /HttpOnly/);
    t.match(s.attrs, /SameSite=Strict/);
    t.match(s.attrs, /Path=\//);
    t.match(s.attrs, /Max-Age=43200/);
    t.notMatch(s.attrs, /Secure/, 'plain http: no Secure');
    const csrf = setCookie(res, 'pa_csrf')!;
    t.equal(csrf.value, res.json().csrfToken);
    t.notMatch(csrf.attrs, /HttpOnly/, 'the CSRF cookie is readable by the console');
    const stored = await app.db('sessions').select('id_hash');
    t.notOk(
      stored.some((r) => r.id_hash === s.value),
      'only a hash of the token is stored',
    );

    const proxied = await appOn(t, engine, { trustProxy: true });
    await proxied.app.users.create({ username: 'li.si', userRole: 'reviewer', password: PW }, 'test');
    const https = await proxied.app.inject({ method: 'POST', url: '/v1/session', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'li.si', password: PW } });
    t.equal(https.statusCode, 200);
    t.match(setCookie(https, 'pa_session')!.attrs, /Secure/);
  });

  t.test('lockout after 5 failures in 15 min; refused even with the right password; unlocked after 15 min', async (t) => {
    await addUser(app, 'zhao.lei', 'reviewer');
    const attempt = (password: string) => app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'zhao.lei', password } });
    for (let i = 0; i < 4; i++) t.equal((await attempt('bad-password-1')).statusCode, 401);
    clock.advance(60_000);
    t.equal((await attempt('bad-password-1')).statusCode, 401, 'fifth failure locks');
    const locked = await attempt(PW);
    t.equal(locked.statusCode, 401, 'locked: the right password is refused');
    t.equal(locked.json().error, (await attempt('bad-password-1')).json().error, 'with the same message');
    const view = await app.inject({ method: 'GET', url: '/v1/users/zhao.lei', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    t.ok(view.json().lockedUntil, 'the admin sees the lock');
    const lockRows = await trailRows(app, { action: 'user.locked', ref: 'zhao.lei' });
    t.equal(lockRows.length, 1, 'the lockout is a trail entry');
    clock.advance(14 * 60_000);
    t.equal((await attempt(PW)).statusCode, 401, 'still locked after 14 min');
    clock.advance(2 * 60_000);
    t.equal((await attempt(PW)).statusCode, 200, 'unlocked after 15 min');
  });

  t.test('failures spread beyond the window do not lock', async (t) => {
    await addUser(app, 'sun.li', 'reviewer');
    const attempt = (password: string) => app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'sun.li', password } });
    for (let i = 0; i < 8; i++) {
      t.equal((await attempt('bad-password-1')).statusCode, 401);
      clock.advance(4 * 60_000);
    }
    t.equal((await attempt(PW)).statusCode, 200, '2 failures per 15 min never reach 5 in a window');
  });

  t.test('an admin unlocks a locked account at once', async (t) => {
    await addUser(app, 'he.jun', 'reviewer');
    const attempt = (password: string) => app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'he.jun', password } });
    for (let i = 0; i < 5; i++) await attempt('bad-password-1');
    t.equal((await attempt(PW)).statusCode, 401, 'locked');
    const unlocked = await app.inject({ method: 'PATCH', url: '/v1/users/he.jun', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { unlock: true } });
    t.equal(unlocked.statusCode, 200);
    t.equal(unlocked.json().lockedUntil, null);
    t.equal((await attempt(PW)).statusCode, 200);
    const bad = await app.inject({ method: 'PATCH', url: '/v1/users/he.jun', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { userRole: 'janitor' } });
    t.equal(bad.statusCode, 400);
    t.match(bad.json().fields, [{ field: 'userRole' }]);
    const missing = await app.inject({ method: 'PATCH', url: '/v1/users/nobody', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { disabled: true } });
    t.equal(missing.statusCode, 404);
  });

  t.test('CSRF: a state-changing request by cookie needs x-csrf-token; GET does not', async (t) => {
    await addUser(app, 'admin.wu', 'admin', { displayName: '吴管理' });
    const b = await login(app, 'admin.wu', PW);
    t.equal((await b.call('GET', '/v1/users', undefined, { csrf: false })).statusCode, 200, 'GET needs no token');
    const payload = { username: 'chen.jing', displayName: '陈静', userRole: 'head', password: PW };
    const without = await b.call('POST', '/v1/users', payload, { csrf: false });
    t.equal(without.statusCode, 403);
    t.equal(without.json().code, 'PA_FORBIDDEN');
    t.match(without.json().fields, [{ field: 'headers.x-csrf-token' }]);
    const wrong = await b.call('POST', '/v1/users', payload, { csrf: 'A'.repeat(43) });
    t.equal(wrong.statusCode, 403);
    const other = await login(app, 'wang.fang', PW);
    t.equal((await b.call('POST', '/v1/users', payload, { csrf: other.csrf })).statusCode, 403, "another session's token is refused");
    t.equal((await app.inject({ method: 'GET', url: '/v1/users/chen.jing', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).statusCode, 404, 'nothing was created');
    const ok = await b.call('POST', '/v1/users', payload);
    t.equal(ok.statusCode, 201);
    const rows = await trailRows(app, { action: 'user.create', actor: 'admin.wu' });
    t.same(
      rows.map((r) => [r.role, r.ref, r.outcome]),
      [
        ['admin', null, 'HTTP_403'],
        ['admin', null, 'HTTP_403'],
        ['admin', null, 'HTTP_403'],
        ['admin', 'chen.jing', 'ok'],
      ],
      'the trail names the person, refusals included',
    );
  });

  t.test('API keys still work, without CSRF, and win over a cookie', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { username: 'key.made', userRole: 'bureau', password: PW },
    });
    t.equal(res.statusCode, 201);
    const reviewer = await login(app, 'wang.fang', PW);
    const both = await app.inject({ method: 'GET', url: '/v1/users', headers: { authorization: `Bearer ${ADMIN_KEY}`, cookie: reviewer.cookie } });
    t.equal(both.statusCode, 200, 'the admin key decides, not the reviewer cookie');
    const who = await app.inject({ method: 'GET', url: '/v1/session', headers: { authorization: 'Bearer k-ins-flows' } });
    t.match(who.json(), { authMode: 'key', user: null, identity: { role: 'insurance-office' }, csrfToken: null });
    t.equal((await app.inject({ method: 'GET', url: '/v1/users', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  });

  t.test('role guards honour user roles', async (t) => {
    await addUser(app, 'dept.head', 'dept-head', { departments: ['D01', 'D02'] });
    await addUser(app, 'bureau.li', 'bureau');
    const dept = await login(app, 'dept.head', PW);
    const reviewer = await login(app, 'wang.fang', PW);
    const bureau = await login(app, 'bureau.li', PW);
    const me = (await dept.call('GET', '/v1/session')).json();
    t.match(me, { identity: { role: 'department', userRole: 'dept-head', departments: ['D01', 'D02'] }, permissions: { departmentScope: ['D01', 'D02'], review: false } });
    for (const url of ['/v1/audit-jobs', '/v1/reports/compliance']) {
      const refused = await dept.call('GET', url);
      t.equal(refused.statusCode, 403, `dept-head refused from ${url}`);
      t.equal(refused.json().code, 'PA_FORBIDDEN');
      t.equal((await reviewer.call('GET', url)).statusCode, 200, `reviewer reaches ${url}`);
    }
    t.equal((await reviewer.call('GET', '/v1/users')).statusCode, 403, 'a reviewer manages no users');
    t.equal((await bureau.call('GET', '/v1/audit-jobs')).statusCode, 403, 'bureau is not the insurance office');
    t.equal((await reviewer.call('POST', '/nhsa/3101', genderViolation('CONSOLE-1'))).statusCode, 403, 'people are not doctor stations');
    const head = (await login(app, 'chen.jing', PW)).call('GET', '/v1/session');
    t.match((await head).json().permissions, { mayUnmask: true, finalDecision: true, review: true, manageUsers: false });
    t.match((await reviewer.call('GET', '/v1/session')).json().permissions, { mayUnmask: false, finalDecision: false });
  });

  t.test('a disabled user is refused at login and loses their sessions; the last admin stays', async (t) => {
    await addUser(app, 'zhou.min', 'reviewer');
    const b = await login(app, 'zhou.min', PW);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 200);
    const off = await app.inject({ method: 'PATCH', url: '/v1/users/zhou.min', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { disabled: true } });
    t.equal(off.statusCode, 200);
    t.equal(off.json().disabled, true);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 401, 'the open session ends');
    const refused = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'zhou.min', password: PW } });
    t.equal(refused.statusCode, 401);
    t.equal(refused.json().error.includes(LOGIN_FAILED), true);
    const admins = (await app.inject({ method: 'GET', url: '/v1/users?q=admin', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json().items;
    t.same(
      admins.map((u: { username: string }) => u.username),
      ['admin.wu'],
    );
    for (const q of ['%', '_', '!']) {
      const none = await app.inject({ method: 'GET', url: `/v1/users?q=${encodeURIComponent(q)}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      t.equal(none.json().total, 0, `q=${q} is a plain character, not a wildcard`);
    }
    const byName = await app.inject({ method: 'GET', url: `/v1/users?q=${encodeURIComponent('王芳')}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    t.same(
      byName.json().items.map((u: { username: string }) => u.username),
      ['wang.fang'],
      'q finds display names too',
    );
    const last = await app.inject({ method: 'PATCH', url: '/v1/users/admin.wu', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { disabled: true } });
    t.equal(last.statusCode, 400);
    t.match(last.json().fields, [{ field: 'disabled' }]);
  });

  t.test('sessions end after 30 idle minutes and after 12 hours in any case', async (t) => {
    const b = await login(app, 'wang.fang', PW);
    clock.advance(20 * 60_000);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 200);
    clock.advance(20 * 60_000);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 200, 'idle time counts from the last request');
    clock.advance(31 * 60_000);
    const idle = await b.call('GET', '/v1/session');
    t.equal(idle.statusCode, 401, 'idle too long');
    t.match(setCookie(idle, 'pa_session')?.attrs ?? '', /Expires=Thu, 01 Jan 1970/, 'the stale cookie is cleared');

    const c = await login(app, 'wang.fang', PW);
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * 60_000);
      const r = await c.call('GET', '/v1/session');
      if (i < 35 && (i + 1) * 20 < 12 * 60) t.equal(r.statusCode, 200);
      else {
        t.equal(r.statusCode, 401, 'past the absolute end');
        break;
      }
    }
  });

  t.test('logout needs the CSRF token and ends the session', async (t) => {
    const b = await login(app, 'wang.fang', PW);
    t.equal((await b.call('DELETE', '/v1/session', undefined, { csrf: false })).statusCode, 403);
    const out = await b.call('DELETE', '/v1/session');
    t.equal(out.statusCode, 204);
    t.match(setCookie(out, 'pa_session')!.attrs, /Expires=Thu, 01 Jan 1970/);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 401);
    const rows = await trailRows(app, { action: 'session.logout', outcome: 'ok' });
    t.equal(rows.at(-1)!.actor, 'wang.fang');
  });

  t.test('passwords: the policy names the field; own change and admin reset', async (t) => {
    for (const [password, why] of [
      ['short1', /至少 10/],
      ['onlyletterslong', /至少两类/],
      ['xu.ming-12345', /登录名/],
    ] as const) {
      const res = await addUser(app, 'xu.ming', 'reviewer', { password });
      t.equal(res.statusCode, 400);
      t.match(res.json().fields, [{ field: 'password', message: why }]);
    }
    t.equal((await addUser(app, 'xu.ming', 'reviewer')).statusCode, 201);
    t.equal((await addUser(app, 'XU.MING', 'reviewer')).statusCode, 400, 'login names are unique whatever the case');
    t.match((await addUser(app, 'dept.nodept', 'dept-head')).json().fields, [{ field: 'departments' }]);
    const b = await login(app, 'xu.ming', PW);
    const other = await login(app, 'xu.ming', PW);
    t.equal((await b.call('POST', '/v1/session/password', { currentPassword: 'nope-nope-1', newPassword: 'Xinmima!2026' })).statusCode, 400);
    t.equal((await b.call('POST', '/v1/session/password', { currentPassword: PW, newPassword: 'Xinmima!2026' })).statusCode, 204);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 200, 'this session goes on');
    t.equal((await other.call('GET', '/v1/session')).statusCode, 401, 'other sessions end');
    await login(app, 'xu.ming', 'Xinmima!2026');
    const reset = await app.inject({ method: 'POST', url: '/v1/users/xu.ming/password', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { password: 'Chongzhi#2027' } });
    t.equal(reset.statusCode, 200);
    t.equal((await b.call('GET', '/v1/session')).statusCode, 401, 'a reset ends the sessions');
    await login(app, 'xu.ming', 'Chongzhi#2027');
    const dump = JSON.stringify(await trailRows(app, {}));
    t.notMatch(dump, 'Chongzhi#2027', 'no password in the trail');
    t.notMatch(dump, PW);
  });

  t.test('keyless mode: open without users; once a user exists the console needs a login, the doctor-station door stays open', async (t) => {
    const { app: dev } = await appOn(t, engine);
    const open = await dev.inject({ method: 'GET', url: '/v1/session' });
    t.equal(open.statusCode, 200);
    t.match(open.json(), { authMode: 'none', loginRequired: false, user: null });
    t.equal((await dev.inject({ method: 'GET', url: '/v1/reports/compliance' })).statusCode, 200, 'no users: open as before');
    const created = await dev.inject({ method: 'POST', url: '/v1/users', payload: { username: 'admin', displayName: '管理员', userRole: 'admin', password: PW } });
    t.equal(created.statusCode, 201, 'the first admin may be created over loopback while no user exists');
    t.equal((await dev.inject({ method: 'GET', url: '/v1/session' })).statusCode, 401, 'now a login is required');
    t.equal((await dev.inject({ method: 'GET', url: '/v1/reports/compliance' })).statusCode, 401);
    t.equal((await dev.inject({ method: 'GET', url: '/v1/users' })).statusCode, 401);
    const check = await dev.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation('KEYLESS-1') });
    t.equal(check.json().infcode, 0, 'the HIS on loopback still checks without a login');
    const b = await login(dev, 'admin', PW);
    t.equal((await b.call('GET', '/v1/reports/compliance')).statusCode, 200);
    const made = await b.call('POST', '/v1/users', { username: 'reviewer1', userRole: 'reviewer', password: PW });
    t.equal(made.statusCode, 201);
    const foreign = await dev.inject({ method: 'GET', url: '/v1/session', headers: { cookie: b.cookie, host: 'evil.example' } });
    t.equal(foreign.statusCode, 403, 'keyless: the Host check still applies to sessions');
    const rows = await trailRows(dev, { action: 'user.create' });
    t.same(
      rows.map((r) => r.actor),
      ['anonymous', 'admin'],
    );
  });
}
