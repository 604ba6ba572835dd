/**
 * The operator's files in deploy/: the systemd unit passes `systemd-analyze verify` and has what
 * a long-running service needs; the WinSW XML is well-formed and starts what the archive holds;
 * the nginx example passes `nginx -t` and, run in front of the built service with
 * PA_TRUST_PROXY, makes the WSDL carry the public https address. Every variable the files set is
 * one the service knows (its documented table in packages/server/README.md).
 * Substitutions, because this machine is not the hospital's server: the unit's ExecStart points
 * at an executable that exists here; nginx listens on free ports, with a throw-away certificate,
 * and proxies to the service's free port.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import sax from 'sax';
import { freePort, ROOT, startService } from './support/service.js';

const deploy = path.join(ROOT, 'deploy');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-deploy-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const serverReadme = fs.readFileSync(path.join(ROOT, 'packages/server/README.md'), 'utf8');
const has = (cmd: string, arg = '--version') => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;

/** `key=value` lines of an ini-style unit, per section. */
function unitKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n')) {
    const s = /^\[(\w+)\]$/.exec(line.trim());
    if (s) section = s[1];
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv) keys.set(`${section}.${kv[1]}`, [...(keys.get(`${section}.${kv[1]}`) ?? []), kv[2]]);
  }
  return keys;
}

t.test('systemd unit: verified, restarts on failure, dedicated user, data directory, hardened', async (t) => {
  const unit = fs.readFileSync(path.join(deploy, 'systemd/preaudit.service'), 'utf8');
  const keys = unitKeys(unit);
  t.same(keys.get('Service.User'), ['preaudit']);
  t.same(keys.get('Service.Restart'), ['on-failure']);
  t.same(keys.get('Service.WorkingDirectory'), ['/opt/preaudit/current']);
  t.same(keys.get('Service.EnvironmentFile'), ['/etc/preaudit/preaudit.env']);
  t.same(keys.get('Service.StateDirectory'), ['preaudit']);
  t.ok(keys.get('Service.Environment')?.includes('PA_DATA_DIR=/var/lib/preaudit'), 'PA_DATA_DIR is the StateDirectory');
  for (const k of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp']) t.ok(keys.get(`Service.${k}`), `hardening: ${k}`);
  t.same(keys.get('Service.ExecStart'), ['/opt/preaudit/current/bin/preaudit-server'], "starts the archive's start script");

  if (!has('systemd-analyze')) {
    t.comment('systemd-analyze not installed: the unit is only parsed');
    return;
  }
  const copy = path.join(tmp, 'preaudit.service');
  fs.writeFileSync(copy, unit.replace('/opt/preaudit/current/bin/preaudit-server', process.execPath));
  const verify = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
  t.equal(verify.status, 0, verify.stderr);
  t.equal(verify.stderr.trim(), '', 'no warnings');
});

t.test('the settings the deploy files set are variables the service documents', async (t) => {
  const env = fs.readFileSync(path.join(deploy, 'systemd/preaudit.env'), 'utf8');
  const xml = fs.readFileSync(path.join(deploy, 'windows/preaudit-service.xml'), 'utf8');
  const names = new Set([...env.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  for (const m of xml.matchAll(/<env name="([A-Z0-9_]+)"/g)) names.add(m[1]);
  for (const m of fs.readFileSync(path.join(deploy, 'nginx/preaudit.conf'), 'utf8').matchAll(/\b(PA_[A-Z_]+)=/g)) names.add(m[1]);
  t.ok(names.size > 5);
  for (const name of names) {
    if (name === 'NODE_ENV') continue;
    t.ok(serverReadme.includes(`\`${name}\``), `${name} is in the server README's table`);
  }
});

t.test('WinSW XML: well-formed, runs launch.mjs of the installation with restarts', async (t) => {
  const xml = fs.readFileSync(path.join(deploy, 'windows/preaudit-service.xml'), 'utf8');
  const parser = sax.parser(true);
  const elements: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  parser.onopentag = (node) => elements.push({ name: node.name, attributes: node.attributes as Record<string, string>, text: '' });
  parser.ontext = (text) => {
    if (elements.length) elements[elements.length - 1].text += text;
  };
  t.doesNotThrow(() => parser.write(xml).close(), 'well-formed XML');
  const text = (name: string) => elements.find((e) => e.name === name)?.text.trim();
  t.equal(elements[0]?.name, 'service');
  t.equal(text('id'), 'preaudit');
  t.equal(text('executable'), 'node');
  t.match(text('arguments'), /launch\.mjs" server$/);
  t.equal(text('workingdirectory'), '%BASE%');
  t.ok(
    elements.filter((e) => e.name === 'onfailure').every((e) => e.attributes.action === 'restart'),
    'restarts on failure',
  );
  t.ok(elements.some((e) => e.name === 'env' && e.attributes.name === 'PA_DATA_DIR'));
});

t.test('nginx example: nginx -t accepts it; in front of the service the WSDL carries the public https address', async (t) => {
  if (!has('nginx', '-v') || !has('openssl', 'version')) {
    t.comment('nginx or openssl not installed: the example is not run (apt-get install nginx)');
    return;
  }
  const [httpPort, httpsPort, servicePort] = [await freePort(), await freePort(), await freePort()];
  const cert = path.join(tmp, 'cert.pem');
  const key = path.join(tmp, 'key.pem');
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=preaudit.hospital.example', '-days', '1', '-keyout', key, '-out', cert], {
    encoding: 'utf8',
  });
  t.equal(ssl.status, 0, 'throw-away certificate');
  const site = fs
    .readFileSync(path.join(deploy, 'nginx/preaudit.conf'), 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${servicePort};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace('/etc/nginx/tls/preaudit.crt', cert)
    .replace('/etc/nginx/tls/preaudit.key', key);
  fs.writeFileSync(path.join(tmp, 'preaudit.conf'), site);
  fs.mkdirSync(path.join(tmp, 'logs'));
  const main = `pid ${tmp}/nginx.pid;\nerror_log ${tmp}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${tmp}/body;\n  proxy_temp_path ${tmp}/proxy;\n  fastcgi_temp_path ${tmp}/fastcgi;\n  uwsgi_temp_path ${tmp}/uwsgi;\n  scgi_temp_path ${tmp}/scgi;\n  include ${tmp}/preaudit.conf;\n}\n`;
  fs.writeFileSync(path.join(tmp, 'nginx.conf'), main);
  const check = spawnSync('nginx', ['-t', '-p', tmp, '-c', path.join(tmp, 'nginx.conf')], { encoding: 'utf8' });
  t.equal(check.status, 0, check.stderr);

  const service = await startService(`exec "${process.execPath}" packages/server/dist/start.js`, {
    cwd: ROOT,
    port: servicePort,
    // With API keys, as deploy/systemd/preaudit.env has them (without, only loopback Host names are served).
    env: {
      PORT: String(servicePort),
      HOST: '127.0.0.1',
      PA_TRUST_PROXY: '127.0.0.1',
      PA_PUBLIC_HOSTS: 'preaudit.hospital.example',
      PA_API_KEYS: 'nginx-test-key:admin',
      PA_DATA_DIR: path.join(tmp, 'data'),
    },
  });
  t.teardown(() => service.stop());
  const nginx = spawn('nginx', ['-p', tmp, '-c', path.join(tmp, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  t.teardown(() => {
    nginx.kill('SIGQUIT');
  });
  const get = (p: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.get(
        { host: '127.0.0.1', port: httpsPort, path: p, headers: { host: 'preaudit.hospital.example', authorization: 'Bearer nginx-test-key' }, rejectUnauthorized: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
    });
  let wsdl: { status: number; body: string } | undefined;
  for (let i = 0; i < 100 && !wsdl; i++) {
    wsdl = await get('/soap?wsdl').catch(() => undefined);
    if (!wsdl) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(wsdl?.status, 200, 'WSDL through nginx');
  t.match(wsdl?.body, /location="https:\/\/preaudit\.hospital\.example(:\d+)?\/soap"/, 'soap:address is the public https address');
});
