/**
 * Page 4 (审核任务) backend: live progress as server-sent events, cancel and resume, and
 * recurring jobs kept in the database, each due run fired exactly once by three instances on
 * one PostgreSQL schema.
 */
import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { withHospital } from '@preaudit/his-fixtures/testing';
import { periodOf } from './schedules.js';
import { testApp, uniqueName, PG_URL } from '../test-support/helpers.js';

t.test('the period a scheduled run audits', async (t) => {
  // 02:00 on 2026-03-01 in Shanghai is 18:00 UTC the day before.
  const due = new Date('2026-02-28T18:00:00Z');
  t.same(periodOf('previous-day', due, 'Asia/Shanghai'), { from: '2026-02-28', to: '2026-02-28' });
  t.same(periodOf('previous-month', due, 'Asia/Shanghai'), { from: '2026-02-01', to: '2026-02-28' });
  // 2026-03-01 is a Sunday: the week before runs Mon 02-16 .. Sun 02-22.
  t.same(periodOf('previous-week', due, 'Asia/Shanghai'), { from: '2026-02-16', to: '2026-02-22' });
  // The same instant in UTC is still 02-28: its previous day is 02-27.
  t.same(periodOf('previous-day', due, 'UTC'), { from: '2026-02-27', to: '2026-02-27' });
  t.same(periodOf('previous-month', new Date('2026-01-10T00:00:00Z'), 'UTC'), { from: '2025-12-01', to: '2025-12-31' });
  t.same(periodOf('incremental', due, 'UTC'), { incremental: true });
});

/** Reads a whole event stream over real HTTP; returns the events in order. */
function readEvents(port: number, path: string): Promise<{ status: number; type: string; events: Array<{ event: string; data: any }>; pings: number }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (buf += c));
        res.on('end', () => {
          const events: Array<{ event: string; data: any }> = [];
          let pings = 0;
          for (const block of buf.split('\n\n')) {
            if (block.startsWith(': ping')) pings++;
            const ev = /^event: (.+)$/m.exec(block);
            const data = /^data: (.+)$/m.exec(block);
            if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]) });
          }
          resolve({ status: res.statusCode!, type: String(res.headers['content-type']), events, pings });
        });
      })
      .on('error', reject);
  });
}

t.test('progress events, cancel and resume, schedules CRUD (SQLite)', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 1500, seed: 41 }, async (his) => {
    const { from, to } = his.summary;
    // A slow page commit so a stream sees several steps and a cancel lands mid-job.
    let slow = 0;
    const app = await testApp({
      auditJobs: { sources: { his: his.config }, pageSize: 10, eventsIntervalMs: 20, heartbeatMs: 60, hooks: { onPage: () => new Promise((r) => setTimeout(r, slow)) } },
    });
    t.teardown(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;

    // Reference: an uninterrupted job.
    const ref = (await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from, to } })).json();
    await app.auditJobs.runner.settled(ref.id);
    const refJob = (await app.inject({ method: 'GET', url: `/v1/audit-jobs/${ref.id}` })).json();
    t.equal(refJob.state, 'done');

    slow = 40;
    const job = (await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from, to } })).json();
    const stream = await readEvents(port, `/v1/audit-jobs/${job.id}/events`);
    t.equal(stream.status, 200);
    t.match(stream.type, /^text\/event-stream/);
    const kinds = stream.events.map((e) => e.event);
    t.equal(kinds.at(-1), 'done', 'the stream ends with done');
    t.equal(kinds.filter((k) => k === 'done').length, 1);
    const progress = stream.events.filter((e) => e.event === 'progress').map((e) => e.data.processed as number);
    t.ok(progress.length >= 3, `several progress events (${progress.length})`);
    t.same(
      progress,
      [...progress].sort((a, b) => a - b),
      'processed never goes back',
    );
    t.ok(stream.pings >= 1, 'heartbeats while the job runs');
    t.match(stream.events.at(-1)!.data, { id: job.id, state: 'done', processed: refJob.processed, findings: refJob.findings });

    // Unknown job: a JSON 404, not a stream.
    const missing = await app.inject({ method: 'GET', url: '/v1/audit-jobs/AJNOPE/events' });
    t.equal(missing.statusCode, 404);

    // Cancel mid-job, resume: the same findings as the uninterrupted run, none twice.
    let pages = 0;
    const cancelAt = new Promise<void>((resolve) => {
      app.auditJobs.options.hooks.onPage = async () => {
        if (++pages === 2) resolve();
        await new Promise((r) => setTimeout(r, 40));
      };
    });
    const second = (await app.inject({ method: 'POST', url: '/v1/audit-jobs', payload: { source: 'his', phase: '事后', from, to } })).json();
    await cancelAt;
    t.equal((await app.inject({ method: 'POST', url: `/v1/audit-jobs/${second.id}/cancel` })).statusCode, 200);
    await app.auditJobs.runner.settled(second.id);
    const cancelled = (await app.inject({ method: 'GET', url: `/v1/audit-jobs/${second.id}` })).json();
    t.equal(cancelled.state, 'cancelled');
    t.ok(cancelled.processed < refJob.processed, 'cancelled part-way');
    const done = await app.inject({ method: 'POST', url: `/v1/audit-jobs/${ref.id}/resume` });
    t.equal(done.statusCode, 400, 'a done job cannot be resumed');
    const resumed = await app.inject({ method: 'POST', url: `/v1/audit-jobs/${second.id}/resume` });
    t.equal(resumed.statusCode, 200);
    t.ok(['queued', 'running'].includes(resumed.json().state));
    await new Promise((r) => setTimeout(r, 20));
    await app.auditJobs.runner.settled(second.id);
    const after = (await app.inject({ method: 'GET', url: `/v1/audit-jobs/${second.id}` })).json();
    t.match(after, { state: 'done', findings: refJob.findings });
    const refIds = (await app.db('audit_findings').where({ job_id: ref.id }).select('jr_id')).map((r) => r.jr_id.slice(ref.id.length));
    const gotIds = (await app.db('audit_findings').where({ job_id: second.id }).select('jr_id')).map((r) => r.jr_id.slice(second.id.length));
    t.same(gotIds.sort(), refIds.sort(), 'resumed job stores exactly the uninterrupted findings');

    // Schedules: validation names the field; CRUD; run now.
    const bad = await app.inject({ method: 'POST', url: '/v1/audit-schedules', payload: { name: 'x', source: 'his', phase: '事后', cron: '61 2 * * *', period: 'previous-day' } });
    t.equal(bad.statusCode, 400);
    t.match(bad.json(), { fields: [{ field: 'cron' }] });
    const badInc = await app.inject({ method: 'POST', url: '/v1/audit-schedules', payload: { name: 'x', source: 'his', phase: '事后', cron: '0 2 * * *', period: 'incremental' } });
    t.equal(badInc.statusCode, 400);
    t.match(badInc.json(), { fields: [{ field: 'period' }] });
    const badSrc = await app.inject({ method: 'POST', url: '/v1/audit-schedules', payload: { name: 'x', source: 'nope', phase: '事后', cron: '0 2 * * *', period: 'previous-day' } });
    t.match(badSrc.json(), { fields: [{ field: 'source' }] });
    const badTz = await app.inject({
      method: 'POST',
      url: '/v1/audit-schedules',
      payload: { name: 'x', source: 'his', phase: '事后', cron: '0 2 * * *', period: 'previous-day', timezone: 'Mars/Base' },
    });
    t.match(badTz.json(), { fields: [{ field: 'timezone' }] });

    const created = await app.inject({
      method: 'POST',
      url: '/v1/audit-schedules',
      payload: { name: '每月事后', source: 'his', phase: '事后', cron: '0 3 1 * *', period: 'previous-month' },
    });
    t.equal(created.statusCode, 201);
    const s = created.json();
    t.match(s, { name: '每月事后', timezone: 'Asia/Shanghai', enabled: true, last_job_id: null });
    t.ok(Date.parse(s.next_run_at) > Date.now());
    const patched = await app.inject({ method: 'PATCH', url: `/v1/audit-schedules/${s.id}`, payload: { enabled: false } });
    t.match(patched.json(), { enabled: false, next_run_at: null });
    t.equal((await app.inject({ method: 'GET', url: '/v1/audit-schedules' })).json().total, 1);
    const run = await app.inject({ method: 'POST', url: `/v1/audit-schedules/${s.id}/run` });
    t.equal(run.statusCode, 202);
    t.match(run.json(), { source: 'his', phase: '事后' });
    t.equal((await app.inject({ method: 'GET', url: `/v1/audit-schedules/${s.id}` })).json().last_job_id, run.json().id);
    await app.auditJobs.runner.settled(run.json().id);
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/audit-schedules/${s.id}` })).statusCode, 204);
    t.equal((await app.inject({ method: 'GET', url: `/v1/audit-schedules/${s.id}` })).statusCode, 404);

    // Every change by a person lands in the trail.
    await app.trail.flush();
    const actions = (await app.db('audit_log').select('action')).map((r) => r.action);
    for (const a of ['audit-job.resume', 'audit-job.events', 'audit-schedule.create', 'audit-schedule.update', 'audit-schedule.run', 'audit-schedule.delete'])
      t.ok(actions.includes(a), `trail has ${a}`);
  });
});

t.test('three instances on one PostgreSQL schema fire each due run once', async (t) => {
  await withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 300, seed: 43 }, async (his) => {
    const schema = uniqueName('sched');
    const apps: FastifyInstance[] = [];
    t.teardown(async () => {
      for (const a of apps) await a.close();
      const k = knexFactory({ client: 'pg', connection: PG_URL });
      await k.raw('drop schema if exists ?? cascade', [schema]);
      await k.destroy();
    });
    for (let i = 0; i < 3; i++) {
      // Timers off (a huge interval): the test ticks the three schedulers itself, at the same moment.
      apps.push(await testApp({ databaseUrl: PG_URL, databaseSchema: schema, auditJobs: { sources: { his: his.config }, scheduleIntervalMs: 3_600_000 } }));
    }
    const ids: string[] = [];
    for (const [cron, period] of [
      ['0 2 * * *', 'previous-day'],
      ['0 3 1 * *', 'previous-month'],
      ['*/5 * * * *', 'previous-week'],
    ]) {
      const res = await apps[0].inject({ method: 'POST', url: '/v1/audit-schedules', payload: { name: period, source: 'his', phase: '事后', cron, period } });
      t.equal(res.statusCode, 201);
      ids.push(res.json().id);
    }
    const db = apps[0].db;
    for (let round = 0; round < 3; round++) {
      // Make every schedule due (as if its time had come), then let all instances look at once.
      await db('audit_schedules').update({ next_run_at: new Date(Date.now() - 1000).toISOString() });
      await Promise.all(apps.flatMap((a) => [a.auditJobs.scheduler.tick(), a.auditJobs.scheduler.tick()]));
    }
    const started = apps.flatMap((a) => a.auditJobs.scheduler.started);
    t.equal(started.length, 9, '3 schedules × 3 rounds, each fired once');
    const jobs = await db('audit_jobs').where('created_by', 'like', 'schedule:%').select('id', 'created_by', 'period_from', 'period_to');
    t.equal(jobs.length, 9, '9 jobs in the database');
    for (const id of ids) t.equal(jobs.filter((j) => j.created_by === `schedule:${id}`).length, 3);
    for (const s of await db('audit_schedules').select()) t.ok(Date.parse(s.next_run_at) > Date.now(), 'moved to its next time');
    for (const a of apps) for (const id of a.auditJobs.scheduler.started) await a.auditJobs.runner.settled(id);
  });
});
