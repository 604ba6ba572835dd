/**
 * Check records (`app.checkStore`): pushed on the request path, written in batches behind it
 * (checks and their findings in one transaction), flushed on close.
 */
import fp from 'fastify-plugin';
import { type CheckRecord, checkBatches } from '../../checks/check-record.js';
import type { SqliteWriter } from '../../storage/sqlite-writer.js';
import { checkIdFactory } from '../../checks/ids.js';
import { WriteBehind, type WriteBehindStats } from '../../storage/write-behind.js';
import type { TableBatch } from '../../storage/batch-insert.js';
import { dialectOf } from '../../storage/connect.js';

/** Writes rows to several tables in one transaction (app.writeBatches). */
export type BatchWriter = (batches: ReadonlyArray<TableBatch<any>>) => Promise<void>;


declare module 'fastify' {
  interface FastifyInstance {
    /** Write-behind store of check records. */
    checkStore: CheckStore;
  }
}

/** See the file comment. */
export class CheckStore {
  private readonly queue: WriteBehind<CheckRecord>;
  /** A new unique check id (the prefix of its findings' jr_id). */
  readonly nextId: () => string = checkIdFactory();

  constructor(
    write: BatchWriter,
    opts: { batchSize: number; intervalMs: number; storeRequests: boolean; onError?: (err: unknown) => void; writer?: SqliteWriter; highWater?: number; pg?: boolean },
  ) {
    this.queue = new WriteBehind<CheckRecord>({
      batchSize: opts.batchSize,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      // Each waiting record holds its request (~10–20 kB): past this many, checks wait for storage
      // rather than memory growing without bound; 20,000 is the hard cap when storage is down.
      highWater: opts.highWater ?? 2048,
      // Off the event loop (writer thread, PostgreSQL) a backlog is written in bigger batches.
      maxBatchSize: opts.writer || opts.pg ? 512 : opts.batchSize,
      maxPending: 20_000,
      // With a writer thread the rows are built there too: the request path only hands over the records.
      write: (records) =>
        opts.writer && !opts.writer.dead ? opts.writer.writeChecks(records, opts.storeRequests) : writeChecks(write, records, opts.storeRequests),
    });
  }

  /** Queues a check; returns at once. */
  record(rec: CheckRecord): void {
    // A waiting record keeps text, not object trees: the raw JSON instead of the parsed data, the
    // findings' JSON instead of the result objects. Objects held ~100 ms survive into the old
    // generation and cost more in garbage collection than everything else about storing them.
    this.queue.push({
      ...rec,
      data: rec.raw ? (undefined as unknown as CheckRecord['data']) : rec.data,
      evaluation: rec.resultJson ? { ...rec.evaluation, result: undefined as unknown as CheckRecord['evaluation']['result'] } : rec.evaluation,
    });
  }

  /**
   * Backpressure for the request path: undefined (go on) while storage keeps up, else a promise
   * that resolves when the queue has drained to half its high-water mark (at most 2 s). Checks
   * slow down to what storage sustains instead of piling up in memory.
   */
  room(): Promise<void> | undefined {
    return this.queue.waitForRoom();
  }

  /** true when a finding with this jr_id is still waiting to be written. */
  hasPendingFinding(jrId: string): boolean {
    const quoted = `"jr_id":${JSON.stringify(jrId)}`;
    for (const rec of this.queue.pendingItems()) {
      if (!jrId.startsWith(rec.checkId)) continue;
      if (rec.resultJson ? rec.resultJson.includes(quoted) : rec.evaluation.result.some((r) => r.jr_id === jrId)) return true;
    }
    return false;
  }

  /** Queue counters. */
  stats(): WriteBehindStats {
    return this.queue.getStats();
  }

  /** Writes everything pending (reports call this first so they see every check). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Stops the timer and writes everything pending. */
  close(): Promise<void> {
    return this.queue.close();
  }
}

async function writeChecks(write: BatchWriter, records: CheckRecord[], storeRequests: boolean): Promise<void> {
  await write(checkBatches(records, storeRequests));
}

export default fp(
  async (app) => {
    const store = new CheckStore(app.writeBatches, {
      batchSize: app.config.flushBatchSize,
      intervalMs: app.config.flushIntervalMs,
      storeRequests: app.config.storeRequests,
      writer: app.storageWriter,
      // A database server (PostgreSQL, MySQL) takes big batches as easily as SQLite's writer thread.
      pg: dialectOf(app.db) !== 'sqlite',
      onError: (err) => app.log.error({ err }, 'check records write failed; rows kept for retry'),
    });
    app.decorate('checkStore', store);
    app.metrics.gauge('preaudit_store_pending_checks', 'Check records waiting to be written', () => store.stats().pending);
    app.metrics.gauge('preaudit_store_dropped_checks', 'Check records dropped because storage was down too long', () => store.stats().dropped);
    app.beforeStorageClose(() => store.close());
  },
  { name: 'check-store', dependencies: ['storage', 'metrics'] },
);
