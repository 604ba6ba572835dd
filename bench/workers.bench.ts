/**
 * Batch audits spread over `preaudit worker` processes: the same work (a generated hospital's
 * period split into one job per month, 事后, national rulebook, findings stored in PostgreSQL)
 * done three ways in the same run:
 *   1. single-process: the service runs the jobs itself (the default, `npm start` alone);
 *   2. 1 worker: the service runs none (PA_AUDIT_JOBS_RUN=false), one `preaudit worker` does;
 *   3. 2 workers: two `preaudit worker` processes share the jobs.
 * Prints wall time, order lines/s, encounters/s, the scaling ratio against 1 worker, and the CPU
 * seconds each worker used per 1,000 order lines (what predicts a larger cluster: workers needed =
 * target lines/s × CPU s per line, while PostgreSQL keeps up). Never gates CI.
 *
 * Workers run as separate processes of the built CLI (packages/server/bin/preaudit.js).
 * Run: npm run build && npm run bench:workers -w @preaudit/bench   (options: --orders 1000000 --seed 1)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { buildApp } from '@preaudit/server';
import { connect } from '@preaudit/his-adapter';
import { ensureHis } from '@preaudit/his-fixtures';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ORDERS = arg('orders', 1_000_000);
const SEED = arg('seed', 1);
const PAGE_SIZE = arg('page-size', 500);
const PG_URL = process.env.PA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const HIS_SCHEMA = `pa_bench_his_${ORDERS}_s${SEED}`;
const CLI = fileURLToPath(new URL('../packages/server/bin/preaudit.js', import.meta.url));

// ---------- the hospital (cached between runs, shared with bench:batch) ----------
const { knex } = await connect({ client: 'pg', connection: PG_URL });
const { summary } = await ensureHis(knex, { schema: HIS_SCHEMA, orderLines: ORDERS, seed: SEED, from: '2025-01-01', months: 6 });
await knex.raw('analyze ??.his_order, ??.his_encounter, ??.his_patient', [HIS_SCHEMA, HIS_SCHEMA, HIS_SCHEMA]);
await knex.destroy();
console.log(
  `hospital ${HIS_SCHEMA}: ${summary.encounters} encounters, ${summary.orders} order lines, ${summary.from} … ${summary.to}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
);

/** One job per calendar month of the period. */
function months(from: string, to: string): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const first = `${y}-${String(m).padStart(2, '0')}-01`;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({ from: first < from ? from : first, to: last > to ? to : last });
    if (last >= to) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

const source = { kind: 'database', name: 'bench-his', client: 'pg', connection: PG_URL, schema: HIS_SCHEMA, page_size: PAGE_SIZE, views: {}, code_cache_size: 50_000 };
const dir = mkdtempSync(join(tmpdir(), 'pa-bench-workers-'));
mkdirSync(join(dir, 'sources'));
writeFileSync(join(dir, 'sources', 'his.json'), JSON.stringify(source));
const rulebook = loadRulebookDir(NATIONAL_RULEBOOK_DIR);

/** CPU seconds a process used (Linux /proc). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Result {
  mode: string;
  seconds: number;
  orders: number;
  encounters: number;
  findings: number;
  workerCpu: number[];
}

async function run(mode: string, workers: number): Promise<Result> {
  const schema = `pa_bench_workers_${process.pid}_${workers}`;
  const app = await buildApp({
    databaseUrl: PG_URL,
    databaseSchema: schema,
    rulebook,
    logger: false,
    auditJobs: { sources: { his: source as never }, run: workers === 0, pageSize: PAGE_SIZE, concurrency: 2 },
  });
  const procs: ChildProcess[] = [];
  const cpu: number[] = [];
  try {
    // Started one after another, each ready (rulebook compiled, migrations checked) before the next and before the clock starts.
    for (let i = 0; i < workers; i++) {
      const proc = spawn(process.execPath, [CLI, 'worker'], {
        env: { ...process.env, DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, PA_AUDIT_SOURCES: join(dir, 'sources'), PA_DATA_DIR: join(dir, `w${workers}-${i}`), LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      procs.push(proc);
      await new Promise<void>((resolve, reject) => {
        const lines = createInterface({ input: proc.stdout });
        lines.on('line', (line) => {
          if (line.includes('audit worker started')) resolve();
        });
        proc.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
      });
    }
    const started = performance.now();
    const ids: string[] = [];
    for (const p of months(summary.from, summary.to)) {
      const res = await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', ...p } });
      if (res.statusCode !== 202) throw new Error(res.body);
      ids.push(res.json().id);
    }
    for (;;) {
      const jobs = await Promise.all(ids.map((id) => app.auditJobs.get(id)));
      if (jobs.some((j) => j!.state === 'failed')) throw new Error(`a job failed: ${JSON.stringify(jobs.find((j) => j!.state === 'failed'))}`);
      if (jobs.every((j) => j!.state === 'done')) {
        const seconds = (performance.now() - started) / 1000;
        for (const p of procs) cpu.push(cpuOf(p.pid!));
        return {
          mode,
          seconds,
          orders: jobs.reduce((s, j) => s + j!.orders, 0),
          encounters: jobs.reduce((s, j) => s + j!.processed, 0),
          findings: jobs.reduce((s, j) => s + j!.findings, 0),
          workerCpu: cpu,
        };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await app.db.raw('drop schema if exists ?? cascade', [schema]);
    await app.close();
  }
}

const results: Result[] = [];
for (const [mode, workers] of [
  ['single-process', 0],
  ['1 worker', 1],
  ['2 workers', 2],
] as const) {
  const r = await run(mode, workers);
  results.push(r);
  console.log(
    `${mode.padEnd(15)} ${r.seconds.toFixed(1).padStart(7)} s  ${Math.round(r.orders / r.seconds)
      .toLocaleString('en-US')
      .padStart(8)} lines/s  ${Math.round(r.encounters / r.seconds)
      .toLocaleString('en-US')
      .padStart(
        7,
      )} enc/s  ${r.findings} findings${r.workerCpu.length ? `  worker CPU ${r.workerCpu.map((c) => c.toFixed(1)).join(' + ')} s = ${((r.workerCpu.reduce((a, b) => a + b, 0) / r.orders) * 1000).toFixed(3)} CPU s per 1,000 lines` : ''}`,
  );
}
const one = results[1];
const two = results[2];
console.log(`scaling 2 workers / 1 worker: ${(one.seconds / two.seconds).toFixed(2)}×; 1 worker / single-process: ${(results[0].seconds / one.seconds).toFixed(2)}×`);
if (new Set(results.map((r) => r.findings)).size !== 1) console.log('WARNING: the modes found different numbers of findings');
rmSync(dir, { recursive: true, force: true });
