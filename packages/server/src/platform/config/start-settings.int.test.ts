/**
 * The built start script (dist/start.js, what `npm start` runs) with bad settings: each stops
 * the start with one line on stderr naming the variable, exit code 1, no stack trace, and no
 * part of a key or password. (Good settings in action: start-services.int.test.ts.)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const START = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/start.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-settings-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [START],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: '0', PA_DATA_DIR: path.join(dir, 'data'), ...env }, encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
  });
}

t.test('a bad setting stops the start with one line naming the variable', async (t) => {
  t.ok(fs.existsSync(START), `built server at ${START} (run the build first)`);
  const keys = path.join(dir, 'keys.txt');
  fs.writeFileSync(keys, 'Zq9secretkey:janitor\n');
  const cases: Array<[Record<string, string>, string]> = [
    [{ DATABASE_URL: 'mysql:/root@127.0.0.1:3306/x' }, 'preaudit: DATABASE_URL: unsupported scheme "mysql:" (expected postgres://, mysql://, sqlite: or a file path)'],
    [{ DATABASE_URL: 'foo://u:Zq9secretkey@h/x' }, 'preaudit: DATABASE_URL: unsupported scheme "foo:" (expected postgres://, mysql://, sqlite: or a file path)'],
    [{ PORT: '80000' }, 'preaudit: PORT: out of range (0 to 65535), got "80000"'],
    [{ PORT: 'http' }, 'preaudit: PORT: not a whole number, got "http"'],
    [{ PA_BODY_LIMIT: 'four megabytes' }, 'preaudit: PA_BODY_LIMIT: must be a size in bytes, or a number with k, m or g (4m), got "four megabytes"'],
    [{ PA_API_KEYS_FILE: path.join(dir, 'missing.txt') }, `preaudit: PA_API_KEYS_FILE: cannot read ${path.join(dir, 'missing.txt')}: no such file`],
    [{ PA_API_KEYS_FILE: keys }, 'preaudit: PA_API_KEYS_FILE: entry 1: unknown role "janitor" (expected doctor-station, insurance-office, department, bureau, admin)'],
    [{ PA_API_KEYS: 'Zq9secretkey' }, 'preaudit: PA_API_KEYS: entry 1: expected key:role'],
    [{ PA_TLS_CERT: keys }, 'preaudit: PA_TLS_KEY: set both PA_TLS_CERT and PA_TLS_KEY, or neither'],
    [{ PA_TLS_CERT: keys, PA_TLS_KEY: keys }, `preaudit: PA_TLS_CERT: no PEM certificate in ${keys}`],
  ];
  // In parallel: each start loads Node and the settings code only, but the machine may be busy.
  const results = await Promise.all(cases.map(([env]) => run(env)));
  for (const [i, [env, line]] of cases.entries()) {
    const r = results[i];
    t.equal(r.code, 1, `${JSON.stringify(env)}: exit code 1`);
    t.equal(r.stderr, `${line}\n`, 'one line on stderr');
    t.notMatch(r.stderr + r.stdout, /Zq9|secretkey|\n\s+at /, 'no key, password or stack trace');
  }
});

t.test('a database that does not answer: one line, exit 1', async (t) => {
  const r = await run({ DATABASE_URL: 'postgres://postgres:Zq9secretkey@127.0.0.1:1/none' });
  t.equal(r.code, 1);
  t.match(r.stderr, /^preaudit: could not start: .*\n$/);
  t.notMatch(r.stderr, /Zq9/);
});
