/**
 * A job killed mid-way (SIGKILL, no chance to clean up) resumes from its checkpoint when the
 * service starts again, with no finding lost and none stored twice.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import knexFactory from 'knex';
import { auditPages, DbSource } from '@preaudit/his-adapter';
import { withHospital } from '@preaudit/his-fixtures/testing';
import { nationalRulebook } from '../test-support/helpers.js';

const CHILD = fileURLToPath(new URL('./job-child.test-helper.ts', import.meta.url));

/** Starts the child; resolves lines through `waitFor`. */
function child(env: Record<string, string>): { proc: ChildProcess; waitFor: (re: RegExp) => Promise<string>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters])
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    exited,
    waitFor: (re) => {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        exited.then((code) => reject(new Error(`child exited (${code}) before printing ${re}`)), reject);
      });
    },
  };
}

t.test('SIGKILL mid-job, then resume: every finding exactly once', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 1500, seed: 31 }, async (his) => {
    const { from, to } = his.summary;
    const dir = mkdtempSync(join(tmpdir(), 'pa-kill-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const storage = join(dir, 'service.sqlite');
    const env = { PA_CHILD_DB: storage, PA_CHILD_SOURCE: JSON.stringify(his.config), PA_CHILD_FROM: from, PA_CHILD_TO: to };

    // The reference: what the adapter finds in one uninterrupted run.
    const source = await DbSource.open(his.config);
    const expected = new Set<string>();
    for await (const p of auditPages({ source, rulebooks: { active: nationalRulebook() }, phase: '事后', scope: { dateColumn: 'dscg_date', from, to }, idPrefix: '' })) {
      for (const f of p.findings) expected.add(`${f.jr_id}|${f.rule_id}|${f.rx_id}`);
    }
    const total = await source.count({ from, to });
    await source.close();

    const first = child({ ...env, PA_CHILD_MODE: 'start', PA_CHILD_HANG_AT: '4' });
    const jobId = (await first.waitFor(/^job /)).split(' ')[1];
    await first.waitFor(/^page 4$/);
    first.proc.kill('SIGKILL');
    t.equal(await first.exited, null, 'killed by a signal');

    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: storage }, useNullAsDefault: true });
    t.teardown(() => db.destroy());
    const killed = await db('audit_jobs').where({ id: jobId }).first();
    t.equal(killed.state, 'running', 'the job was running when killed');
    t.equal(killed.pages, 4, 'the checkpoint is the last committed page');
    t.ok(killed.processed > 0 && killed.processed < total, `partly done (${killed.processed} of ${total})`);
    const [{ n: storedAtKill }] = await db('audit_findings').where({ job_id: jobId }).count({ n: '*' });
    t.equal(Number(storedAtKill), killed.findings, 'stored findings match the checkpoint');
    t.ok(killed.findings < expected.size);
    await db.destroy();

    const second = child({ ...env, PA_CHILD_MODE: 'resume' });
    t.match(await second.waitFor(/^(done|failed) /), /^done /);
    t.equal(await second.exited, 0);

    const db2 = knexFactory({ client: 'better-sqlite3', connection: { filename: storage }, useNullAsDefault: true });
    t.teardown(() => db2.destroy());
    const job = await db2('audit_jobs').where({ id: jobId }).first();
    t.match(job, { state: 'done', processed: total, total, findings: expected.size });
    t.ok(job.pages > 4);
    const rows = await db2('audit_findings').where({ job_id: jobId }).select('jr_id', 'rule_id', 'rx_id');
    t.equal(rows.length, expected.size, 'no finding lost, none twice');
    const got = new Set(rows.map((r: { jr_id: string; rule_id: string; rx_id: string }) => `${r.jr_id.slice(jobId.length + 1)}|${r.rule_id}|${r.rx_id}`));
    t.same([...got].sort(), [...expected].sort());
    const [{ e }] = await db2('audit_job_stats').where({ job_id: jobId, dim: 'total' }).sum({ e: 'encounters' });
    t.equal(Number(e), total, 'volume figures counted once per encounter');
  });
});
