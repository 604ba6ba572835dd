/**
 * GET /metrics: Prometheus text (requests, latency histogram, checks, findings by rule, errors, queue).
 */
import type { FastifyInstance } from 'fastify';

export default async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/metrics',
    {
      schema: { tags: ['ops'], summary: 'Prometheus metrics', produces: ['text/plain'] },
      config: { action: 'metrics' },
      onRequest: app.requireRole(), // admin only: operations data
    },
    async (_request, reply) => {
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    },
  );
}
