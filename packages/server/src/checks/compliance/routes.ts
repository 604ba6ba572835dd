/**
 * GET /v1/reports/compliance?from&to: 遵从率 per rule (insurance-office role).
 */
import type { SchemaTypes } from '../../platform/type-provider.js';
import type { FastifyInstance } from 'fastify';
import { badInput } from '../../platform/errors.js';
import { errorSchema } from '../../platform/schemas.js';
import { complianceReport, periodBound } from './report.js';

const counts = {
  warnings: { type: 'integer', description: '提醒次数 warnings given' },
  continued: { type: 'integer', description: '继续执行 (dspo_way 1)' },
  modified: { type: 'integer', description: '返回修改 (dspo_way 2)' },
  no_answer: { type: 'integer', description: '未反馈' },
  compliance_rate: { type: 'number', nullable: true, description: '遵从率 = modified / warnings' },
} as const;

export default async function complianceRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from a cast.
  const app = fastify.withTypeProvider<SchemaTypes>();
  app.get(
    '/v1/reports/compliance',
    {
      schema: {
        tags: ['reports'],
        summary: '遵从率 compliance per rule',
        description:
          'Warnings given in [from, to] and what doctors did with them (3103 / CDS feedback). Dates are yyyy-MM-dd (local, to inclusive) or ISO times. Default: the last 30 days.',
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', description: 'yyyy-MM-dd or ISO time' },
            to: { type: 'string', description: 'yyyy-MM-dd (inclusive) or ISO time (exclusive)' },
            hospital: { type: 'string' },
            department: { type: 'string' },
            doctor: { type: 'string' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              rules: {
                type: 'array',
                items: { type: 'object', properties: { rule_id: { type: 'string' }, rule_name: { type: 'string' }, ...counts } },
              },
              total: { type: 'object', properties: counts },
            },
          },
          '4xx': errorSchema,
        },
      },
      config: { action: 'report.compliance' },
      onRequest: app.requireRole('insurance-office'),
    },
    async (request) => {
      const q = request.query;
      const now = app.config.now();
      const from = q.from ? periodBound(q.from, false) : new Date(now.getTime() - 30 * 86_400_000).toISOString();
      const to = q.to ? periodBound(q.to, true) : new Date(now.getTime() + 1).toISOString();
      const problems = [];
      if (!from) problems.push({ field: 'query.from', message: '日期格式应为 yyyy-MM-dd' });
      if (!to) problems.push({ field: 'query.to', message: '日期格式应为 yyyy-MM-dd' });
      if (from && to && from >= to) problems.push({ field: 'query.to', message: '应晚于 from' });
      if (problems.length > 0 || !from || !to) throw badInput(problems);
      // Records are written behind; flush first so the report sees every check answered so far.
      await app.checkStore.flush();
      const report = await complianceReport(app.db, { from, to, hospital: q.hospital, department: q.department, doctor: q.doctor });
      request.trail.detail = { from, to };
      return { from, to, ...report };
    },
  );
}
