/**
 * Batch audits run by `preaudit worker` processes on the service's PostgreSQL (its own schema):
 * the service instance accepts jobs but runs none (PA_AUDIT_JOBS_RUN=false); two workers share
 * the jobs; one is killed with SIGKILL mid-job and the other finishes its job from the
 * checkpoint once the lease expires. Every job stores exactly the findings of an uninterrupted
 * in-process run, none twice.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { auditPages, DbSource } from '@preaudit/his-adapter';
import { withHospital } from '@preaudit/his-fixtures/testing';
import { nationalRulebook, PG_URL, testApp, uniqueName } from '../test-support/helpers.js';

const CLI = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

t.test('two workers, one killed mid-job: the same findings as one uninterrupted run', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 1500, seed: 51 }, async (his) => {
    const { from, to } = his.summary;
    const schema = uniqueName('workers');
    const dir = mkdtempSync(join(tmpdir(), 'pa-workers-'));
    const sources = join(dir, 'sources');
    const children: ChildProcess[] = [];
    t.teardown(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      const k = knexFactory({ client: 'pg', connection: PG_URL });
      await k.raw('drop schema if exists ?? cascade', [schema]);
      await k.destroy();
    });
    (await import('node:fs')).mkdirSync(sources);
    writeFileSync(join(sources, 'his.json'), JSON.stringify(his.config));

    // The reference: what the adapter finds in one uninterrupted in-process run.
    const source = await DbSource.open(his.config);
    const expected = new Set<string>();
    for await (const p of auditPages({ source, rulebooks: { active: nationalRulebook() }, phase: '事后', scope: { dateColumn: 'dscg_date', from, to }, idPrefix: '' })) {
      for (const f of p.findings) expected.add(`${f.jr_id}|${f.rule_id}`);
    }
    await source.close();
    t.ok(expected.size > 10, `findings to look for (${expected.size})`);

    // The service: accepts jobs, runs none.
    const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema, auditJobs: { sources: { his: his.config }, run: false } });
    t.teardown(() => app.close());
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from, to, page_size: 5 } });
      t.equal(res.statusCode, 202);
      ids.push(res.json().id);
    }
    await new Promise((r) => setTimeout(r, 300));
    t.same(
      (await app.db('audit_jobs').whereIn('id', ids).select('state')).map((r) => r.state),
      ['queued', 'queued'],
      'nothing runs on the service',
    );

    const worker = (name: string) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker'], {
        env: {
          ...process.env,
          DATABASE_URL: PG_URL,
          DATABASE_SCHEMA: schema,
          PA_AUDIT_SOURCES: sources,
          PA_DATA_DIR: join(dir, name),
          PA_AUDIT_JOB_LEASE_MS: '1500',
          PA_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(proc);
      return proc;
    };
    const a = worker('a');
    // Wait until worker a has committed some pages of a job, then kill it without warning.
    let victim: string | undefined;
    for (let i = 0; i < 600 && !victim; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const running = await app.db('audit_jobs').whereIn('id', ids).where('state', 'running').where('pages', '>=', 2).first('id');
      victim = running?.id;
    }
    t.ok(victim, 'worker a is mid-job');
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    const partial = await app.db('audit_jobs').where({ id: victim! }).first();
    t.equal(partial.state, 'running', 'the killed job is left running (its lease runs out)');

    worker('b');
    for (let i = 0; i < 1200; i++) {
      const states = (await app.db('audit_jobs').whereIn('id', ids).select('state')).map((r) => r.state);
      if (states.every((s) => s === 'done' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const id of ids) {
      const job = (await app.inject({ method: 'GET', url: `/v1/audit-jobs/${id}` })).json();
      t.match(job, { state: 'done', findings: expected.size }, `job ${id} done`);
      const rows = await app.db('audit_findings').where({ job_id: id }).select('jr_id', 'rule_id');
      const got = rows.map((r) => `${String(r.jr_id).slice(id.length + 1)}|${r.rule_id}`);
      t.equal(got.length, new Set(got).size, 'no finding twice');
      t.same(new Set(got), expected, 'exactly the uninterrupted run’s findings');
    }
    const resumed = await app.db('audit_jobs').where({ id: victim! }).first();
    t.ok(resumed.processed > 0 && resumed.runner === null);
  });
});
