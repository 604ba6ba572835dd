import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { configFromEnv, parseApiKeys } from './server.js';

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
  t.equal(c.app.databaseUrl, path.join(process.cwd(), 'data', 'preaudit.sqlite'));
  t.same(c.app.logger, { level: 'info' });
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
  const c = configFromEnv({ DATABASE_URL: 'postgres://x@y/z', DATABASE_SCHEMA: 's', PA_RULEBOOK: '/rb', LOG_LEVEL: 'debug', PA_BODY_LIMIT: '1000' });
  t.equal(c.app.databaseUrl, 'postgres://x@y/z');
  t.equal(c.app.databaseSchema, 's');
  t.equal(c.app.rulebookDir, '/rb');
  t.equal(c.app.bodyLimit, 1000);
  t.same(c.app.logger, { level: 'debug' });
  t.throws(() => configFromEnv({ PORT: 'eighty' }), /PORT/);
});
