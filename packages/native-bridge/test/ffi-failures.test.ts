/**
 * Fail-open, through koffi: a service that is down, hangs, answers garbage, answers
 * HTML, or answers more than max_response_bytes. The order must go through inside the
 * timeout, with a reply that lets it through and a code that says what happened.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBridge, PaStatus, statusName, type Bridge, type BridgeConfig } from '../src/index.js';
import { ensureLinuxBuild } from './support/native.js';
import { startStubs, type Stubs } from './support/stub-servers.js';
import { violating3101 } from './support/fixtures.js';

interface Reply {
  infcode: number;
  err_msg: string;
  warn_msg: string;
  output: { result: unknown[] };
}
const parse = (bytes: Buffer | null): Reply => JSON.parse((bytes ?? Buffer.from('null')).toString('utf8')) as Reply;

let stubs: Stubs;
let bridge: Bridge;
const tmp = mkdtempSync(path.join(tmpdir(), 'pa-bridge-'));

t.before(async () => {
  bridge = loadBridge(ensureLinuxBuild());
  stubs = await startStubs();
});
t.teardown(async () => {
  bridge?.shutdown();
  await stubs?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Configure for `url` and make one violating 3101 call; the reply is parsed when there is one. */
function callVia(url: string, extra: Partial<BridgeConfig> = {}) {
  const rc = bridge.init({ url, timeout_ms: 2000, ...extra });
  if (rc !== PaStatus.OK) throw new Error(`pa_init ${statusName(rc)}: ${bridge.lastError().toString('utf8')}`);
  const started = performance.now();
  const result = bridge.call('3101', violating3101());
  return {
    ...result,
    ms: performance.now() - started,
    reason: bridge.lastErrorCode(),
    message: bridge.lastError().toString('utf8'),
  };
}

/** What every fail-open reply must be: infcode 0, no findings, a warn_msg saying the audit was skipped. */
function assertLetsThrough(t: Test, response: Buffer | null): void {
  const reply = parse(response);
  t.equal(reply.infcode, 0, 'infcode 0');
  t.same(reply.output.result, [], 'no findings');
  t.match(reply.warn_msg, /医保事前审核未执行，已放行/, 'warn_msg says the audit was skipped');
}

t.test('before pa_init: PA_ENOTINIT, not a fail-open', async (t) => {
  const { status, response } = bridge.call('3101', violating3101());
  t.equal(status, PaStatus.ENOTINIT);
  t.equal(response, null);
  t.match(bridge.lastError().toString('utf8'), /未初始化/);
});

t.test('configuration mistakes are refused by pa_init with the reason', async (t) => {
  t.equal(bridge.init('{"url":'), PaStatus.EINVAL);
  t.equal(bridge.init({ url: 'http://127.0.0.1:1', timeout: 5 } as unknown as BridgeConfig), PaStatus.ECONFIG);
  t.match(bridge.lastError().toString('utf8'), /unknown configuration key "timeout"/);
  t.equal(bridge.init({ url: 'https://audit.example:443' }), PaStatus.ECONFIG);
  t.match(bridge.lastError().toString('utf8'), /HTTPS/);
  t.equal(bridge.init({ url: 'http://no-such-host.invalid:8080' }), PaStatus.ECONFIG);
  t.match(bridge.lastError().toString('utf8'), /cannot be resolved/);
  t.equal(bridge.init({ url: 'http://127.0.0.1:1', log_file: path.join(tmp, 'no-such-dir', 'x.log') }), PaStatus.ECONFIG);
});

t.test('service down: PA_SKIPPED with a reply that lets the order through; reason PA_ECONNECT', async (t) => {
  const r = callVia(stubs.down);
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.ECONNECT);
  t.match(r.message, /无法连接审核服务.*连接被拒绝/);
  assertLetsThrough(t, r.response);
});

t.test('an IPv6 literal URL is understood (service down there too: fail-open)', async (t) => {
  const port = new URL(stubs.down).port;
  const r = callVia(`http://[::1]:${port}`);
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.ECONNECT);
  t.match(r.message, /::1/);
});

t.test('service down with fail_open off: PA_ECONNECT and no reply', async (t) => {
  const r = callVia(stubs.down, { fail_open: false });
  t.equal(r.status, PaStatus.ECONNECT);
  t.equal(r.response, null);
});

t.test('service hangs: the deadline ends the call; PA_SKIPPED, reason PA_ETIMEOUT', async (t) => {
  const r = callVia(stubs.hang, { timeout_ms: 300 });
  // The stub never answers, so returning at all is the deadline's doing; it cannot come early.
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.ETIMEOUT);
  t.ok(r.ms >= 295, `not before the deadline (${r.ms.toFixed(0)} ms)`);
  t.match(r.message, /300 毫秒内未应答/);
  assertLetsThrough(t, r.response);
});

t.test('service hangs, fail_open off: PA_ETIMEOUT', async (t) => {
  const r = callVia(stubs.hang, { timeout_ms: 300, fail_open: false });
  t.equal(r.status, PaStatus.ETIMEOUT);
  t.equal(r.response, null);
});

t.test('several threads waiting on a hung service each keep their own deadline', async (t) => {
  bridge.init({ url: stubs.hang, timeout_ms: 300 });
  const results = await Promise.all(Array.from({ length: 6 }, () => bridge.callAsync('3101', violating3101())));
  t.same(
    results.map((r) => r.status),
    Array(6).fill(PaStatus.SKIPPED),
  );
  for (const r of results) assertLetsThrough(t, r.response);
});

t.test('service answers bytes that are not HTTP: PA_SKIPPED, reason PA_EPROTOCOL', async (t) => {
  const r = callVia(stubs.garbage);
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.EPROTOCOL);
  t.match(r.message, /不是 HTTP/);
  assertLetsThrough(t, r.response);
});

t.test('service answers HTTP 200 with HTML (a proxy page): PA_SKIPPED, reason PA_EPROTOCOL', async (t) => {
  const r = callVia(stubs.html);
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.EPROTOCOL);
  t.match(r.message, /不是合法的 JSON（HTTP 200）/);
  assertLetsThrough(t, r.response);
});

t.test('a reply larger than max_response_bytes: PA_SKIPPED, reason PA_EPROTOCOL', async (t) => {
  const r = callVia(stubs.huge, { timeout_ms: 10000 });
  t.equal(r.status, PaStatus.SKIPPED);
  t.equal(r.reason, PaStatus.EPROTOCOL);
  t.match(r.message, /应答过大/);
  assertLetsThrough(t, r.response);
});

t.test('the same large reply under a larger limit arrives whole (chunked, no length given)', async (t) => {
  const r = callVia(stubs.huge, { timeout_ms: 10000, max_response_bytes: 32 * 1024 * 1024 });
  t.equal(r.status, PaStatus.FINDINGS);
  t.equal(r.response?.length, stubs.hugeBytes);
  t.ok(parse(r.response).output.result.length > 10000);
});

t.test('the log file gets one line per call with outcome and reason, and no patient data', async (t) => {
  const log = path.join(tmp, 'bridge.log');
  callVia(stubs.down, { log_file: log });
  callVia(stubs.garbage, { log_file: log });
  bridge.shutdown(); // closes the log
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  t.equal(lines.length, 2);
  t.match(lines[0], /infno=3101 status=2 reason=-10 http=0 /);
  t.match(lines[1], /infno=3101 status=2 reason=-12 /);
  t.notMatch(readFileSync(log, 'utf8'), /P1002|王芳/, 'no patient identifiers');
});

t.test('INIT reads PREAUDIT_CONFIG (JSON text or a file), as provincial DLLs read their ini', async (t) => {
  const saved = process.env.PREAUDIT_CONFIG;
  t.teardown(() => {
    if (saved === undefined) delete process.env.PREAUDIT_CONFIG;
    else process.env.PREAUDIT_CONFIG = saved;
  });
  process.env.PREAUDIT_CONFIG = JSON.stringify({ url: stubs.down, timeout_ms: 500 });
  t.same(bridge.INIT(), { status: PaStatus.OK, err: Buffer.alloc(0) });
  t.equal(bridge.call('3101', violating3101()).status, PaStatus.SKIPPED, 'configured by INIT');

  const file = path.join(tmp, 'preaudit.json');
  writeFileSync(file, `\uFEFF${JSON.stringify({ url: stubs.garbage })}`); // with the BOM Notepad writes
  process.env.PREAUDIT_CONFIG = file;
  t.equal(bridge.INIT().status, PaStatus.OK);

  process.env.PREAUDIT_CONFIG = path.join(tmp, 'missing.json');
  const missing = bridge.INIT();
  t.equal(missing.status, PaStatus.ECONFIG);
  t.match(missing.err.toString('utf8'), /missing\.json/);
});
