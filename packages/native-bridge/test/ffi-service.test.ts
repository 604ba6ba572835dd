/**
 * The built .so loaded through koffi, exactly as a HIS loads the DLL, against the
 * real audit service (@preaudit/server, national rulebook) on 127.0.0.1.
 */
import t from 'tap';
import iconv from 'iconv-lite';
import { Worker } from 'node:worker_threads';
import { loadBridge, PaStatus, type Bridge, type BridgeConfig } from '../src/index.js';
import { ensureLinuxBuild } from './support/native.js';
import { startService, type RunningService } from './support/service.js';
import { RULE_ID, RULE_NAME, clean3101, feedback3103, legacy3660, violating3101, violating3101Gbk, violatingAs } from './support/fixtures.js';

interface Finding {
  jr_id: string;
  rule_id: string;
  rule_name: string;
  vola_cont: string;
  judge_result_detail_dtos: Array<{ rx_id: string; vola_item_type: string }>;
}
interface Reply {
  infcode: number;
  err_msg: string;
  warn_msg: string;
  output: { result: Finding[] };
}

const gbk = new TextDecoder('gbk');
const parse = (bytes: Buffer | null, decoder: { decode(bytes: Uint8Array): string } = new TextDecoder()): Reply => {
  if (bytes === null) throw new Error('no response');
  return JSON.parse(decoder.decode(bytes)) as Reply;
};

/** Worker source that registers tsx in the worker, then runs the TypeScript file. */
const tsWorker = (file: URL): string => `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`;

let service: RunningService;
let bridge: Bridge;
let libraryPath: string;

const configure = (extra: Partial<BridgeConfig> = {}): number => bridge.init({ url: service.url, api_key: service.key, timeout_ms: 10000, ...extra });

t.before(async () => {
  libraryPath = ensureLinuxBuild();
  service = await startService();
  bridge = loadBridge(libraryPath);
});
t.teardown(async () => {
  bridge?.shutdown();
  await service?.close();
});

t.test('3101 for a clean order: PA_OK and an empty result', async (t) => {
  t.equal(configure(), PaStatus.OK);
  const { status, response } = bridge.call('3101', clean3101());
  t.equal(status, PaStatus.OK);
  const reply = parse(response);
  t.equal(reply.infcode, 0);
  t.same(reply.output.result, []);
});

t.test('3101 for a female patient with 阿帕他胺片: PA_FINDINGS with 药品区分性别使用', async (t) => {
  configure();
  const { status, response } = bridge.call('3101', violating3101());
  t.equal(status, PaStatus.FINDINGS);
  const results = parse(response).output.result;
  // The fixture's woman also carries a prostate-cancer diagnosis (C61): 诊断与患者性别不符 fires beside the drug rule.
  t.same(results.map((f) => f.rule_id).sort(), ['GZ10000204006000', RULE_ID], 'the drug rule and the diagnosis rule');
  const finding = results.find((f) => f.rule_id === RULE_ID)!;
  t.equal(finding.rule_id, RULE_ID);
  t.equal(finding.rule_name, RULE_NAME);
  t.match(finding.vola_cont, /阿帕他胺片/);
  t.same(
    finding.judge_result_detail_dtos.map((d) => [d.rx_id, d.vola_item_type]),
    [['R-P1002-1', '1']],
  );
});

t.test('3102 (事中) gives the same verdict', async (t) => {
  configure();
  const { status, response } = bridge.call('3102', violatingAs('3102'));
  t.equal(status, PaStatus.FINDINGS);
  t.equal(parse(response).output.result[0]?.rule_id, RULE_ID);
});

t.test('legacy 3660 with camelCase keys (examples/3660-legacy-camelcase.json) is forwarded to 3101', async (t) => {
  configure();
  const { status, response } = bridge.call(null, legacy3660());
  t.equal(status, PaStatus.FINDINGS, bridge.lastError().toString('utf8'));
  t.ok(parse(response).output.result.some((f) => f.rule_id === RULE_ID));
});

t.test('3103 feedback on the warning just received: PA_OK', async (t) => {
  configure();
  const warned = parse(bridge.call('3101', violating3101()).response).output.result[0];
  const { status, response } = bridge.call('3103', feedback3103(warned.jr_id));
  t.equal(status, PaStatus.OK, bridge.lastError().toString());
  t.equal(parse(response).infcode, 0);
});

t.test('infno omitted: taken from the envelope, as BUSINESS_HANDLE does', async (t) => {
  configure();
  t.equal(bridge.call(null, violating3101()).status, PaStatus.FINDINGS);
  const out = Buffer.alloc(16384);
  t.equal(bridge.BUSINESS_HANDLE(violating3101(), out), PaStatus.FINDINGS);
  t.equal(parse(out.subarray(0, out.indexOf(0))).output.result[0]?.rule_id, RULE_ID);
});

t.test('GBK: a GBK envelope in, a GBK reply out', async (t) => {
  t.equal(configure({ encoding: 'GBK' }), PaStatus.OK);
  const { status, out, err } = bridge.businessHandle(violating3101Gbk(), 65536);
  t.equal(status, PaStatus.FINDINGS, gbk.decode(err));
  t.equal(out.includes(Buffer.from(RULE_NAME, 'utf8')), false, 'no UTF-8 left in the reply');
  t.ok(out.includes(iconv.encode(RULE_NAME, 'gbk')), 'the rule name in GBK bytes');
  const finding = parse(out, gbk).output.result[0];
  t.equal(finding.rule_name, RULE_NAME);
  t.match(finding.vola_cont, /「阿帕他胺片」/);

  // A request encoded here with iconv-lite, holding text beyond ASCII in several fields
  const envelope = JSON.parse(violating3101()) as { input: { data: { patient_dtos: Array<{ patn_name: string }> } } };
  envelope.input.data.patient_dtos[0].patn_name = '欧阳·丽娟';
  const viaPaCall = bridge.call('3101', iconv.encode(JSON.stringify(envelope), 'gbk'));
  t.equal(viaPaCall.status, PaStatus.FINDINGS);
  t.equal(parse(viaPaCall.response, gbk).output.result[0]?.rule_name, RULE_NAME);
});

t.test('GBK bytes while configured for UTF-8: PA_EENCODING, and the error says why', async (t) => {
  configure({ encoding: 'UTF-8' });
  const { status, response } = bridge.call('3101', violating3101Gbk());
  t.equal(status, PaStatus.EENCODING);
  t.equal(response, null);
  t.match(bridge.lastError().toString('utf8'), /GBK/);
});

t.test("a reply too large for the caller's buffer: PA_EBUFSIZE, nothing written past it", async (t) => {
  configure();
  const guard = 0x5a;
  const out = Buffer.alloc(256 + 64, guard);
  const err = Buffer.alloc(1024);
  const status = bridge.businessHandleInto(violating3101(), 256, out, err);
  t.equal(status, PaStatus.EBUFSIZE);
  t.equal(out[0], 0, 'out is an empty string');
  t.ok(
    out.subarray(256).every((b) => b === guard),
    'the 64 bytes past out_len are untouched',
  );
  const message = err.subarray(0, err.indexOf(0)).toString('utf8');
  const needed = Number(/应答需要 (\d+) 字节/.exec(message)?.[1]);
  t.ok(needed > 256, `err says how much is needed: ${message}`);

  const roomy = bridge.businessHandle(violating3101(), needed + 64);
  t.equal(roomy.status, PaStatus.FINDINGS, 'the size it names is enough');

  t.equal(configure({ compat_out_size: 256 }), PaStatus.OK);
  const fixed = Buffer.alloc(256 + 64, guard);
  t.equal(bridge.BUSINESS_HANDLE(violating3101(), fixed), PaStatus.EBUFSIZE);
  t.ok(
    fixed.subarray(256).every((b) => b === guard),
    'BUSINESS_HANDLE keeps to compat_out_size',
  );
  t.match(fixed.subarray(0, fixed.indexOf(0)).toString('utf8'), /"infcode":-1/);
});

t.test('a wrong API key: fail-open by default, PA_ESERVICE when fail_open is off', async (t) => {
  configure({ api_key: 'not-a-key' });
  const open = bridge.call('3101', violating3101());
  t.equal(open.status, PaStatus.SKIPPED);
  t.equal(bridge.lastErrorCode(), PaStatus.ESERVICE);
  t.match(bridge.lastError().toString('utf8'), /HTTP 401/);
  t.same(parse(open.response).output.result, []);

  configure({ api_key: 'not-a-key', fail_open: false });
  const closed = bridge.call('3101', violating3101());
  t.equal(closed.status, PaStatus.ESERVICE);
  t.equal(parse(closed.response).infcode, -1, "the service's own reply is handed over");
});

t.test('many calls at once on koffi worker threads: every verdict right', async (t) => {
  configure();
  const calls = Array.from({ length: 48 }, (_, i) => {
    const violating = i % 2 === 1;
    return bridge.callAsync('3101', violating ? violating3101() : clean3101()).then((r) => ({ violating, ...r }));
  });
  const results = await Promise.all(calls);
  t.equal(results.filter((r) => r.status === (r.violating ? PaStatus.FINDINGS : PaStatus.OK)).length, 48);
  t.ok(results.every((r) => !r.violating || parse(r.response).output.result[0]?.rule_id === RULE_ID));
});

t.test('many threads at once: worker threads each loading the library, calling synchronously', async (t) => {
  configure();
  const workers = 8;
  const callsEach = 10;
  const outcomes = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<{ ok: number; failures: string[] }>((resolve, reject) => {
          const worker = new Worker(tsWorker(new URL('./support/call-worker.ts', import.meta.url)), {
            eval: true,
            workerData: { libraryPath, index, calls: callsEach, clean: clean3101(), violating: violating3101(), ruleId: RULE_ID },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const failures = outcomes.flatMap((o) => o.failures);
  t.same(failures, [], 'no failures');
  t.equal(
    outcomes.reduce((n, o) => n + o.ok, 0),
    workers * callsEach,
  );
});
