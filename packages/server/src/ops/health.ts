/**
 * GET /health: liveness and the active rulebook; public (no key), not audited.
 * 503 while shutting down so a load balancer stops sending.
 */
import type { FastifyInstance } from 'fastify';
import { rulebookInfo } from '../rulebooks/plugin.js';
import { dialectOf } from '../platform/storage/connect.js';

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
              status: { type: 'string', description: 'ok, degraded (storage refusing writes, records dropped or quarantined, audit log truncated) or closing' },
              rulebook: {
                type: 'object',
                properties: { id: { type: 'string' }, version: { type: 'string' }, name: { type: 'string' }, rules: { type: 'integer' }, codes: { type: 'integer' } },
              },
              storage: {
                type: 'object',
                properties: {
                  dialect: { type: 'string' },
                  pending: { type: 'integer' },
                  pending_bytes: { type: 'integer', description: 'Approximate bytes of records waiting to be written' },
                  failed_writes: { type: 'integer' },
                  dropped: { type: 'integer' },
                  quarantined: { type: 'integer', description: 'Records set aside in the quarantine file since start (refused by the database, queue full, refused at shutdown)' },
                  quarantine_file: { type: 'boolean', description: 'true when quarantined records go to a file (else kept in memory)' },
                },
              },
              audit: {
                type: 'object',
                properties: {
                  head_seq: { type: 'integer', description: 'Last sequence number appended' },
                  truncated: { type: 'boolean', description: 'The start found rows missing at the end of the audit log' },
                  message: { type: 'string' },
                },
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
      const auditStats = app.auditLog.stats();
      const integrity = app.auditLog.integrity();
      const quarantined = app.quarantine.count();
      const dropped = stats.dropped + auditStats.dropped;
      const failing = stats.failing || auditStats.failing || dropped > 0 || quarantined > 0 || !integrity.ok;
      const status = closing ? 'closing' : failing ? 'degraded' : 'ok';
      const info = rulebookInfo(app.rulebooks.active());
      reply.code(closing ? 503 : 200);
      return {
        status,
        rulebook: { id: info.id, version: info.version, name: info.name, rules: info.rules, codes: info.codes },
        storage: {
          dialect: dialectOf(app.db),
          pending: stats.pending + auditStats.pending,
          pending_bytes: stats.pendingBytes + auditStats.pendingBytes,
          failed_writes: stats.failedWrites + auditStats.failedWrites,
          dropped,
          quarantined,
          quarantine_file: app.quarantine.file !== undefined,
        },
        audit: { head_seq: app.auditLog.head().seq, truncated: !integrity.ok, ...(integrity.message ? { message: integrity.message } : {}) },
        uptime_s: Math.round(process.uptime()),
      };
    },
  );
}
