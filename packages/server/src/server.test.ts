import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { configFromEnv, parseApiKeys } from './server.js';
import { resolveOptions } from './options.js';

t.test('PA_API_KEYS parses key:role pairs', async (t) => {
  t.same(parseApiKeys('k1:doctor-station,k2:insurance-office, k3:bureau ,k4:admin', 'env'), {
    k1: 'doctor-station',
    k2: 'insurance-office',
    k3: 'bureau',
    k4: 'admin',
  });
  t.throws(() => parseApiKeys('k1:janitor', 'env'), /unknown role "janitor"/);
  t.throws(() => parseApiKeys('k1', 'env'), /expected key:role/);
});

t.test('PA_API_KEYS_FILE: one key per line with comments, or JSON', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-keys-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const lines = path.join(dir, 'keys.txt');
  fs.writeFileSync(lines, '# doctor stations\nabc123:doctor-station\n\nxyz789 admin # ops\n');
  t.same(configFromEnv({ PA_API_KEYS_FILE: lines }).app.apiKeys, { abc123: 'doctor-station', xyz789: 'admin' });
  const json = path.join(dir, 'keys.json');
  fs.writeFileSync(json, JSON.stringify({ k: 'bureau' }));
  t.same(configFromEnv({ PA_API_KEYS_FILE: json, PA_API_KEYS: 'k2:admin' }).app.apiKeys, { k: 'bureau', k2: 'admin' });
});

t.test('defaults: port 8080, SQLite under ./data, loopback without keys', async (t) => {
  const c = configFromEnv({});
  t.equal(c.port, 8080);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.dataDir, path.join(process.cwd(), 'data'));
  t.equal(c.app.databaseUrl, path.join(process.cwd(), 'data', 'preaudit.sqlite'));
  t.same(c.app.logger, { level: 'info' });
  t.equal(c.app.bodyLimit, 4 * 1024 * 1024);
  t.equal(c.app.trustProxy, undefined);
  t.equal(c.app.tls, undefined);
});

t.test('PA_DATA_DIR holds the SQLite file; with a database server, the other data files', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-data-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const c = configFromEnv({ PA_DATA_DIR: dir });
  t.equal(c.dataDir, dir);
  t.equal(c.app.databaseUrl, path.join(dir, 'preaudit.sqlite'));
  const pg = configFromEnv({ PA_DATA_DIR: dir, DATABASE_URL: 'postgres://x@y/z' });
  t.equal(pg.app.databaseUrl, 'postgres://x@y/z');
  t.equal(pg.app.quarantineFile, path.join(dir, 'preaudit.quarantine.jsonl'));
  t.equal(pg.app.auditAnchorFile, path.join(dir, 'preaudit.audit-head.json'));
});

t.test('a bad setting names its variable', async (t) => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ DATABASE_URL: 'mysql:/root@127.0.0.1:3306/x' }, /^DATABASE_URL: unsupported scheme "mysql:"/],
    [{ DATABASE_URL: 'foo://u:pw@h/x' }, /^DATABASE_URL: unsupported scheme "foo:" \(expected postgres:\/\/, mysql:\/\/, sqlite: or a file path\)$/],
    [{ PORT: '70000' }, /^PORT: out of range/],
    [{ PORT: '8080x' }, /^PORT: not a whole number, got "8080x"$/],
    [{ PA_BODY_LIMIT: 'lots' }, /^PA_BODY_LIMIT: must be a size/],
    [{ PA_SHUTDOWN_GRACE_MS: '-1' }, /^PA_SHUTDOWN_GRACE_MS: must be at least 0, got "-1"$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ PA_API_KEYS_FILE: '/nonexistent/keys' }, /^PA_API_KEYS_FILE: cannot read \/nonexistent\/keys: no such file$/],
    [{ PA_BUREAU_KEYS_FILE: os.tmpdir() }, /^PA_BUREAU_KEYS_FILE: cannot read .*: is a folder, not a file$/],
    [{ PA_RULEBOOK: '/nonexistent/rulebook' }, /^PA_RULEBOOK: no such folder/],
    [{ PA_AUDIT_SOURCES: '/nonexistent/sources' }, /^PA_AUDIT_SOURCES: no such folder/],
    [{ PA_TLS_CERT: '/nonexistent/cert.pem' }, /^PA_TLS_KEY: set both PA_TLS_CERT and PA_TLS_KEY, or neither$/],
    [{ PA_TLS_CERT: '/nonexistent/cert.pem', PA_TLS_KEY: '/nonexistent/key.pem' }, /^PA_TLS_CERT: cannot read/],
    [{ PA_TRUST_PROXY: 'nginx' }, /^PA_TRUST_PROXY: "nginx" is no address/],
    [{ PA_LOG_FILE_COUNT: '0' }, /^PA_LOG_FILE_COUNT: out of range/],
    [{ DATABASE_SCHEMA: 'x; drop' }, /^DATABASE_SCHEMA: must be a plain identifier/],
  ];
  for (const [env, message] of bad) t.throws(() => configFromEnv(env), { name: 'ConfigError', message }, JSON.stringify(env));
});

t.test('buildApp options: a bad role names the key by number, not by any of its characters', async (t) => {
  t.throws(() => resolveOptions({ apiKeys: { ok: 'admin', Zq9secretkey: 'janitor' as never } }), { message: /^apiKeys: key #2: unknown role "janitor"/ });
  try {
    resolveOptions({ apiKeys: { Zq9secretkey: 'janitor' as never } });
  } catch (err) {
    t.notMatch((err as Error).message, /Zq|secret/);
  }
});

t.test('no part of an API key or a database password in any error', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-keys-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keys.json');
  fs.writeFileSync(file, '{"Zq9secretkey": "janitor"}');
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"Zq9secretkey": doctor-station}');
  const cases: Array<Record<string, string>> = [
    { PA_API_KEYS: 'Zq9secretkey:janitor' },
    { PA_API_KEYS: 'Zq9secretkey' },
    { PA_API_KEYS: 'ok:admin,Zq9secretkey' },
    { PA_API_KEYS: '{"Zq9secretkey":' },
    { PA_API_KEYS_FILE: file },
    { PA_API_KEYS_FILE: broken },
    { DATABASE_URL: 'oracle://u:Zq9secretkey@h/db' },
    { DATABASE_URL: 'root:Zq9secretkey@127.0.0.1/db' },
  ];
  for (const env of cases) {
    const err = (() => {
      try {
        configFromEnv(env);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    t.ok(err, `${Object.keys(env)[0]} refused`);
    t.notMatch(err!.message, /Zq9|secret/i, err!.message);
    t.match(err!.message, new RegExp(`^${Object.keys(env)[0]}: `));
  }
});

t.test('without keys HOST is forced to loopback', async (t) => {
  const c = configFromEnv({ HOST: '0.0.0.0', PORT: '9000' });
  t.equal(c.host, '127.0.0.1');
  t.equal(c.hostRestricted, true);
  t.equal(c.port, 9000);
});

t.test('with keys the service listens on every interface by default', async (t) => {
  const c = configFromEnv({ PA_API_KEYS: 'k:doctor-station' });
  t.equal(c.host, '0.0.0.0');
  t.equal(c.hostRestricted, false);
});

t.test('environment passes through to the app options', async (t) => {
  const rb = os.tmpdir();
  const c = configFromEnv({
    DATABASE_URL: 'postgres://x@y/z',
    DATABASE_SCHEMA: 's',
    PA_RULEBOOK: rb,
    LOG_LEVEL: 'debug',
    PA_BODY_LIMIT: '1000',
    PA_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
  });
  t.equal(c.app.databaseUrl, 'postgres://x@y/z');
  t.equal(c.app.databaseSchema, 's');
  t.equal(c.app.rulebookDir, rb);
  t.equal(c.app.bodyLimit, 1000);
  t.same(c.app.trustProxy, ['127.0.0.1', '10.0.0.0/8']);
  t.same(c.app.logger, { level: 'debug' });
  t.equal(configFromEnv({ PA_BODY_LIMIT: '8m' }).app.bodyLimit, 8 * 1024 * 1024);
  t.equal(configFromEnv({ PA_TRUST_PROXY: '1' }).app.trustProxy, 1);
  t.equal(configFromEnv({ PA_TRUST_PROXY: 'true' }).app.trustProxy, true);
  t.equal(configFromEnv({ DATABASE_URL: 'mariadb://root@127.0.0.1/x' }).app.databaseUrl, 'mariadb://root@127.0.0.1/x');
  t.equal(configFromEnv({ PORT: '' }).port, 8080, 'an empty variable counts as unset');
  t.throws(() => configFromEnv({ PORT: 'eighty' }), /PORT/);
});

t.test('PA_AUDIT_SOURCES: the sources get the variables their mapping files name, nothing else', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-sources-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'zhuyuan.yaml'), 'kind: database\nconnection:\n  client: mysql2\n  connection: { host: his, user: ${HIS_USER}, password: "${HIS_PASSWORD}" }\n');
  fs.writeFileSync(path.join(dir, 'menzhen.json'), '{"kind":"database","connection":{"client":"better-sqlite3","connection":{"filename":"${HIS_FILE}"}}}');
  fs.writeFileSync(path.join(dir, 'notes.txt'), '${NOT_A_SOURCE}');
  const c = configFromEnv({
    PA_AUDIT_SOURCES: dir,
    HIS_USER: 'ro',
    HIS_PASSWORD: 'pw',
    NOT_A_SOURCE: 'x',
    PA_API_KEYS: 'k:admin',
    DATABASE_URL: 'postgres://svc:dbpw@h/x',
    HOME: '/root',
  });
  t.equal(c.app.auditJobs?.sourcesDir, dir);
  t.same({ ...c.app.auditJobs?.env }, { HIS_USER: 'ro', HIS_PASSWORD: 'pw' }, 'HIS_FILE is unset: left out, the source says so when used');
});
