/**
 * The storage writer alone: N checks × 10 findings pushed as rows into the real check store
 * (write-behind queue, batches, the SQLite writer thread or the PostgreSQL pool) until all are
 * committed, on a SQLite file and on the local PostgreSQL. Baseline in the same run: a plain
 * batched INSERT of the same rows through the driver (better-sqlite3 prepared statement in one
 * transaction per 512 checks; pg multi-row INSERT per 512 checks), into a fresh copy of the
 * same tables. Prints stored checks/s for both and the ratio.
 *
 *   npm run bench:writer -w @preaudit/bench                   # 50,000 checks on each
 *   … -- --checks 20000 --only sqlite                         # or --only pg
 *   … -- --before ../../old/packages/server                   # also another build of the server (its dist/), same run
 *   PA_BENCH_PG=postgres://postgres@127.0.0.1:5432/test …     # the PostgreSQL used (this is the default)
 *
 * The rows are those the service stores for examples/3101-outpatient-violations.json (one real
 * check through POST /nhsa/3101, read back), with a tenth finding, renumbered per check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import * as current from '@preaudit/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(arg('checks') ?? 50_000);
const only = arg('only');
const PG_URL = process.env.PA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 512;
/** Another build of the server package (a folder with dist/), run before the current one in the same run. */
const beforeDir = arg('before');
const before = beforeDir ? ((await import(pathToFileURL(path.resolve(beforeDir, 'dist/index.js')).href)) as typeof current) : undefined;
const { buildApp } = current;
/** The check stores measured: the current build, and the `--before` build first when given. */
const contenders: Array<[name: string, build: typeof buildApp]> = [...(before ? [['before', before.buildApp] as [string, typeof buildApp]] : []), ['check store', buildApp]];
const body = fs.readFileSync(path.join(here, '../examples/3101-outpatient-violations.json'), 'utf8');

type Row = Record<string, unknown>;
interface Stored extends Row {
  finding_rows: Row[];
}

/** One real check's rows, as the service stored them (without the serial `id`). */
async function templateRows(): Promise<{ check: Row; findings: Row[] }> {
  const app = await buildApp({ databaseUrl: ':memory:', logger: false });
  const res = await app.inject({ method: 'POST', url: '/nhsa/3101', headers: { 'content-type': 'application/json' }, payload: body });
  if (res.json().infcode !== 0) throw new Error(`template check failed: ${res.body}`);
  await app.checkStore.flush();
  const { id: _c, ...check } = (await app.db('checks').first()) as Row;
  const findings = ((await app.db('findings').orderBy('id')) as Row[]).map(({ id: _f, ...f }) => f);
  await app.close();
  while (findings.length < 10) findings.push({ ...findings[findings.length % Math.max(1, findings.length)] });
  return { check, findings: findings.slice(0, 10) };
}

function makeRows(t: { check: Row; findings: Row[] }, tag: string): Stored[] {
  const out: Stored[] = [];
  for (let i = 0; i < N; i++) {
    const checkId = `B${tag}${String(i).padStart(8, '0')}`;
    out.push({ ...t.check, check_id: checkId, finding_rows: t.findings.map((f, j) => ({ ...f, check_id: checkId, jr_id: `${checkId}-${j}` })) });
  }
  return out;
}

const CHECK_COLUMNS = (t: { check: Row }) => Object.keys(t.check);
const FINDING_COLUMNS = (t: { findings: Row[] }) => Object.keys(t.findings[0]);

/** CPU time of the main thread alone, µs (Linux /proc; NaN elsewhere): what storing costs the event loop. */
function mainThreadCpuUs(): number {
  try {
    const fields = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return NaN;
  }
}

/** Event-loop CPU per check of the last `viaStore` run, µs. */
let loopUsPerCheck = NaN;

/** Through the service's check store: push with its backpressure, then wait for the last commit. */
async function viaStore(app: Awaited<ReturnType<typeof buildApp>>, rows: Stored[]): Promise<number> {
  const cpu = mainThreadCpuUs();
  const started = performance.now();
  for (const r of rows) {
    app.checkStore.push(r as never);
    const wait = app.checkStore.room();
    if (wait) await wait;
  }
  await app.checkStore.flush();
  const ms = performance.now() - started;
  loopUsPerCheck = (mainThreadCpuUs() - cpu) / rows.length;
  return ms;
}

function sqliteBaseline(file: string, rows: Stored[], t: { check: Row; findings: Row[] }): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const cc = CHECK_COLUMNS(t);
  const fc = FINDING_COLUMNS(t);
  const insCheck = db.prepare(`insert into checks (${cc.map((c) => `"${c}"`).join(', ')}) values (${cc.map(() => '?').join(', ')})`);
  const insFinding = db.prepare(`insert into findings (${fc.map((c) => `"${c}"`).join(', ')}) values (${fc.map(() => '?').join(', ')})`);
  const tx = db.transaction((chunk: Stored[]) => {
    for (const r of chunk) {
      insCheck.run(cc.map((c) => r[c] ?? null));
      for (const f of r.finding_rows) insFinding.run(fc.map((c) => f[c] ?? null));
    }
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) tx(rows.slice(i, i + BATCH));
  const ms = performance.now() - started;
  db.close();
  return ms;
}

async function pgBaseline(schema: string, rows: Stored[], t: { check: Row; findings: Row[] }): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  const cc = CHECK_COLUMNS(t);
  const fc = FINDING_COLUMNS(t);
  const insert = async (table: string, cols: string[], list: Row[]) => {
    // Below PostgreSQL's 65,535 bound parameters.
    const per = Math.floor(30_000 / cols.length);
    for (let i = 0; i < list.length; i += per) {
      const part = list.slice(i, i + per);
      const values: unknown[] = [];
      const tuples = part.map((r) => `(${cols.map((c) => (values.push(r[c] ?? null), `$${values.length}`)).join(',')})`);
      await client.query(`insert into ${table} (${cols.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}`, values);
    }
  };
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    await client.query('begin');
    await insert('checks', cc, chunk);
    await insert(
      'findings',
      fc,
      chunk.flatMap((r) => r.finding_rows),
    );
    await client.query('commit');
  }
  const ms = performance.now() - started;
  await client.end();
  return ms;
}

const rate = (ms: number) => (N / ms) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const template = await templateRows();
console.log(
  `storage writer alone: ${fmt(N)} checks × ${template.findings.length} findings (stored request ${(typeof template.check.request === 'string' ? template.check.request : '').length} chars), Node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
);

if (only !== 'pg') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-writer-'));
  try {
    const results: string[] = [];
    let currentMs = 0;
    let beforeMs = 0;
    for (const [name, build] of contenders) {
      const app = await build({ databaseUrl: path.join(dir, `${name.replace(/ /g, '-')}.sqlite`), logger: false });
      const storeMs = await viaStore(app, makeRows(template, name[0]));
      const stored = Number((await app.db('findings').count({ n: '*' }))[0].n);
      await app.close();
      if (name === 'before') beforeMs = storeMs;
      else currentMs = storeMs;
      results.push(`${name} ${fmt(rate(storeMs)).padStart(7)} checks/s (${fmt((stored / storeMs) * 1000)} finding rows/s, event loop ${loopUsPerCheck.toFixed(0)} µs/check)`);
    }
    const base = await buildApp({ databaseUrl: path.join(dir, 'plain.sqlite'), logger: false });
    await base.close();
    const plainMs = sqliteBaseline(path.join(dir, 'plain.sqlite'), makeRows(template, 'p'), template);
    console.log(
      `SQLite file   ${results.join('   ')}   plain batched INSERT ${fmt(rate(plainMs)).padStart(7)} checks/s   ratio ${(plainMs / currentMs).toFixed(2)}${before ? `   current ÷ before ${(beforeMs / currentMs).toFixed(2)}` : ''}   (goal ≥ 10,000 checks/s; load ${load()})`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (only !== 'sqlite') {
  const schema = `pa_writer_${process.pid}`;
  const plainSchema = `${schema}_plain`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const results: string[] = [];
    let currentMs = 0;
    let beforeMs = 0;
    for (const [name, build] of contenders) {
      const app = await build({ databaseUrl: PG_URL, databaseSchema: `${schema}_${name[0]}`, logger: false });
      const storeMs = await viaStore(app, makeRows(template, `g${name[0]}`));
      await app.close();
      if (name === 'before') beforeMs = storeMs;
      else currentMs = storeMs;
      results.push(`${name} ${fmt(rate(storeMs)).padStart(7)} checks/s (event loop ${loopUsPerCheck.toFixed(0)} µs/check)`);
    }
    const base = await buildApp({ databaseUrl: PG_URL, databaseSchema: plainSchema, logger: false });
    await base.close();
    const plainMs = await pgBaseline(plainSchema, makeRows(template, 'q'), template);
    console.log(
      `PostgreSQL    ${results.join('   ')}   plain batched INSERT ${fmt(rate(plainMs)).padStart(7)} checks/s   ratio ${(plainMs / currentMs).toFixed(2)}${before ? `   current ÷ before ${(beforeMs / currentMs).toFixed(2)}` : ''}   (goal ≥ 10,000 checks/s; load ${load()})`,
    );
  } finally {
    for (const s of [...contenders.map(([name]) => `${schema}_${name[0]}`), plainSchema]) await admin.query(`drop schema if exists "${s}" cascade`);
    await admin.end();
  }
}
