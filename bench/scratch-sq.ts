import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildApp } from '@preaudit/server';
const N = Number(process.argv[2] ?? 10000);
const body = fs.readFileSync('../examples/3101-outpatient-violations.json', 'utf8');
const app0 = await buildApp({ databaseUrl: ':memory:', logger: false });
await app0.inject({ method: 'POST', url: '/nhsa/3101', headers: { 'content-type': 'application/json' }, payload: body });
await app0.checkStore.flush();
const { id: _c, ...check } = (await app0.db('checks').first()) as any;
const findings = ((await app0.db('findings').orderBy('id')) as any[]).map(({ id: _f, ...f }) => f);
await app0.close();
while (findings.length < 10) findings.push({ ...findings[0] });
const cc = Object.keys(check), fc = Object.keys(findings[0]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-sq-'));
const rowsC: unknown[][] = [], rowsF: unknown[][] = [];
for (let j = 0; j < N; j++) { const id = `Y${j}`; rowsC.push(cc.map((k) => k === 'check_id' ? id : check[k])); for (let k = 0; k < 10; k++) rowsF.push(fc.map((x) => x === 'check_id' ? id : x === 'jr_id' ? `${id}-${k}` : findings[k][x])); }
for (const mode of ['single', 'multi16', 'multi64', 'single-norequest', 'single-pragmas', 'multi16-pragmas']) {
  const f = path.join(dir, mode + '.sqlite');
  const a = await buildApp({ databaseUrl: f, logger: false }); await a.close();
  const db = new Database(f);
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('wal_autocheckpoint = 4000');
  if (mode.includes('pragmas')) { db.pragma('cache_size = -65536'); db.pragma('temp_store = MEMORY'); db.pragma('mmap_size = 268435456'); }
  const per = mode.includes('multi64') ? 64 : mode.includes('multi16') ? 16 : 1;
  const ins = (t: string, cols: string[], n: number) => db.prepare(`insert into ${t} (${cols.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: n }, () => `(${cols.map(() => '?').join(',')})`).join(',')} on conflict do nothing`);
  const sC = ins('checks', cc, per), sF = ins('findings', fc, per), sC1 = ins('checks', cc, 1), sF1 = ins('findings', fc, 1);
  const noreq = mode.includes('norequest'); const ri = cc.indexOf('request');
  const run = (stmt: any, one: any, rows: unknown[][]) => { let i = 0; for (; i + per <= rows.length; i += per) stmt.run(per === 1 ? rows[i] : rows.slice(i, i + per).flat()); for (; i < rows.length; i++) one.run(rows[i]); };
  const tx = db.transaction((c: unknown[][], fr: unknown[][]) => { run(sC, sC1, noreq ? c.map((r) => { const x = r.slice(); x[ri] = null; return x; }) : c); run(sF, sF1, fr); });
  const t0 = performance.now(); const u0 = process.cpuUsage();
  for (let i = 0; i < N; i += 512) tx(rowsC.slice(i, i + 512), rowsF.slice(i * 10, (i + 512) * 10));
  const u = process.cpuUsage(u0);
  console.log(mode, Math.round(N / (performance.now() - t0) * 1000), 'checks/s', 'cpu', Math.round((u.user + u.system) / 1000), 'ms');
  db.close();
}
fs.rmSync(dir, { recursive: true, force: true });
