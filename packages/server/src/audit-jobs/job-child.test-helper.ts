/**
 * Test support: the service as a separate process, so a test can SIGKILL it mid-job.
 * Environment: PA_CHILD_DB (SQLite storage file), PA_CHILD_SOURCE (source config, JSON),
 * PA_CHILD_MODE (start: create a job; resume: only resume), PA_CHILD_HANG_AT (start: after
 * committing this page, stop making progress and wait to be killed), PA_CHILD_FROM/TO.
 * Prints "job <id>", "page <n>" and "done <id>" lines on stdout.
 */
import { buildApp } from '../app.js';
import { nationalRulebook } from '../test-support/helpers.js';

const env = process.env;
const hangAt = Number(env.PA_CHILD_HANG_AT ?? 0);
const app = await buildApp({
  databaseUrl: env.PA_CHILD_DB!,
  rulebook: nationalRulebook(),
  auditJobs: {
    sources: { his: JSON.parse(env.PA_CHILD_SOURCE!) },
    pageSize: 3,
    leaseMs: 400,
    hooks: {
      onPage(_id, page) {
        process.stdout.write(`page ${page}\n`);
        // The page is committed; the process now waits here to be killed.
        if (env.PA_CHILD_MODE === 'start' && page === hangAt) return new Promise<void>(() => undefined);
      },
    },
  },
});

let id: string;
if (env.PA_CHILD_MODE === 'start') {
  const res = await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from: env.PA_CHILD_FROM, to: env.PA_CHILD_TO } });
  if (res.statusCode !== 202) throw new Error(res.body);
  id = res.json().id;
  process.stdout.write(`job ${id}\n`);
} else {
  const list = await app.auditJobs.list({ limit: 1, offset: 0 });
  id = list.items[0].id;
}
for (;;) {
  const job = await app.auditJobs.get(id);
  if (job && (job.state === 'done' || job.state === 'failed')) {
    process.stdout.write(`${job.state} ${id}\n`);
    break;
  }
  await new Promise((r) => setTimeout(r, 50));
}
await app.close();
