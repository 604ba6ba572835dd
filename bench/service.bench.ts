/**
 * POST /nhsa/3101 under load: the real service (national rulebook, SQLite file storage with
 * requests stored, audit log) next to a bare Fastify route that parses the same body and returns
 * a constant, same machine, same run. autocannon on loopback, 32 connections, three runs: the bare
 * route and the service as fast as they go (the ratio, p99s, errors), then the service at a fixed
 * offered load (default 1,000 req/s: latency below saturation). Prints req/s, p50/p99, errors,
 * the goals, the load average, and the service's RSS (sampled throughout with --long).
 *
 *   npm run bench:service -w @preaudit/bench                 # 20 s per run
 *   npm run bench:service -w @preaudit/bench -- --long       # 300 s on the service: is memory flat?
 *   … -- --duration 10 --connections 64
 *   … -- --rate 500                                          # the fixed-rate run at 500 req/s (--rate 0: no fixed-rate run)
 *   … -- --cpu-prof DIR                                      # a V8 CPU profile of each server process
 *   … -- --semi 64                                           # both servers with --max-semi-space-size=64
 *   … -- --no-store-requests                                 # the service without storing each request
 *   … -- --before ../old/packages/server                     # also another build of the server (its dist/), run before the current one
 *
 * The servers run in child processes so the load generator does not share their event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const long = args.includes('--long');
const duration = Number(arg('duration') ?? (long ? 300 : 20));
const connections = Number(arg('connections') ?? 32);
/** Fixed offered load in req/s of the third run (autocannon overallRate): latency below saturation. */
const rate = Number(arg('rate') ?? 1000);
/** V8 young-generation semi-space in MB for both servers (the README's NODE_OPTIONS tuning). */
const semi = arg('semi');
/** Store checks without their (de-identified) request: less storage work per check, no shadow replay. */
const noStoreRequests = args.includes('--no-store-requests');
/** Write a V8 CPU profile of each server process into this folder (`--cpu-prof DIR`). */
const cpuProfDir = arg('cpu-prof');
/** Another build of the server package (a folder with dist/): its runs go before the current build's, same run. */
const beforeDir = arg('before');
const body = fs.readFileSync(path.join(here, '../examples/3101-outpatient-violations.json'), 'utf8');

interface Target {
  child: ChildProcess;
  url: string;
}

function startTarget(mode: 'service' | 'bare', serverDir?: string): Promise<Target> {
  const child = fork(path.join(here, 'service-target.ts'), [mode, ...(noStoreRequests ? ['--no-store-requests'] : []), ...(serverDir ? ['--server', path.resolve(serverDir)] : [])], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(semi ? [`--max-semi-space-size=${semi}`] : []),
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir, serverDir ? `${mode}-before` : mode)}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: any) => (m.type === 'ready' ? resolve({ child, url: m.url }) : reject(new Error(String(m)))));
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${code}`)));
  });
}

function ask<T>(target: Target, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: any) => {
      if (m.type === type || (type === 'close' && m.type === 'closed')) {
        target.child.off('message', on);
        resolve(m as T);
      }
    };
    target.child.on('message', on);
    target.child.send({ type });
  });
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

interface Run {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  rssStart: number;
  rssEnd: number;
  /** Server CPU time (user + system) per request, µs: comparable even when the machine is busy. */
  cpuPerRequest: number;
  /** Records still waiting to be written when the load stopped (storage falling behind shows here). */
  pendingEnd: number;
  /** Main-thread (event loop) CPU per request, µs (Linux). */
  mainPerRequest: number | undefined;
  samples: number[];
  heapStart: number;
  heapEnd: number;
}

async function run(name: string, mode: 'service' | 'bare', seconds: number, rate?: number, serverDir?: string): Promise<Run> {
  const target = await startTarget(mode, serverDir);
  // Warm-up: JIT, the rulebook's first touches, SQLite's first pages.
  await autocannon({
    url: `${target.url}/nhsa/3101`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: 3,
    ...(rate ? { overallRate: rate } : {}),
  });
  const start = await ask<{ rss: number; cpuUs: number; heap: number; mainUs?: number }>(target, 'rss');
  const samples: number[] = [start.rss];
  const sampler = setInterval(() => void ask<{ rss: number }>(target, 'rss').then((m) => samples.push(m.rss)), long ? 10_000 : 5_000);
  const result = await autocannon({
    url: `${target.url}/nhsa/3101`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  clearInterval(sampler);
  const end = await ask<{ rss: number; cpuUs: number; pending: number; heap: number; mainUs?: number }>(target, 'rss');
  samples.push(end.rss);
  await ask(target, 'close');
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    rssStart: start.rss,
    rssEnd: end.rss,
    cpuPerRequest: (end.cpuUs - start.cpuUs) / Math.max(1, result.requests.total),
    pendingEnd: end.pending,
    mainPerRequest: end.mainUs !== undefined && start.mainUs !== undefined ? (end.mainUs - start.mainUs) / Math.max(1, result.requests.total) : undefined,
    heapStart: start.heap,
    heapEnd: end.heap,
    samples,
  };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `POST /nhsa/3101, 20-order request (examples/3101-outpatient-violations.json, ${body.length} bytes), ${connections} connections, ` +
    `${duration} s per run${semi ? `, --max-semi-space-size=${semi}` : ''}, storage on (SQLite file${noStoreRequests ? ', requests not stored' : ', requests stored'}), Node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
);
const bare = await run('bare Fastify route', 'bare', long ? Math.min(duration, 20) : duration);
const loadBare = load();
const serviceBefore = beforeDir ? await run('service (before)', 'service', duration, undefined, beforeDir) : undefined;
const loadServiceBefore = load();
const service = await run('preaudit service', 'service', duration);
const loadService = load();
const fixedBefore = beforeDir && rate > 0 ? await run(`before @${rate}/s`, 'service', long ? Math.min(duration, 20) : duration, rate, beforeDir) : undefined;
const loadFixedBefore = load();
const fixed = rate > 0 ? await run(`service @${rate}/s`, 'service', long ? Math.min(duration, 20) : duration, rate) : undefined;
const loadFixed = load();

const row = (r: Run) =>
  `${r.name.padEnd(20)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  errors ${r.errors}  requests ${r.requests}  server CPU ${r.cpuPerRequest.toFixed(0)} µs/req (event loop ${r.mainPerRequest?.toFixed(0) ?? '?'})  unwritten at end ${r.pendingEnd}  RSS ${mb(r.rssStart)} → ${mb(r.rssEnd)}  heap ${mb(r.heapStart)} → ${mb(r.heapEnd)}`;
console.log(`${row(bare)}  load ${loadBare}`);
if (serviceBefore) console.log(`${row(serviceBefore)}  load ${loadServiceBefore}`);
console.log(`${row(service)}  load ${loadService}`);
if (fixedBefore) console.log(`${row(fixedBefore)}  load ${loadFixedBefore}`);
if (fixed) console.log(`${row(fixed)}  load ${loadFixed}`);
if (serviceBefore)
  console.log(
    `before build: ratio ${(serviceBefore.rps / bare.rps).toFixed(2)}, p99 ${serviceBefore.p99} ms` +
      (fixedBefore ? `, p99 at ${rate} req/s offered ${fixedBefore.p99} ms` : '') +
      `; current ÷ before: ${(service.rps / serviceBefore.rps).toFixed(2)}× req/s, event loop per check ${service.mainPerRequest && serviceBefore.mainPerRequest ? (service.mainPerRequest / serviceBefore.mainPerRequest).toFixed(2) : '?'}×`,
  );
const ratio = service.rps / bare.rps;
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `ratio service/bare: ${ratio.toFixed(2)} (goal ≥ 0.50: ${mark(ratio >= 0.5)})   service p99 at ${connections} connections: ${service.p99} ms (goal < 50 ms: ${mark(service.p99 < 50)})   ` +
    `errors: ${service.errors} (goal 0: ${mark(service.errors === 0)})` +
    (fixed
      ? `   p99 at ${rate} req/s offered: ${fixed.p99} ms (goal < 10 ms at 1,000 req/s: ${mark(fixed.p99 < 10)}; served ${fixed.rps.toFixed(0)} req/s, errors ${fixed.errors})`
      : ''),
);
console.log(
  `server CPU per request: service ${service.cpuPerRequest.toFixed(0)} µs (event loop ${service.mainPerRequest?.toFixed(0) ?? '?'} µs), ` +
    `bare ${bare.cpuPerRequest.toFixed(0)} µs (event loop ${bare.mainPerRequest?.toFixed(0) ?? '?'} µs); machine: ${os.cpus().length} CPUs, load ${load()}`,
);
if (long) console.log(`service RSS every 10 s (MB): ${service.samples.map((x) => (x / 1024 / 1024).toFixed(0)).join(' ')}`);
const min = Math.min(...service.samples);
const max = Math.max(...service.samples);
console.log(
  `service RSS samples (after GC): first ${mb(service.samples[0])}, last ${mb(service.samples.at(-1)!)}, min ${mb(min)}, max ${mb(max)} over ${service.samples.length} samples`,
);
