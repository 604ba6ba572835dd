/**
 * Console analytics benchmark (issue 14): one million real-time findings (with their checks and
 * 3103 feedback) in the service's database, then the console's analysis routes answered through
 * the service (`inject`: routing, validation, scope, summaries, JSON): /v1/overview, the
 * department and doctor rankings with the previous period, and /v1/compliance by department.
 * Beside them, in the same run, the baseline: one plain `SELECT … GROUP BY department` over the
 * raw findings ⋈ feedback for the same period (what the overview would cost without summaries).
 * Goal: each route < 300 ms on SQLite and on PostgreSQL once the days are summed (the first
 * request of a period sums its settled days and is reported separately as "cold").
 *
 * The seeded databases are kept and reused (SQLite file bench/.data/analytics-<n>.sqlite,
 * PostgreSQL schema pa_bench_analytics_<n>) when they hold the same count.
 *
 * Run: npm run build -w @preaudit/server && npm run bench:analytics -w @preaudit/bench
 *      (options: --findings 1000000 --runs 20 --only sqlite|pg; PA_BENCH_PG=postgres://…)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, seedRealtime } from '@preaudit/server';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const FINDINGS = Number(arg('findings', '1000000'));
const RUNS = Number(arg('runs', '20'));
const ONLY = arg('only', '');
const PG_URL = process.env.PA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data');
const DAYS = 90;
const FROM = '2025-01-01';
const NOW = new Date('2025-04-15T12:00:00');
const rulebook = loadRulebookDir(NATIONAL_RULEBOOK_DIR);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function run(label: string, options: Record<string, unknown>) {
  const app = await buildApp({ ...options, rulebook, now: () => NOW, logger: false });
  try {
    const [{ n }] = await app.db('findings').count({ n: '*' });
    if (Number(n) !== FINDINGS) {
      process.stderr.write(`  ${label}: seeding ${FINDINGS} findings …\n`);
      for (const table of ['analytics_day', 'analytics_days', 'analytics_state', 'feedback', 'findings', 'checks']) await app.db(table).delete();
      const t0 = performance.now();
      let shown = 0;
      const counts = await seedRealtime(app.db, {
        findings: FINDINGS,
        from: FROM,
        days: DAYS,
        departments: 40,
        doctorsPerDepartment: 10,
        rules: 120,
        batch: 2000,
        onProgress: (f) => {
          if (f - shown >= 100_000) {
            shown = f;
            process.stderr.write(`    ${f}\n`);
          }
        },
      });
      process.stderr.write(
        `  ${label}: seeded ${counts.checks} checks, ${counts.findings} findings, ${counts.feedback} feedback in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
      );
      if (label === 'postgresql') await app.db.raw('analyze');
      else await app.db.raw('analyze');
    }
    const from = '2025-01-01';
    const to = '2025-03-31';
    const routes = [
      `/v1/overview?from=${from}&to=${to}`,
      `/v1/drilldown/departments?from=2025-02-01&to=2025-03-31`,
      `/v1/drilldown/doctors?from=2025-02-01&to=2025-03-31&department=K001`,
      `/v1/compliance?from=${from}&to=${to}&by=department`,
    ];
    // Cold: the first request sums every settled day of the period (once per day, ever).
    await app.db('analytics_day').delete();
    await app.db('analytics_days').delete();
    let t = performance.now();
    const cold = await app.inject({ method: 'GET', url: routes[0] });
    if (cold.statusCode !== 200) throw new Error(cold.body);
    const coldMs = performance.now() - t;
    // Baseline: the plain GROUP BY over the raw rows for the same period.
    const base: number[] = [];
    const bounds = [new Date(`${from}T00:00:00`).toISOString(), new Date(`2025-04-01T00:00:00`).toISOString()];
    for (let i = 0; i < Math.max(3, Math.floor(RUNS / 4)); i++) {
      t = performance.now();
      await app
        .db('findings as f')
        .leftJoin('feedback as fb', 'fb.jr_id', 'f.jr_id')
        .where('f.time', '>=', bounds[0])
        .andWhere('f.time', '<', bounds[1])
        .groupBy('f.department')
        .select('f.department')
        .count({ findings: '*' })
        .sum({ vola_amt: 'f.vola_amt' })
        .select(app.db.raw("sum(case when fb.dspo_way = '2' then 1 else 0 end) as modified"));
      base.push(performance.now() - t);
    }
    const results: Array<[string, number, number]> = [];
    for (const url of routes) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        t = performance.now();
        const res = await app.inject({ method: 'GET', url });
        times.push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.body}`);
      }
      results.push([url.split('?')[0] + (url.includes('department=') ? ' (one department)' : ''), median(times), p95(times)]);
    }
    console.log(`\n${label}: ${FINDINGS} findings over ${DAYS} days, 40 departments, 400 doctors, 120 rules`);
    console.log(`  cold overview (sums ${DAYS} days, once): ${coldMs.toFixed(0)} ms`);
    console.log(`  baseline plain SELECT … GROUP BY department (findings ⋈ feedback, 90 days): median ${median(base).toFixed(0)} ms`);
    for (const [name, med, p] of results)
      console.log(`  ${name.padEnd(48)} median ${med.toFixed(1).padStart(7)} ms  p95 ${p.toFixed(1).padStart(7)} ms  (baseline / route ${(median(base) / med).toFixed(1)}×)`);
  } finally {
    await app.close();
  }
}

fs.mkdirSync(DATA, { recursive: true });
if (ONLY !== 'pg') await run('sqlite', { databaseUrl: `sqlite:${path.join(DATA, `analytics-${FINDINGS}.sqlite`)}` });
if (ONLY !== 'sqlite') await run('postgresql', { databaseUrl: PG_URL, databaseSchema: `pa_bench_analytics_${FINDINGS}` });
console.log(`\nnode ${process.version}; goal: every route < 300 ms at 1M findings`);
