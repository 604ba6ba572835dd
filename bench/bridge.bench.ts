/**
 * The native bridge's cost: round-trip latency of pa_call (the .so loaded through koffi, as a
 * HIS loads the DLL) against the local service, next to a direct HTTP call from Node with the
 * same body, in the same run, one call at a time, interleaved so both see the same machine state.
 *
 *   npm run build && npm run bench:bridge -w @preaudit/bench
 *   … -- --calls 5000
 *
 * Two targets, each this file run in a child process (pa_call blocks the calling thread, exactly
 * as in a HIS): `bare` (a Fastify route with a constant reply: transport only) and `service`
 * (the real app: national rulebook, SQLite file storage).
 * Three series per target: pa_call (new TCP connection per call, "Connection: close", as the bridge does),
 * Node with a fresh connection per call (the same network work, so the difference is the
 * bridge itself), and Node over a keep-alive connection (Node's default agent).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import Fastify from 'fastify';
import { buildApp } from '@preaudit/server';
import { loadBridge, PaStatus, defaultLibraryPath, statusName } from '@preaudit/native-bridge';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const calls = Number(arg('calls') ?? 3000);
const warmup = Math.min(300, calls);
const body = fs.readFileSync(path.join(here, '../examples/3101-outpatient-violations.json'), 'utf8');
const payload = Buffer.from(body);

/** Child mode: `--serve service|bare` listens on 127.0.0.1 and reports its URL over IPC. */
async function serve(mode: string): Promise<void> {
  let url: string;
  let close: () => Promise<void>;
  if (mode === 'bare') {
    const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
    const reply = { infcode: 0, err_msg: '', warn_msg: '', output: { result: [] } };
    app.post('/nhsa/3101', async () => reply);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-bench-bridge-'));
    const app = await buildApp({ databaseUrl: path.join(dir, 'bench.sqlite'), logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  process.on('message', () => {
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
  process.send!({ type: 'ready', url });
}

/** Start this file in a child process as `mode` ('service' = the real app, 'bare' = constant reply). */
async function startTarget(mode: 'service' | 'bare') {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', mode], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type: string; url: string }) => (m.type === 'ready' ? resolve(m.url) : reject(new Error(JSON.stringify(m)))));
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${code}`)));
  });
  return {
    url,
    close: () => {
      child.send({ type: 'close' });
      return new Promise<void>((resolve) => child.once('exit', () => resolve()));
    },
  };
}

/** One POST from Node; resolves with the reply's byte count once it is fully read. */
function direct(target: URL, agent: http.Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': payload.length,
          ...(agent === false ? { connection: 'close' } : {}),
        },
      },
      (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => (n += chunk.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (x: number): string => `${x.toFixed(3)} ms`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${ms(x)}`;
const row = (name: string, xs: number[]): string =>
  `  ${name.padEnd(44)} p50 ${ms(pct(xs, 50)).padStart(10)}   p99 ${ms(pct(xs, 99)).padStart(10)}   mean ${ms(xs.reduce((a, b) => a + b, 0) / xs.length).padStart(10)}`;

async function main(): Promise<void> {
  const library = defaultLibraryPath();
  if (!fs.existsSync(library)) {
    console.error(`${library} is missing: run \`npm run build\` (or \`npm run build -w @preaudit/native-bridge\`) first`);
    process.exit(1);
  }
  const bridge = loadBridge(library);

  for (const mode of ['bare', 'service'] as const) {
    const server = await startTarget(mode);
    const target = new URL('/nhsa/3101', server.url);
    const rc = bridge.init({ url: server.url, timeout_ms: 5000, fail_open: false });
    if (rc !== PaStatus.OK) throw new Error(`pa_init: ${statusName(rc)} ${bridge.lastError().toString('utf8')}`);
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const expected = mode === 'service' ? PaStatus.FINDINGS : PaStatus.OK;

    const series = { bridge: [] as number[], fresh: [] as number[], keepAlive: [] as number[] };
    let replyBytes = 0;
    for (let i = 0; i < warmup + calls; i++) {
      const t0 = performance.now();
      const { status, response } = bridge.call('3101', body);
      const t1 = performance.now();
      if (status !== expected) throw new Error(`pa_call: ${statusName(status)} ${bridge.lastError().toString('utf8')}`);
      replyBytes = response?.length ?? 0;
      const t2 = performance.now();
      await direct(target, false);
      const t3 = performance.now();
      await direct(target, keepAlive);
      const t4 = performance.now();
      if (i >= warmup) {
        series.bridge.push(t1 - t0);
        series.fresh.push(t3 - t2);
        series.keepAlive.push(t4 - t3);
      }
    }
    keepAlive.destroy();
    await server.close();

    console.log(mode === 'service' ? 'the real service (national rulebook, SQLite file storage)' : 'a bare Fastify route (constant reply): transport only');
    console.log(`  POST /nhsa/3101, ${payload.length} B request, ${replyBytes} B reply, ${calls} calls each after ${warmup} warm-up, interleaved`);
    console.log(row('pa_call via koffi (new connection per call)', series.bridge));
    console.log(row('Node http, new connection per call', series.fresh));
    console.log(row('Node http, keep-alive connection', series.keepAlive));
    for (const [name, other] of [
      ['new connection', series.fresh],
      ['keep-alive', series.keepAlive],
    ] as const) {
      console.log(`  bridge minus Node (${name}): p50 ${signed(pct(series.bridge, 50) - pct(other, 50))}, p99 ${signed(pct(series.bridge, 99) - pct(other, 99))}`);
    }
  }

  // The FFI step alone: a call into the library that does no work.
  const ffiStart = performance.now();
  for (let i = 0; i < 100_000; i++) bridge.lastErrorCode();
  console.log(`koffi call into the library (no work): ${(((performance.now() - ffiStart) / 100_000) * 1e6).toFixed(0)} ns`);
  bridge.shutdown();
}

if (arg('serve')) await serve(arg('serve')!);
else await main();
