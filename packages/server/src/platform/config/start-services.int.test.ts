/**
 * The built start script (dist/start.js) with good settings in action: PA_DATA_DIR holds the
 * database, PA_LOG_FILE gets the log as well as stdout, PA_TLS_CERT/PA_TLS_KEY serve https.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const START = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/start.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-services-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [START], { cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening at (https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`exited:\n${out}`)));
  });
  return { child, base, output: () => out, exited };
}

t.test('PA_DATA_DIR holds the database; PA_LOG_FILE gets the log as well as stdout', async (t) => {
  const data = path.join(dir, 'var', 'preaudit');
  const logs = path.join(dir, 'logs');
  const s = await start({ PA_DATA_DIR: data, PA_LOG_FILE: path.join(logs, 'preaudit.log'), LOG_LEVEL: 'debug', PA_LOG_FILE_SIZE: '2k', PA_LOG_FILE_COUNT: '2' });
  for (let i = 0; i < 30; i++) t.equal((await fetch(`${s.base}/health`)).status, 200);
  s.child.kill('SIGTERM');
  t.equal(await s.exited, 0);
  t.ok(fs.existsSync(path.join(data, 'preaudit.sqlite')), 'database in PA_DATA_DIR');
  t.notOk(fs.existsSync(path.join(dir, 'data', 'preaudit.sqlite')), 'nothing in ./data');
  t.match(s.output(), /listening at/, 'stdout has the log');
  const files = fs.readdirSync(logs).filter((f) => f.endsWith('.log'));
  // 2 kB files: rotated, and no more than the current one and PA_LOG_FILE_COUNT older ones kept.
  t.ok(files.length >= 2 && files.length <= 3, `rotated log files: ${files.join(', ')}`);
  const text = files.map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
  t.match(text, /"msg":"closed"/, 'flushed through the close');
  for (const line of text.trim().split('\n')) JSON.parse(line);
});

t.test('PA_TLS_CERT and PA_TLS_KEY: the service answers https', async (t) => {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  t.equal(made.status, 0, made.stderr);
  const s = await start({ PA_DATA_DIR: path.join(dir, 'tls-data'), PA_TLS_CERT: cert, PA_TLS_KEY: key });
  t.match(s.base, /^https:\/\//);
  const ca = fs.readFileSync(cert);
  const wsdl = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    https
      .get(`${s.base}/soap?wsdl`, { ca }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
  t.equal(wsdl.status, 200);
  t.match(wsdl.body, `location="${s.base}/soap"`, 'the WSDL carries the https address');
  const plain = await fetch(s.base.replace('https:', 'http:') + '/health').then(
    () => 'answered',
    () => 'refused',
  );
  t.equal(plain, 'refused', 'no plain http on the port');
  s.child.kill('SIGTERM');
  t.equal(await s.exited, 0);
});
