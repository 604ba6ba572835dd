/**
 * GET /health: liveness and the active rulebook; public (no key), not audited.
 * 503 while shutting down so a load balancer stops sending.
 */
import type { FastifyInstance } from 'fastify';
import { rulebookInfo } from '../../plugins/app/rulebooks.js';
import { dialectOf } from '../../storage/connect.js';

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Service status and the active rulebook',
        security: [],
        response: {
          '2xx': {
            type: 'object',
            properties: {
              status: { type: 'string', description: 'ok, degraded (storage refusing writes, or records dropped) or closing' },
              rulebook: {
                type: 'object',
                properties: { id: { type: 'string' }, version: { type: 'string' }, name: { type: 'string' }, rules: { type: 'integer' }, codes: { type: 'integer' } },
              },
              storage: {
                type: 'object',
                properties: { dialect: { type: 'string' }, pending: { type: 'integer' }, failed_writes: { type: 'integer' }, dropped: { type: 'integer' } },
              },
              uptime_s: { type: 'number' },
            },
          },
        },
      },
      config: { public: true, audit: false },
    },
    async (_request, reply) => {
      const stats = app.checkStore.stats();
      const failing = stats.failing || stats.dropped > 0;
      const status = closing ? 'closing' : failing ? 'degraded' : 'ok';
      const info = rulebookInfo(app.rulebooks.active());
      reply.code(closing ? 503 : 200);
      return {
        status,
        rulebook: { id: info.id, version: info.version, name: info.name, rules: info.rules, codes: info.codes },
        storage: { dialect: dialectOf(app.db), pending: stats.pending + app.auditLog.pending(), failed_writes: stats.failedWrites, dropped: stats.dropped },
        uptime_s: Math.round(process.uptime()),
      };
    },
  );
}
