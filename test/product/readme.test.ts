/**
 * The root README's ```sh blocks, run as written from the repository root against the built
 * service, with their outputs checked against what the README says.
 *
 * What is run and what is substituted:
 * - the set-up block (`npm install && npm start`, `npm test`): `npm install` and `npm test` are not
 *   re-run from inside `npm test`; the test checks they are the README's lines and that
 *   `npm start` is what it starts the service with (so `scripts/start.mjs` serves it);
 * - every other command runs verbatim through sh, except that `localhost:8080` becomes
 *   `localhost:<free port>`, the service gets PORT=<that port> and PA_DATA_DIR=<a temporary
 *   folder> (so the test does not touch ./data), and the 3103 example's placeholder
 *   `<jr_id from the 3101 reply>` becomes the jr_id of the 3101 reply just before it.
 * A new sh block in the README fails this test until the test knows what its output should be.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freePort, ROOT, startService } from './support/service.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-readme-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The commands of a block: comment lines dropped, a command running on while a ' quote is open. */
function commands(block: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of block.split('\n')) {
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    current = current ? `${current}\n${line}` : line;
    if ((current.match(/'/g) ?? []).length % 2 === 0) {
      out.push(current.replace(/\s+#[^'\n]*$/, '').trim());
      current = '';
    }
  }
  return out;
}

/** Runs one README command through sh in the repository root. */
function sh(command: string, env: Record<string, string> = {}) {
  return spawnSync('sh', ['-c', command], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

const all = blocks.map(commands);
t.equal(all.length, 4, 'the README has the four sh blocks this test knows');
const [setup, cli, http, keys] = all;

t.test('set-up block: npm install && npm start, npm test', async (t) => {
  t.same(setup, ['npm install && npm start', 'npm test']);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  t.ok(pkg.scripts.prepare, 'npm install builds (prepare)');
  t.equal(
    pkg.scripts.start,
    'exec node --max-semi-space-size=64 scripts/start.mjs',
    "npm start serves the build (scripts/start.mjs) with the service's young generation, exec'd so signals reach it",
  );
  t.ok(pkg.scripts.test, 'npm test');
});

t.test('npx preaudit check …: exit 1 with findings in the national reply', async (t) => {
  t.same(cli, ['npx preaudit check examples/3101-outpatient-violations.json']);
  const r = sh(cli[0], { npm_config_offline: 'true' });
  t.equal(r.status, 1, `exit code 1 = findings (${r.stderr})`);
  const reply = JSON.parse(r.stdout);
  t.equal(reply.infcode, 0);
  t.ok(reply.output.result.length > 0);
});

t.test('npm start, then the curl calls of "Call it over HTTP"', async (t) => {
  const port = await freePort();
  const service = await startService('npm start', { cwd: ROOT, port, env: { PORT: String(port), PA_DATA_DIR: path.join(tmp, 'open') } });
  t.teardown(() => service.stop());
  t.match(service.logs(), /authentication is off, listening on loopback/, 'no keys: loopback only, and it says so');

  t.equal(http.length, 2);
  const r3101 = sh(http[0].replaceAll('localhost:8080', `localhost:${port}`));
  t.equal(r3101.status, 0, r3101.stderr);
  const reply = JSON.parse(r3101.stdout);
  t.equal(reply.infcode, 0);
  // What the README's "→" comment shows is in the reply.
  const shown = /# → (\{[\s\S]*?)\n\n/.exec(blocks[2])![1];
  for (const [, key, value] of shown.matchAll(/"(\w+)":"([^"…]+)"/g)) {
    if (key === 'err_msg' || key === 'warn_msg') continue;
    t.ok(
      reply.output.result.some((f: Record<string, unknown>) => f[key] === value),
      `the reply has ${key} "${value}" as the README shows`,
    );
  }

  const jrId = reply.output.result[0].jr_id as string;
  const r3103 = sh(http[1].replaceAll('localhost:8080', `localhost:${port}`).replace('<jr_id from the 3101 reply>', jrId));
  t.equal(r3103.status, 0, r3103.stderr);
  t.equal(JSON.parse(r3103.stdout).infcode, 0, `3103 accepted: ${r3103.stdout}`);
  t.ok(await service.stop(), 'npm start: SIGTERM to the process group closes the service gracefully');
});

t.test('API keys and roles: keys in the environment, the bearer curl', async (t) => {
  t.equal(keys.length, 2);
  t.match(keys[0], /^PA_API_KEYS='k1:doctor-station,k2:insurance-office,k3:bureau,k4:admin' HOST=0\.0\.0\.0 npm start$/);
  const port = await freePort();
  const service = await startService(keys[0], { cwd: ROOT, port, env: { PORT: String(port), PA_DATA_DIR: path.join(tmp, 'keys') } });
  t.teardown(() => service.stop());
  const r = sh(keys[1].replaceAll('localhost:8080', `localhost:${port}`));
  t.equal(r.status, 0, r.stderr);
  const reply = JSON.parse(r.stdout);
  t.equal(reply.infcode, 0);
  t.ok(reply.output.result.length > 0, 'k1 (doctor-station) may check');
  const anonymous = sh(keys[1].replaceAll('localhost:8080', `localhost:${port}`).replace("-H 'authorization: Bearer k1' ", '') + ' -o /dev/null -w "%{http_code}"');
  t.equal(anonymous.stdout, '401', 'without the key: 401, as the README says');
  t.ok(await service.stop(), 'closes gracefully');
});
