/**
 * A server process for service.bench.ts: `service` = the real app (national rulebook, SQLite
 * file storage, write-behind records, audit log, metrics) or `bare` = a bare Fastify route that
 * parses the same body and returns a constant. Reports its URL over IPC and answers RSS queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { pathToFileURL } from 'node:url';
import * as current from '@preaudit/server';

const mode = process.argv[2];
const storeRequests = !process.argv.includes('--no-store-requests');
/** `--server DIR`: another build of the server package (its dist/) instead of the current one. */
const serverDir = process.argv.includes('--server') ? process.argv[process.argv.indexOf('--server') + 1] : undefined;
const { buildApp } = serverDir ? ((await import(pathToFileURL(path.resolve(serverDir, 'dist/index.js')).href)) as typeof current) : current;
const bodyLimit = 4 * 1024 * 1024;
let close: () => Promise<void>;
let pending = () => 0;
let url: string;

if (mode === 'bare') {
  const app = Fastify({ logger: false, bodyLimit });
  const reply = { infcode: 0, err_msg: '', warn_msg: '', output: { result: [] } };
  app.post('/nhsa/3101', async () => reply);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-bench-'));
  const app = await buildApp({ databaseUrl: path.join(dir, 'bench.sqlite'), logger: false, bodyLimit, storeRequests });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  pending = () => app.checkStore.stats().pending + app.trail.pending();
  close = async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** CPU time of the main thread alone, µs (Linux /proc; undefined elsewhere): the event loop is what limits throughput. */
function mainThreadCpuUs(): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return undefined;
  }
}

process.on('message', (msg: { type: string }) => void onMessage(msg));

async function onMessage(msg: { type: string }): Promise<void> {
  if (msg.type === 'rss') {
    global.gc?.();
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    process.send!({ type: 'rss', rss: mem.rss, heap: mem.heapUsed, external: mem.external, cpuUs: cpu.user + cpu.system, mainUs: mainThreadCpuUs(), pending: pending() });
  } else if (msg.type === 'close') {
    await close();
    process.send!({ type: 'closed' });
    process.exit(0);
  }
}
process.send!({ type: 'ready', url });
