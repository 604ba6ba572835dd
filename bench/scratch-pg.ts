import fs from 'node:fs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { buildApp } from '@preaudit/server';
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.argv[2] ?? 10000);
const body = fs.readFileSync('../examples/3101-outpatient-violations.json', 'utf8');
const app0 = await buildApp({ databaseUrl: ':memory:', logger: false });
await app0.inject({ method: 'POST', url: '/nhsa/3101', headers: { 'content-type': 'application/json' }, payload: body });
await app0.checkStore.flush();
const { id: _c, ...check } = (await app0.db('checks').first()) as any;
const findings = ((await app0.db('findings').orderBy('id')) as any[]).map(({ id: _f, ...f }) => f);
await app0.close();
while (findings.length < 10) findings.push({ ...findings[0] });
const schema = `pa_scr_${process.pid}`;
const app = await buildApp({ databaseUrl: PG_URL, databaseSchema: schema, logger: false });
await app.close();
const c = new pg.Client({ connectionString: PG_URL });
await c.connect();
await c.query(`set search_path to "${schema}"`);
const cc = Object.keys(check), fc = Object.keys(findings[0]);
const esc = (v: any) => v === null || v === undefined ? '\\N' : typeof v === 'number' ? String(v) : String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
async function copy(table: string, cols: string[], rows: any[]) {
  const lines = rows.map((r) => cols.map((k) => esc(r[k])).join('\t') + '\n').join('');
  const s = c.query(copyFrom(`copy ${table} (${cols.map((x) => `"${x}"`).join(',')}) from stdin`));
  await pipeline(Readable.from([lines]), s);
}
const bufs: Buffer[][] = [];
const t00 = performance.now();
for (let i = 0; i < N; i += 512) {
  const chunkC = [], chunkF = [];
  for (let j = i; j < Math.min(N, i + 512); j++) {
    const id = `Y${j}`;
    chunkC.push({ ...check, check_id: id });
    for (let k = 0; k < 10; k++) chunkF.push({ ...findings[k], check_id: id, jr_id: `${id}-${k}` });
  }
  bufs.push([Buffer.from(chunkC.map((r) => cc.map((k) => esc(r[k])).join('\t') + '\n').join('')), Buffer.from(chunkF.map((r) => fc.map((k) => esc(r[k])).join('\t') + '\n').join(''))]);
}
console.log('build ms', performance.now() - t00);
async function copyBuf(table: string, cols: string[], b: Buffer) {
  const s = c.query(copyFrom(`copy ${table} (${cols.map((x) => `"${x}"`).join(',')}) from stdin`));
  await pipeline(Readable.from([b]), s);
}
for (const alter of ['', 'alter table checks alter column request set compression lz4', 'alter table checks alter column request set storage external', 'alter table checks alter column findings set storage external']) { if (alter) await c.query(alter); console.log(alter);
for (const mode of ['checks']) {
  await c.query('truncate checks, findings');
  const t0 = performance.now();
  for (const [bc, bf] of bufs) {
    await c.query('begin');
    if (mode !== 'findings') await copyBuf('checks', cc, bc);
    if (mode !== 'checks') await copyBuf('findings', fc, bf);
    await c.query('commit');
  }
  console.log(mode, Math.round(N / (performance.now() - t0) * 1000), 'checks/s');
}
}
await c.query(`drop schema "${schema}" cascade`);
await c.end();
