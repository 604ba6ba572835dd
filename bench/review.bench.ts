/**
 * The review queue (疑点审核) at 1M findings, on a SQLite file and on the local PostgreSQL.
 *
 * Seeding: half the findings real-time (`findings`), half batch (`audit_findings` of two jobs),
 * generated inside the database by one INSERT … SELECT over a number series (a recursive CTE on
 * SQLite, generate_series on PostgreSQL): 40 departments, 400 doctors, 200 rules, amounts and
 * times spread over 180 days. Then the service's own copy into `review_items` (ReviewSync, the
 * path a fresh install upgrading to migration 0007 takes) is timed.
 *
 * Measured through the service (app.inject: auth, validation, the sync check, the query, JSON):
 * the queue's first page (50 items) by default sort, with a department filter, with department
 * + status 待审, by amount, by severity, a page 20 pages deep (keyset), and with_total. Baseline
 * in the same run: the plain `SELECT * FROM review_items WHERE … ORDER BY time DESC, id DESC
 * LIMIT 51` through knex on the same table, and the same SELECT on the source table `findings`
 * (its own index on time, none on department) — the query one would write without the queue.
 * Median and p95 of `--runs` (default 30) after 3 warm-up runs; goal: first page < 300 ms.
 *
 *   npm run bench:review -w @preaudit/bench                     # 1,000,000 findings on each
 *   … -- --findings 200000 --only sqlite                         # or --only pg
 *   PA_BENCH_PG=postgres://postgres@127.0.0.1:5432/test …       # the PostgreSQL used (default)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '@preaudit/server';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(arg('findings') ?? 1_000_000);
const RUNS = Number(arg('runs') ?? 30);
const only = arg('only');
const PG_URL = process.env.PA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const HALF = Math.floor(N / 2);
const DAY0 = 1735689600; // 2025-01-01T00:00:00Z
const SPAN = 180 * 86400;

type Db = FastifyInstance['db'];

/** SQLite: a recursive number series feeding each INSERT. */
async function seedSqlite(db: Db): Promise<void> {
  const series = (n: number) => `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n})`;
  await db.raw(`insert into findings (jr_id, check_id, time, rule_id, rule_name, sev_deg, rx_id, hilist_code, vola_amt, hospital, department, doctor)
    ${series(HALF)}
    select 'RT' || i, 'C' || (i / 10), strftime('%Y-%m-%dT%H:%M:%S.000Z', ${DAY0} + (i * 7919) % ${SPAN}, 'unixepoch'),
      'R' || (i % 200), '规则' || (i % 200), cast(1 + i % 3 as text), 'RX' || i, 'X' || (i % 5000), ((i * 104729) % 100000) / 100.0,
      'H1', 'D' || (i % 40), 'DR' || (i % 400) from s`);
  await db('audit_jobs').insert([
    { id: 'AJBENCH1', source: 'his', phase: '事后', state: 'done', created_by: 'bench', created_at: '2025-07-01T00:00:00.000Z' },
    { id: 'AJBENCH2', source: 'his', phase: '事中', state: 'done', created_by: 'bench', created_at: '2025-07-01T00:00:00.000Z' },
  ]);
  await db.raw(`insert into audit_findings (job_id, jr_id, rule_id, rule_name, sev_deg, vola_cont, vola_evid, vola_amt, patn_id, mdtrt_id, rx_id, hilist_code, hilist_name, dept_codg, dept_name, dr_codg, dr_name, order_date, details)
    ${series(N - HALF)}
    select case when i % 2 = 0 then 'AJBENCH1' else 'AJBENCH2' end, 'B' || i, 'R' || (i % 200), '规则' || (i % 200), cast(1 + i % 3 as text), '内容', '依据',
      ((i * 7919) % 100000) / 100.0, '33**************28', 'ZY' || (i / 5), 'BX' || i, 'Y' || (i % 5000), '项目', 'D' || (i % 40), '科室', 'DR' || (i % 400), '医生',
      strftime('%Y-%m-%d %H:%M:%S', ${DAY0} + (i * 104729) % ${SPAN}, 'unixepoch'), '[]' from s`);
}

/** PostgreSQL: generate_series feeding each INSERT. */
async function seedPg(db: Db): Promise<void> {
  await db.raw(`insert into findings (jr_id, check_id, time, rule_id, rule_name, sev_deg, rx_id, hilist_code, vola_amt, hospital, department, doctor)
    select 'RT' || i, 'C' || (i / 10), to_char(to_timestamp(${DAY0} + (i::bigint * 7919) % ${SPAN}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'),
      'R' || (i % 200), '规则' || (i % 200), (1 + i % 3)::text, 'RX' || i, 'X' || (i % 5000), ((i::bigint * 104729) % 100000) / 100.0,
      'H1', 'D' || (i % 40), 'DR' || (i % 400) from generate_series(1, ${HALF}) as i`);
  await db('audit_jobs').insert([
    { id: 'AJBENCH1', source: 'his', phase: '事后', state: 'done', created_by: 'bench', created_at: '2025-07-01T00:00:00.000Z' },
    { id: 'AJBENCH2', source: 'his', phase: '事中', state: 'done', created_by: 'bench', created_at: '2025-07-01T00:00:00.000Z' },
  ]);
  await db.raw(`insert into audit_findings (job_id, jr_id, rule_id, rule_name, sev_deg, vola_cont, vola_evid, vola_amt, patn_id, mdtrt_id, rx_id, hilist_code, hilist_name, dept_codg, dept_name, dr_codg, dr_name, order_date, details)
    select case when i % 2 = 0 then 'AJBENCH1' else 'AJBENCH2' end, 'B' || i, 'R' || (i % 200), '规则' || (i % 200), (1 + i % 3)::text, '内容', '依据',
      ((i::bigint * 7919) % 100000) / 100.0, '33**************28', 'ZY' || (i / 5), 'BX' || i, 'Y' || (i % 5000), '项目', 'D' || (i % 40), '科室', 'DR' || (i % 400), '医生',
      to_char(to_timestamp(${DAY0} + (i::bigint * 104729) % ${SPAN}) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '[]' from generate_series(1, ${N - HALF}) as i`);
  await db.raw('analyze');
}

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

async function time(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms);
}

async function api(app: FastifyInstance, url: string): Promise<Record<string, any>> {
  const res = await app.inject({ method: 'GET', url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

const f1 = (n: number) => n.toFixed(1).padStart(8);

async function run(name: string, app: FastifyInstance, seed: (db: Db) => Promise<void>): Promise<void> {
  const db = app.db;
  let t0 = performance.now();
  await seed(db);
  const seedMs = performance.now() - t0;
  t0 = performance.now();
  const copied = await app.review.sync.sync();
  const syncMs = performance.now() - t0;
  if (name === 'pg') await db.raw('analyze review_items');
  const n = Number((await db('review_items').count({ n: '*' }).first())?.n);
  console.log(
    `\n${name}: ${N.toLocaleString()} findings seeded in ${(seedMs / 1000).toFixed(1)} s; copied into review_items by ReviewSync in ${(syncMs / 1000).toFixed(1)} s (${Math.round(copied / (syncMs / 1000)).toLocaleString()} rows/s); ${n.toLocaleString()} items`,
  );

  // A cursor 20 pages deep (keyset), taken once.
  let cursor: string | null = null;
  for (let p = 0; p < 20; p++) cursor = (await api(app, `/v1/review/items?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).next_cursor;

  const plain =
    (where: (q: ReturnType<Db>) => ReturnType<Db>, table = 'review_items') =>
    () =>
      where(db(table))
        .orderBy([
          { column: 'time', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(51);
  const cases: Array<{ label: string; url: string; baseline?: () => Promise<unknown>; source?: () => Promise<unknown> }> = [
    { label: 'first page, default sort (time desc)', url: '/v1/review/items?limit=50', baseline: plain((q) => q), source: plain((q) => q, 'findings') },
    {
      label: 'first page, department=D7',
      url: '/v1/review/items?limit=50&department=D7',
      baseline: plain((q) => q.where('department', 'D7')),
      source: plain((q) => q.where('department', 'D7'), 'findings'),
    },
    {
      label: 'first page, department=D7 & status=pending',
      url: '/v1/review/items?limit=50&department=D7&status=pending',
      baseline: plain((q) => q.where({ department: 'D7', status: 'pending' })),
    },
    {
      label: 'first page, departments D1,D2,D3 (a dept-head scope)',
      url: '/v1/review/items?limit=50&department=D1,D2,D3',
      baseline: plain((q) => q.whereIn('department', ['D1', 'D2', 'D3'])),
    },
    { label: 'first page, sort=amount', url: '/v1/review/items?limit=50&sort=amount' },
    { label: 'first page, sort=severity', url: '/v1/review/items?limit=50&sort=severity' },
    { label: 'first page, sev_deg=1 & from/to (one month)', url: '/v1/review/items?limit=50&sev_deg=1&from=2025-03-01&to=2025-03-31' },
    { label: 'page 21 (keyset cursor)', url: `/v1/review/items?limit=50&cursor=${encodeURIComponent(cursor!)}` },
    { label: 'first page + with_total (count of 1M)', url: '/v1/review/items?limit=50&with_total=true' },
    { label: 'first page + with_total, department=D7', url: '/v1/review/items?limit=50&department=D7&with_total=true' },
  ];
  console.log(`${'case'.padEnd(52)} ${'API med'.padStart(8)} ${'API p95'.padStart(8)}  ${'plain SQL'.padStart(9)} ${'ratio'.padStart(6)}  ${'findings tbl'.padStart(12)}   (ms)`);
  for (const c of cases) {
    const a = await time(() => api(app, c.url));
    const b = c.baseline ? await time(c.baseline) : undefined;
    const s = c.source ? await time(c.source) : undefined;
    console.log(
      `${c.label.padEnd(52)} ${f1(a.median)} ${f1(a.p95)}  ${b ? f1(b.median).padStart(9) : '         '} ${b ? `${(a.median / b.median).toFixed(1)}×`.padStart(6) : '      '}  ${s ? f1(s.median).padStart(12) : ''}${a.median < 300 ? '' : '   OVER 300 ms'}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(
    `review queue bench: ${N.toLocaleString()} findings, ${RUNS} runs per case (median, p95), through app.inject; baseline: plain SELECT … ORDER BY time DESC, id DESC LIMIT 51 via knex on review_items, and on the source table findings`,
  );
  if (only !== 'pg') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-review-bench-'));
    const app = await buildApp({ databaseUrl: path.join(dir, 'bench.sqlite'), logger: false });
    try {
      await run('sqlite', app, seedSqlite);
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== 'sqlite') {
    const schema = `pa_review_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const app = await buildApp({ databaseUrl: PG_URL, databaseSchema: schema, logger: false });
    try {
      await run('pg', app, seedPg);
    } finally {
      await app.close();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
