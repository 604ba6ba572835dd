/**
 * Analytics (`app.analytics`): the day summaries the console's pages read (rollup.ts), one per
 * service instance so summing is serialised; and connections to the HIS sources the period views
 * and quotas read (the same named sources as batch audit jobs, opened on first use, closed with the app).
 */
import fp from 'fastify-plugin';
import { connect, type DbSourceConfig } from '@preaudit/his-adapter';
import type { Knex } from 'knex';
import { Rollup } from './rollup.js';
import { SourceRegistry } from '../audit-jobs/source-registry.js';
import { resolveAuditJobsOptions } from '../audit-jobs/options.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';

/** An open HIS source. */
export interface HisHandle {
  knex: Knex;
  config: DbSourceConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Day summaries of checks, findings and feedback; HIS sources for the period views. */
    analytics: { rollup: Rollup; his(source: string): Promise<HisHandle> };
  }
}

export default fp(
  async (app) => {
    const sources = new SourceRegistry(resolveAuditJobsOptions(app.config.auditJobs));
    const open = new Map<string, Promise<HisHandle>>();
    const his = (name: string): Promise<HisHandle> => {
      if (!sources.has(name)) {
        return Promise.reject(
          new PreauditError(ErrorCode.badInput, `未知数据源；可用：${sources.names().join('、') || '（未配置）'}`, [{ field: 'query.source', message: '未知数据源' }]),
        );
      }
      let handle = open.get(name);
      if (!handle) {
        handle = (async () => {
          const config = await sources.config(name);
          if (config.kind !== 'database') throw new PreauditError(ErrorCode.badInput, '期间分析需要数据库视图数据源', [{ field: 'query.source', message: '不是数据库数据源' }]);
          const { knex } = await connect({ client: config.client, connection: config.connection });
          return { knex, config };
        })();
        open.set(name, handle);
        handle.catch(() => open.delete(name));
      }
      return handle;
    };
    app.decorate('analytics', { rollup: new Rollup(app.db, { now: app.config.now }), his });
    app.addHook('onClose', async () => {
      for (const h of open.values()) await h.then((x) => x.knex.destroy()).catch(() => undefined);
    });
  },
  { name: 'analytics', dependencies: ['storage'] },
);
