/**
 * Check records (`app.checkStore`): turned into their rows on the request path (once), queued as
 * flat rows, written in batches behind it (checks and their findings in one transaction, through
 * the generic batch writer: the SQLite writer thread or the database's pool), flushed on close.
 */
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { type CheckRecord, type StoredCheck, checkBatches, toStoredCheck } from './check-record.js';
import { checkIdFactory } from './ids.js';
import { WriteBehind, type QuarantineReason, type WriteBehindStats } from '../platform/storage/write-behind.js';
import type { BatchWriter } from '../platform/storage/table-batch.js';
import { dialectOf } from '../platform/storage/connect.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Write-behind store of check records. */
    checkStore: CheckStore;
  }
}

/** See the file comment. */
export class CheckStore {
  private readonly queue: WriteBehind<StoredCheck>;
  private readonly storeRequests: boolean;
  /** A new unique check id (the prefix of its findings' jr_id). */
  readonly nextId: () => string = checkIdFactory();

  constructor(
    write: BatchWriter,
    opts: {
      batchSize: number;
      intervalMs: number;
      storeRequests: boolean;
      onError?: (err: unknown) => void;
      highWater?: number;
      /** The writer works off the event loop (SQLite writer thread, a database server): bigger batches when behind. */
      offLoop?: boolean;
      /** Bytes of waiting records beyond which the oldest overflow to quarantine (default 64 MiB). */
      maxPendingBytes?: number;
      /** Where refused, overflowing and shutdown-refused records go. */
      quarantine?: (rows: StoredCheck[], err: unknown, reason: QuarantineReason) => void;
    },
  ) {
    this.storeRequests = opts.storeRequests;
    this.queue = new WriteBehind<StoredCheck>({
      batchSize: opts.batchSize,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      // Each waiting record holds its stored request (~5–15 kB): past this many, checks wait for
      // storage rather than memory growing without bound; 20,000 is the hard cap when storage is down.
      highWater: opts.highWater ?? 2048,
      // Off the event loop (writer thread, PostgreSQL) a backlog is written in bigger batches.
      maxBatchSize: opts.offLoop ? 512 : opts.batchSize,
      maxPending: 20_000,
      // Requests differ in size by three orders of magnitude: the count alone does not bound memory.
      maxPendingBytes: opts.maxPendingBytes ?? 64 * 1024 * 1024,
      sizeOf: recordBytes,
      quarantine: opts.quarantine,
      write: (stored) => write(checkBatches(stored)),
    });
  }

  /**
   * Turns a check into its rows and queues them; returns at once. The rows are built here, once,
   * from the objects the check already holds: a waiting record is a few flat rows (strings and
   * numbers), never the request's object tree, which would survive into the old generation and
   * cost more in garbage collection than everything else about storing it.
   */
  record(rec: CheckRecord): void {
    this.queue.push(toStoredCheck(rec, this.storeRequests));
  }

  /** Queues a check already turned into its rows (see `record`; the writer benchmark feeds rows this way). */
  push(stored: StoredCheck): void {
    this.queue.push(stored);
  }

  /**
   * Backpressure for the request path: undefined (go on) while storage keeps up, else a promise
   * that resolves when the queue has drained to half its high-water mark (at most 2 s). Checks
   * slow down to what storage sustains instead of piling up in memory.
   */
  room(): Promise<void> | undefined {
    return this.queue.waitForRoom();
  }

  /** Who made the check of a finding still waiting to be written (undefined when none waits with this jr_id). */
  pendingFindingOwner(jrId: string): { actor: string | null; hospital: string | null } | undefined {
    for (const c of this.queue.pendingItems()) {
      if (!jrId.startsWith(c.check_id)) continue;
      const f = c.finding_rows.find((r) => r.jr_id === jrId);
      if (f) return { actor: f.actor, hospital: f.hospital };
    }
    return undefined;
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

/**
 * Approximate bytes a waiting record holds: its two JSON texts (UTF-16, 2 bytes a character), a
 * fixed part for the check row, ~400 bytes a finding row.
 */
function recordBytes(c: StoredCheck): number {
  return 512 + (c.findings.length + (c.request?.length ?? 0)) * 2 + c.finding_rows.length * 400;
}

export default fp(
  async (app) => {
    const store = new CheckStore(app.writeBatches, {
      batchSize: app.config.flushBatchSize,
      intervalMs: app.config.flushIntervalMs,
      storeRequests: app.config.storeRequests,
      // A database server (PostgreSQL, MySQL) takes big batches as easily as SQLite's writer thread.
      offLoop: app.storageWriter !== undefined || dialectOf(app.db) !== 'sqlite',
      maxPendingBytes: app.config.checkQueueMaxBytes,
      quarantine: (rows, err, reason) => app.quarantine.put('checks', rows, err, reason),
      onError: (err) => app.log.error({ err }, 'check records write failed; rows kept for retry'),
    });
    app.decorate('checkStore', store);
    app.metrics.gauge('preaudit_store_pending_checks', 'Check records waiting to be written', () => store.stats().pending);
    app.metrics.gauge('preaudit_store_pending_check_bytes', 'Approximate bytes of check records waiting to be written', () => store.stats().pendingBytes);
    app.metrics.gauge('preaudit_store_dropped_checks', 'Check records dropped because storage was down too long', () => store.stats().dropped);
    const quarantine = app.quarantine;
    new Gauge({
      name: 'preaudit_store_quarantined_rows',
      help: 'Records set aside in the quarantine file since start, by queue (checks, audit) and reason (poison, overflow, shutdown)',
      labelNames: ['queue', 'reason'],
      registers: [app.metrics.registry],
      collect() {
        for (const q of quarantine.byReason()) this.set({ queue: q.queue, reason: q.reason }, q.rows);
      },
    });
    app.metrics.gauge('preaudit_audit_pending_rows', 'Audit rows waiting to be written', () => app.trail?.stats().pending ?? 0);
    app.metrics.gauge('preaudit_audit_pending_bytes', 'Approximate bytes of audit rows waiting to be written', () => app.trail?.stats().pendingBytes ?? 0);
    app.metrics.gauge('preaudit_audit_truncated', '1 when the start found rows missing at the end of the trail', () => (app.trail?.integrity().ok === false ? 1 : 0));
    app.beforeStorageClose(() => store.close());
  },
  { name: 'check-store', dependencies: ['storage', 'metrics'] },
);
