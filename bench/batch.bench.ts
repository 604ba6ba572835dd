/**
 * Batch audit benchmark: one million order lines (about 50,000 encounters) of a generated
 * hospital in the local PostgreSQL, audited end to end by the service's job runner (views read
 * page by page, 对照, national rulebook, findings and figures stored in PostgreSQL), next to a
 * plain streaming SELECT (server-side cursor) of the same rows, in the same run.
 * Prints time, rows/s, the ratio of the two rates, and peak RSS. Goals (issue 5): audit under
 * 60 s, at least half the plain read's rate, RSS under 500 MB throughout. Never gates CI.
 *
 * The generated hospital is cached in schema pa_bench_his_<orders> and reused when it is there
 * with the right row count; the service's storage goes to a fresh schema dropped at the end.
 *
 * Run: npm run build && npm run bench:batch -w @preaudit/bench
 *      (options: --orders 1000000 --page-size 500 --page-encounters 500 --seed 1; PA_BENCH_PG=postgres://… to use another server)
 */
import pg from 'pg';
import { buildApp } from '@preaudit/server';
import { connect, type DbSourceConfig } from '@preaudit/his-adapter';
import { ensureHis } from '@preaudit/his-fixtures';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ORDERS = arg('orders', 1_000_000);
const PAGE_SIZE = arg('page-size', 500);
const PAGE_ENCOUNTERS = arg('page-encounters', 500);
const SEED = arg('seed', 1);
const PG_URL = process.env.PA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const HIS_SCHEMA = `pa_bench_his_${ORDERS}_s${SEED}`;
const STORE_SCHEMA = `pa_bench_store_${process.pid}`;

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
sampler.unref();

// ---------- 1. the hospital (cached between runs) ----------
const { knex } = await connect({ client: 'pg', connection: PG_URL });
let t = performance.now();
let lastShown = 0;
const { summary, reused } = await ensureHis(knex, {
  schema: HIS_SCHEMA,
  orderLines: ORDERS,
  seed: SEED,
  from: '2025-01-01',
  months: 6,
  onProgress: (n) => {
    if (n - lastShown >= 100_000) {
      lastShown = n;
      process.stderr.write(`  generating: ${n} order lines\n`);
    }
  },
});
await knex.raw('analyze ??.his_order, ??.his_encounter, ??.his_patient', [HIS_SCHEMA, HIS_SCHEMA, HIS_SCHEMA]);
await knex.destroy();
console.log(
  `hospital ${HIS_SCHEMA}: ${summary.patients} patients, ${summary.encounters} encounters, ${summary.orders} order lines, ${summary.from} … ${summary.to} (${reused ? 'reused' : `generated in ${((performance.now() - t) / 1000).toFixed(1)} s`})`,
);
const rssBefore = process.memoryUsage().rss;
peakRss = rssBefore;

// ---------- 2. the plain streaming SELECT of the same rows ----------
// The audit reads the orders of encounters discharged in the period: so does this cursor.
const client = new pg.Client({ connectionString: PG_URL });
await client.connect();
let cpu = process.cpuUsage();
t = performance.now();
await client.query('begin');
await client.query(
  `declare plain no scroll cursor for
     select o.* from "${HIS_SCHEMA}".pa_order o join "${HIS_SCHEMA}".pa_encounter e on e.mdtrt_id = o.mdtrt_id
     where e.dscg_date >= $1 and e.dscg_date < $2::date + 1`,
  [summary.from, summary.to],
);
let plainRows = 0;
for (;;) {
  const r = await client.query('fetch 10000 from plain');
  plainRows += r.rowCount ?? 0;
  if (!r.rowCount) break;
}
await client.query('commit');
const plainS = (performance.now() - t) / 1000;
const plainCpu = cpuSeconds(process.cpuUsage(cpu));
await client.end();
const plainPeak = peakRss;

// ---------- 3. the audit, end to end, findings stored ----------
peakRss = process.memoryUsage().rss;
const source: DbSourceConfig = {
  kind: 'database',
  name: 'bench-his',
  client: 'pg',
  connection: PG_URL,
  schema: HIS_SCHEMA,
  page_size: PAGE_SIZE,
  page_encounters: PAGE_ENCOUNTERS,
  views: {},
  code_cache_size: 50_000,
};
const app = await buildApp({
  databaseUrl: PG_URL,
  databaseSchema: STORE_SCHEMA,
  rulebook: loadRulebookDir(NATIONAL_RULEBOOK_DIR),
  auditJobs: { sources: { his: source }, pageSize: PAGE_SIZE },
});
cpu = process.cpuUsage();
t = performance.now();
const created = await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from: summary.from, to: summary.to } });
if (created.statusCode !== 202) throw new Error(created.body);
const id = created.json().id as string;
let lastProgress = 0;
// Progress is best effort: a failed read is reported, never left as an unhandled rejection.
const progress = setInterval(() => {
  app.auditJobs.get(id).then(
    (job) => {
      if (job && job.processed !== lastProgress) {
        lastProgress = job.processed;
        process.stderr.write(
          `  auditing: ${job.processed}/${job.total} encounters, ${job.findings} findings, ${job.rate ?? '-'} enc/s, ETA ${job.eta_seconds ?? '-'} s, RSS ${mb(process.memoryUsage().rss)} MB\n`,
        );
      }
    },
    (e: unknown) => process.stderr.write(`  progress unavailable: ${e instanceof Error ? e.message : 'unknown error'}\n`),
  );
}, 5000);
await app.auditJobs.runner.settled(id);
const auditS = (performance.now() - t) / 1000;
const auditCpu = cpuSeconds(process.cpuUsage(cpu));
clearInterval(progress);
const job = (await app.auditJobs.get(id))!;
const auditPeak = peakRss;
const [{ n: stored }] = await app.db('audit_findings').where({ job_id: id }).count({ n: '*' });
await app.close();
const drop = new pg.Client({ connectionString: PG_URL });
await drop.connect();
await drop.query(`drop schema if exists "${STORE_SCHEMA}" cascade`);
await drop.end();

if (job.state !== 'done') throw new Error(`job ended ${job.state}: ${job.error}`);
const plainRate = plainRows / plainS;
const auditRate = job.orders / auditS;
console.log('');
// Node's own CPU seconds are shown too: on a shared machine they vary far less than wall time.
console.log('                                   rows        time        rows/s     peak RSS   node CPU');
console.log(
  `plain streaming SELECT     ${String(plainRows).padStart(11)} ${plainS.toFixed(2).padStart(9)} s ${plainRate.toFixed(0).padStart(12)} ${mb(plainPeak).padStart(8)} MB ${plainCpu.toFixed(1).padStart(8)} s`,
);
console.log(
  `audit job, findings stored ${String(job.orders).padStart(11)} ${auditS.toFixed(2).padStart(9)} s ${auditRate.toFixed(0).padStart(12)} ${mb(auditPeak).padStart(8)} MB ${auditCpu.toFixed(1).padStart(8)} s`,
);
console.log('');
console.log(`encounters audited: ${job.processed}; findings stored: ${stored} (违规金额 ${job.vola_amt.toFixed(2)} 元); order lines without a national code: ${job.unmapped_orders}`);
console.log(`audit rate / plain read rate: ${(auditRate / plainRate).toFixed(2)}  (goal ≥ 0.5)`);
console.log(`audit time: ${auditS.toFixed(1)} s (goal < 60 s); peak RSS: ${mb(Math.max(plainPeak, auditPeak))} MB (goal < 500 MB); RSS before reading: ${mb(rssBefore)} MB`);
console.log(`page: up to ${PAGE_SIZE} patients and ${PAGE_ENCOUNTERS} encounters; node ${process.version}`);
