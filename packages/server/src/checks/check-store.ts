/**
 * Check records (`app.checkStore`): pushed on the request path, written in batches behind it
 * (checks and their findings in one transaction), flushed on close.
 */
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { type CheckRecord, checkBatches } from './check-record.js';
import type { SqliteWriter } from '../platform/storage/sqlite-writer.js';
import { checkIdFactory } from './ids.js';
import { WriteBehind, type QuarantineReason, type WriteBehindStats } from '../platform/storage/write-behind.js';
import type { TableBatch } from '../platform/storage/batch-insert.js';
import { dialectOf } from '../platform/storage/connect.js';

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
    opts: {
      batchSize: number;
      intervalMs: number;
      storeRequests: boolean;
      onError?: (err: unknown) => void;
      writer?: SqliteWriter;
      highWater?: number;
      pg?: boolean;
      /** Bytes of waiting records beyond which the oldest overflow to quarantine (default 64 MiB). */
      maxPendingBytes?: number;
      /** Where refused, overflowing and shutdown-refused records go. */
      quarantine?: (rows: CheckRecord[], err: unknown, reason: QuarantineReason) => void;
    },
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
      // Requests differ in size by three orders of magnitude: the count alone does not bound memory.
      maxPendingBytes: opts.maxPendingBytes ?? 64 * 1024 * 1024,
      sizeOf: recordBytes,
      quarantine: opts.quarantine,
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

  /** Who made the check of a finding still waiting to be written (undefined when none waits with this jr_id). */
  pendingFindingOwner(jrId: string): { actor: string; hospital: string | null } | undefined {
    const quoted = `"jr_id":${JSON.stringify(jrId)}`;
    for (const rec of this.queue.pendingItems()) {
      if (!jrId.startsWith(rec.checkId)) continue;
      if (rec.resultJson ? rec.resultJson.includes(quoted) : rec.evaluation.result.some((r) => r.jr_id === jrId)) return { actor: rec.actor, hospital: rec.hospital };
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
 * Approximate bytes a waiting record holds: its raw JSON, its findings' JSON (UTF-16, 2 bytes a
 * character), a fixed part; a record without raw bytes keeps its parsed data (~1 kB an order).
 */
export function recordBytes(rec: CheckRecord): number {
  let n = 1024 + (rec.resultJson ? rec.resultJson.length * 2 : rec.evaluation.result.length * 1024);
  if (rec.raw) n += rec.raw.bytes.byteLength;
  else for (const p of rec.data?.patient_dtos ?? []) for (const e of p.fsi_encounter_dtos ?? []) n += 2048 + (e.fsi_order_dtos?.length ?? 0) * 1024;
  return n;
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
    app.metrics.gauge('preaudit_audit_pending_rows', 'Audit rows waiting to be written', () => app.auditLog?.stats().pending ?? 0);
    app.metrics.gauge('preaudit_audit_pending_bytes', 'Approximate bytes of audit rows waiting to be written', () => app.auditLog?.stats().pendingBytes ?? 0);
    app.metrics.gauge('preaudit_audit_truncated', '1 when the start found rows missing at the end of the audit log', () => (app.auditLog?.integrity().ok === false ? 1 : 0));
    app.beforeStorageClose(() => store.close());
  },
  { name: 'check-store', dependencies: ['storage', 'metrics'] },
);
