/**
 * Storage: opens knex (`app.db`), runs the migrations at start-up, and closes the pool last on
 * shutdown, after every write-behind queue registered with `app.beforeStorageClose` is flushed.
 */
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { connect, ensureSchema } from '../../storage/connect.js';
import { migrate } from '../../storage/migrations/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The knex instance (SQLite or PostgreSQL). */
    db: Knex;
    /** Registers work to finish before the pool closes (flushing queues); run in registration order. */
    beforeStorageClose(fn: () => Promise<void>): void;
  }
}

export default fp(
  async (app) => {
    const { config } = app;
    const owned = !config.db;
    const db = config.db ?? connect(config.databaseUrl, config.databaseSchema);
    try {
      await ensureSchema(db, config.databaseSchema);
      await migrate(db);
    } catch (err) {
      if (owned) await db.destroy();
      throw err;
    }
    const closers: Array<() => Promise<void>> = [];
    app.decorate('db', db);
    app.decorate('beforeStorageClose', (fn: () => Promise<void>) => {
      closers.push(fn);
    });
    // preClose would run before in-flight requests finish; onClose runs after the server has
    // drained them, which is when the queues hold every record there will be.
    app.addHook('onClose', async () => {
      for (const fn of closers) {
        try {
          await fn();
        } catch (err) {
          app.log.error({ err }, 'flush before closing storage failed');
        }
      }
      if (owned) await db.destroy();
    });
  },
  { name: 'storage', dependencies: [] },
);
