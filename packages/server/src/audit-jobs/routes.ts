/**
 * Batch audit jobs (insurance-office role):
 *   POST /v1/audit-jobs                 start a 事中 or 事后 audit of a source over a period
 *   GET  /v1/audit-jobs                 jobs, newest first
 *   GET  /v1/audit-jobs/sources         configured source names
 *   GET  /v1/audit-jobs/:id             processed, total, rate, ETA, state
 *   GET  /v1/audit-jobs/:id/findings    findings with paging and filters
 *   POST /v1/audit-jobs/:id/cancel      stop a queued or running job
 *   POST /v1/audit-jobs/:id/resume      put a cancelled or failed job back (from its checkpoint)
 *   GET  /v1/audit-jobs/:id/events      live progress (server-sent events)
 */
import type { SchemaTypes } from '../platform/type-provider.js';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { jobEventStream } from './events.js';
import { createBody, findingSchema, jobSchema, pagingQuery } from './schemas.js';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;

function notFound(id: string): PreauditError {
  return new PreauditError(ErrorCode.notFound, `审核任务 ${id} 不存在`);
}

export default async function auditJobRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from a cast.
  const app = fastify.withTypeProvider<SchemaTypes>();
  const guard = app.requireRole('insurance-office');

  app.post(
    '/v1/audit-jobs',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '发起批量审核 start a batch audit (事中/事后)',
        description:
          '事后: settled encounters discharged in [from, to]. 事中: encounters admitted in [from, to], or with incremental: true those changed since the last incremental run of the source. The job runs in the background; poll GET /v1/audit-jobs/:id.',
        body: createBody,
        response: { 202: jobSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
      config: { action: 'audit-job.create' },
      onRequest: guard,
    },
    async (request, reply) => {
      const job = await app.auditJobs.create(request.body, request.identity?.actor ?? 'anonymous');
      request.trail.ref = job.id;
      request.trail.detail = { source: job.source, phase: job.phase, from: job.from, to: job.to, total: job.total };
      reply.code(202).header('location', `/v1/audit-jobs/${job.id}`);
      return job;
    },
  );

  app.get(
    '/v1/audit-jobs',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '审核任务列表 jobs',
        querystring: { type: 'object', properties: { source: { type: 'string' }, state: { type: 'string' }, ...pagingQuery } },
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: jobSchema } } }, '4xx': errorSchema },
      },
      config: { action: 'audit-job.list' },
      onRequest: guard,
    },
    async (request) => {
      return app.auditJobs.list(request.query);
    },
  );

  app.get(
    '/v1/audit-jobs/sources',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '数据源 configured HIS sources',
        response: { 200: { type: 'object', properties: { sources: { type: 'array', items: { type: 'string' } } } }, '4xx': errorSchema },
      },
      config: { action: 'audit-job.sources' },
      onRequest: guard,
    },
    async () => ({ sources: app.auditJobs.sources() }),
  );

  app.get(
    '/v1/audit-jobs/:id',
    {
      schema: { tags: ['audit-jobs'], summary: '审核任务进度 job progress', params: idParams, response: { 200: jobSchema, '4xx': errorSchema } },
      config: { action: 'audit-job.get' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      const job = await app.auditJobs.get(id);
      if (!job) throw notFound(id);
      request.trail.ref = id;
      return job;
    },
  );

  app.get(
    '/v1/audit-jobs/:id/findings',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '审核结果 findings of a job',
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            rule_id: { type: 'string' },
            dept_codg: { type: 'string' },
            dr_codg: { type: 'string' },
            sev_deg: { type: 'string', enum: ['1', '2', '3'] },
            mdtrt_id: { type: 'string' },
            hilist_code: { type: 'string' },
            ...pagingQuery,
          },
        },
        response: {
          200: { type: 'object', properties: { total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' }, items: { type: 'array', items: findingSchema } } },
          '4xx': errorSchema,
        },
      },
      config: { action: 'audit-job.findings' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      const { limit, offset, ...filters } = request.query;
      if (!(await app.auditJobs.get(id))) throw notFound(id);
      request.trail.ref = id;
      const page = await app.auditJobs.findings(id, filters, limit, offset);
      return { total: page.total, offset, limit, items: page.items };
    },
  );

  app.post(
    '/v1/audit-jobs/:id/cancel',
    {
      schema: { tags: ['audit-jobs'], summary: '取消审核任务 cancel a job', params: idParams, response: { 200: jobSchema, '4xx': errorSchema } },
      config: { action: 'audit-job.cancel' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      const before = await app.auditJobs.get(id);
      if (!before) throw notFound(id);
      request.trail.ref = id;
      if (!(await app.auditJobs.cancel(id))) throw new PreauditError(ErrorCode.badInput, `任务已是 ${before.state} 状态，无法取消`);
      return (await app.auditJobs.get(id))!;
    },
  );

  app.post(
    '/v1/audit-jobs/:id/resume',
    {
      schema: { tags: ['audit-jobs'], summary: '继续审核任务 resume a cancelled or failed job', params: idParams, response: { 200: jobSchema, '4xx': errorSchema } },
      config: { action: 'audit-job.resume' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      const before = await app.auditJobs.get(id);
      if (!before) throw notFound(id);
      request.trail.ref = id;
      if (!(await app.auditJobs.resume(id))) throw new PreauditError(ErrorCode.badInput, `任务是 ${before.state} 状态，只有已取消或失败的任务可以继续`);
      return (await app.auditJobs.get(id))!;
    },
  );

  let openStreams = 0;
  app.get(
    '/v1/audit-jobs/:id/events',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '审核任务实时进度 live progress (text/event-stream)',
        description:
          'Server-sent events: `progress` (the job, as GET /v1/audit-jobs/:id) at once and on every change, `done` (the final job) when it is done, failed or cancelled, then the stream ends; a `: ping` comment every heartbeat. Works with the session cookie (EventSource withCredentials) or a key.',
        params: idParams,
        response: { 200: { description: 'text/event-stream', type: 'string' }, '4xx': errorSchema, '5xx': errorSchema },
      },
      config: { action: 'audit-job.events' },
      onRequest: guard,
    },
    async (request, reply) => {
      const { id } = request.params;
      const first = await app.auditJobs.get(id);
      if (!first) throw notFound(id);
      request.trail.ref = id;
      const { eventsIntervalMs, heartbeatMs, maxEventStreams } = app.auditJobs.options;
      if (openStreams >= maxEventStreams) throw new PreauditError(ErrorCode.unavailable, `进度订阅已达上限（${maxEventStreams}），请稍后重试`);
      openStreams++;
      const stream = jobEventStream(first, {
        read: () => app.auditJobs.get(id),
        intervalMs: eventsIntervalMs,
        heartbeatMs,
        onClose: () => openStreams--,
        onError: (err) => request.log.warn({ err, job: id }, 'progress stream: reading the job failed'),
      });
      reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
      return reply.send(stream);
    },
  );
}
