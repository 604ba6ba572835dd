/**
 * Storage: opens knex (`app.db`), runs the migrations at start-up, and closes the pool last on
 * shutdown, after every write-behind queue registered with `app.beforeStorageClose` is flushed.
 */
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { connect, ensureSchema, parseDatabaseUrl } from './connect.js';
import { migrate } from './migrations/index.js';
import { insertBatches } from './batch-insert.js';
import type { BatchWriter, StoredBatch } from './table-batch.js';
import { SqliteWriter } from './sqlite-writer.js';
import { Quarantine } from './quarantine.js';
import path from 'node:path';

declare module 'fastify' {
  interface FastifyInstance {
    /** The knex instance (SQLite or PostgreSQL). */
    db: Knex;
    /** Registers work to finish before the pool closes (flushing queues); run in registration order. */
    beforeStorageClose(fn: () => Promise<void>): void;
    /** Writes rows to several tables in one transaction, off the event loop where the engine allows (write-behind queues use it). */
    writeBatches: BatchWriter;
    /** The SQLite writer thread (SQLite files only). */
    storageWriter: SqliteWriter | undefined;
    /** Records the database refused, that overflowed a queue, or were refused at shutdown. */
    quarantine: Quarantine;
    /** A file beside the SQLite file, named after it (`preaudit.sqlite` → `preaudit.<suffix>`); undefined for other databases. */
    storageSideFile(suffix: string): string | undefined;
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
    const target = parseDatabaseUrl(config.databaseUrl);
    // A SQLite file gets a writer thread; an in-memory database exists in knex's one connection only.
    const writer = owned && target.dialect === 'sqlite' && target.connection !== ':memory:' ? new SqliteWriter(target.connection) : undefined;
    app.decorate('db', db);
    app.decorate('storageWriter', writer);
    const sqliteFile = owned && target.dialect === 'sqlite' && target.connection !== ':memory:' ? path.parse(path.resolve(target.connection)) : undefined;
    const sideFile = (suffix: string) => (sqliteFile ? path.join(sqliteFile.dir, `${sqliteFile.name}.${suffix}`) : undefined);
    app.decorate('storageSideFile', sideFile);
    app.decorate('quarantine', new Quarantine(config.quarantineFile ?? sideFile('quarantine.jsonl')));
    // Should the writer thread die, writing goes on in-thread through knex's connection.
    app.decorate('writeBatches', (batches: ReadonlyArray<StoredBatch>) => insertBatches(db, batches, writer && !writer.dead ? writer : undefined));
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
      await writer?.close();
      if (owned) await db.destroy();
    });
  },
  { name: 'storage', dependencies: [] },
);
