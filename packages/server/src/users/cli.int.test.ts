/**
 * `preaudit user …` end to end: the real command (a child process) against a SQLite file and a
 * PostgreSQL schema, then the service on the same database: the users log in, the CLI's changes
 * land in the trail.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { PG_URL, testApp, uniqueName } from '../test-support/helpers.js';
import { login } from './flows.test-helper.js';
import { runUserCommand, type UserCliIo, type UserCommand } from './cli.js';

// Child processes start slowly on a loaded machine.
t.setTimeout(600_000);

/** The verbs in-process (same code as the command, without a process start each). */
async function userCmd(cmd: UserCommand, password = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: UserCliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    readPassword: async () => password,
  };
  const code = await runUserCommand(cmd, io);
  return { code, stdout, stderr };
}

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cli/main.ts');
const PW = 'Guanliyuan#2025';

/** Runs `preaudit <args>` with `input` on stdin and the given environment. */
function preaudit(args: string[], input: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, DATABASE_URL: '', DATABASE_SCHEMA: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

t.test('SQLite: add the first admin, reset, disable; the service logs them in and records the changes', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pa-user-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'preaudit.sqlite');
  const db = ['--database-url', file];

  const added = await preaudit(['user', 'add', 'admin', '--role', 'admin', '--name', '管理员', '--password-stdin', ...db], `${PW}\n`);
  t.equal(added.code, 0, added.stderr);
  t.match(added.stdout, 'user admin (管理员, admin) created');
  const weak = await userCmd({ verb: 'add', username: 'weak', role: 'reviewer', databaseUrl: file }, 'short');
  t.equal(weak.code, 2, 'a weak password is bad input');
  t.match(weak.stderr, /password: 密码至少 10 个字符/);
  const role = await preaudit(['user', 'add', 'x1', '--role', 'janitor', ...db], `${PW}\n`);
  t.not(role.code, 0);
  t.match(role.stderr, /janitor/);
  const dept = await userCmd({ verb: 'add', username: 'dept01', role: 'dept-head', departments: 'D01, D02', databaseUrl: file }, PW);
  t.equal(dept.code, 0, dept.stderr);
  const list = await userCmd({ verb: 'list', json: true, databaseUrl: file });
  t.match(JSON.parse(list.stdout), [
    { username: 'admin', userRole: 'admin', displayName: '管理员' },
    { username: 'dept01', userRole: 'dept-head', departments: ['D01', 'D02'] },
  ]);
  // The last admin cannot be disabled from the CLI either.
  const last = await userCmd({ verb: 'disable', username: 'admin', databaseUrl: file });
  t.equal(last.code, 2);
  t.match(last.stderr, /管理员/);

  const app = await testApp({ databaseUrl: file, users: { eventPollMs: 100 } });
  t.teardown(() => app.close());
  const hash = await app.db('users').where({ username: 'admin' }).first('password_hash');
  t.match(hash.password_hash, /^scrypt\$32768\$8\$1\$/, 'the default cost is stored with the hash');
  const admin = await login(app, 'admin', PW);
  t.match((await admin.call('GET', '/v1/session')).json(), { identity: { actor: 'admin', role: 'admin' } });
  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/compliance' })).statusCode, 401, 'keyless, but a user exists: log in first');
  await app.trail.flush();
  const copied = await app.db('audit_log').where('action', 'like', 'user.cli.%').orderBy('seq');
  t.same(
    copied.map((r) => [r.action, r.ref]),
    [
      ['user.cli.add', 'admin'],
      ['user.cli.add', 'dept01'],
    ],
    'CLI changes made before the start are in the trail',
  );
  t.match(copied[0].actor, /^cli:/);

  // While the service runs: reset and disable.
  const reset = await preaudit(['user', 'reset', 'dept01', '--password-stdin', ...db], 'Xinmima!2026\n');
  t.equal(reset.code, 0, reset.stderr);
  await t.rejects(login(app, 'dept01', PW), /401/, 'the old password no longer works');
  const dept01 = await login(app, 'dept01', 'Xinmima!2026');
  t.equal((await dept01.call('GET', '/v1/session')).statusCode, 200);
  const disabled = await userCmd({ verb: 'disable', username: 'dept01', databaseUrl: file });
  t.equal(disabled.code, 0, disabled.stderr);
  t.equal((await dept01.call('GET', '/v1/session')).statusCode, 401, 'the disabled user loses the open session');
  await t.rejects(login(app, 'dept01', 'Xinmima!2026'), /401/);
  const missing = await userCmd({ verb: 'reset', username: 'nobody', databaseUrl: file }, PW);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nobody 不存在/);

  const deadline = Date.now() + 10_000;
  let actions: string[] = [];
  while (Date.now() < deadline) {
    await app.trail.flush();
    actions = (await app.db('audit_log').where('action', 'like', 'user.cli.%').orderBy('seq').select('action')).map((r) => r.action);
    if (actions.length >= 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.same(actions, ['user.cli.add', 'user.cli.add', 'user.cli.reset', 'user.cli.disable'], 'changes made while the service runs are copied into the trail');
});

t.test('PostgreSQL: the same environment as the service (DATABASE_URL, DATABASE_SCHEMA)', async (t) => {
  const schema = uniqueName('usercli');
  t.teardown(async () => {
    const admin = knexFactory({ client: 'pg', connection: PG_URL });
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
  });
  const env = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema };
  const added = await preaudit(['user', 'add', 'zhuren', '--role', 'head', '--name', '李主任'], `${PW}\n`, env);
  t.equal(added.code, 0, added.stderr);
  const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema });
  t.teardown(() => app.close());
  const head = await login(app, 'zhuren', PW);
  t.match((await head.call('GET', '/v1/session')).json(), { identity: { actor: 'zhuren', role: 'insurance-office', userRole: 'head' }, permissions: { mayUnmask: true } });
  t.equal((await head.call('GET', '/v1/reports/compliance')).statusCode, 200);
});
