/**
 * Recurring audit jobs (insurance-office role), kept in the database and fired once per due time
 * across all instances:
 *   GET    /v1/audit-schedules           schedules by name
 *   POST   /v1/audit-schedules           create
 *   GET    /v1/audit-schedules/:id       one
 *   PATCH  /v1/audit-schedules/:id       change (next run recomputed)
 *   DELETE /v1/audit-schedules/:id       remove
 *   POST   /v1/audit-schedules/:id/run   start its job now
 */
import type { FastifyInstance } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { jobSchema, pagingQuery } from './schemas.js';
import { PERIODS } from './schedules.js';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;

const nullableString = { type: 'string', nullable: true } as const;

const scheduleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    source: { type: 'string' },
    phase: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    period: { type: 'string', enum: PERIODS },
    scenes: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'boolean' },
    next_run_at: nullableString,
    last_run_at: nullableString,
    last_job_id: nullableString,
    last_error: nullableString,
    created_by: { type: 'string' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
} as const;

const fields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  source: { type: 'string', minLength: 1, maxLength: 100, description: 'a configured source (GET /v1/audit-jobs/sources)' },
  phase: { type: 'string', enum: ['事中', '事后'] },
  cron: { type: 'string', minLength: 9, maxLength: 200, description: 'five fields: minute hour day month weekday, e.g. "0 2 * * *" (02:00 daily), "0 3 1 * *" (03:00 on the 1st)' },
  timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA zone of the cron expression and the period (default Asia/Shanghai)' },
  period: {
    type: 'string',
    enum: PERIODS,
    description: 'what each run audits: the day, Monday–Sunday week or calendar month before the run, or (事中 only) changes since the last incremental run',
  },
  scenes: { type: 'array', maxItems: 10, items: { type: 'string', pattern: '^(10|[1-9])$' } },
  enabled: { type: 'boolean' },
} as const;

const createBody = { type: 'object', required: ['name', 'source', 'phase', 'cron', 'period'], additionalProperties: false, properties: fields } as const;
const patchBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: fields } as const;

function notFound(id: string): PreauditError {
  return new PreauditError(ErrorCode.notFound, `定时审核 ${id} 不存在`);
}

export default async function auditScheduleRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const guard = app.requireRole('insurance-office');

  app.get(
    '/v1/audit-schedules',
    {
      schema: {
        tags: ['audit-jobs'],
        summary: '定时审核列表 recurring jobs',
        querystring: { type: 'object', properties: { ...pagingQuery } },
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: scheduleSchema } } }, '4xx': errorSchema },
      },
      config: { action: 'audit-schedule.list' },
      onRequest: guard,
    },
    async (request) => app.auditJobs.schedules.list(request.query.limit, request.query.offset),
  );

  app.post(
    '/v1/audit-schedules',
    {
      schema: { tags: ['audit-jobs'], summary: '新建定时审核 create a recurring job', body: createBody, response: { 201: scheduleSchema, '4xx': errorSchema } },
      config: { action: 'audit-schedule.create' },
      onRequest: guard,
    },
    async (request, reply) => {
      const s = await app.auditJobs.schedules.create(request.body, request.identity?.actor ?? 'anonymous');
      request.trail.ref = s.id;
      request.trail.detail = { name: s.name, source: s.source, phase: s.phase, cron: s.cron, period: s.period };
      reply.code(201).header('location', `/v1/audit-schedules/${s.id}`);
      return s;
    },
  );

  app.get(
    '/v1/audit-schedules/:id',
    {
      schema: { tags: ['audit-jobs'], summary: '定时审核 one recurring job', params: idParams, response: { 200: scheduleSchema, '4xx': errorSchema } },
      config: { action: 'audit-schedule.get' },
      onRequest: guard,
    },
    async (request) => {
      const s = await app.auditJobs.schedules.get(request.params.id);
      if (!s) throw notFound(request.params.id);
      return s;
    },
  );

  app.patch(
    '/v1/audit-schedules/:id',
    {
      schema: { tags: ['audit-jobs'], summary: '修改定时审核 change a recurring job', params: idParams, body: patchBody, response: { 200: scheduleSchema, '4xx': errorSchema } },
      config: { action: 'audit-schedule.update' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      request.trail.ref = id;
      request.trail.detail = { ...request.body };
      const s = await app.auditJobs.schedules.update(id, request.body);
      if (!s) throw notFound(id);
      return s;
    },
  );

  app.delete(
    '/v1/audit-schedules/:id',
    {
      schema: { tags: ['audit-jobs'], summary: '删除定时审核 remove a recurring job', params: idParams, response: { 204: { type: 'null' }, '4xx': errorSchema } },
      config: { action: 'audit-schedule.delete' },
      onRequest: guard,
    },
    async (request, reply) => {
      const { id } = request.params;
      request.trail.ref = id;
      if (!(await app.auditJobs.schedules.remove(id))) throw notFound(id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/audit-schedules/:id/run',
    {
      schema: { tags: ['audit-jobs'], summary: '立即执行定时审核 run now', params: idParams, response: { 202: jobSchema, '4xx': errorSchema, '5xx': errorSchema } },
      config: { action: 'audit-schedule.run' },
      onRequest: guard,
    },
    async (request, reply) => {
      const { id } = request.params;
      request.trail.ref = id;
      const job = await app.auditJobs.schedules.runNow(id, request.identity?.actor ?? 'anonymous');
      if (!job) throw notFound(id);
      request.trail.detail = { job: job.id };
      reply.code(202).header('location', `/v1/audit-jobs/${job.id}`);
      return job;
    },
  );
}
