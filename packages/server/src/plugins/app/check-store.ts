/**
 * Check records (`app.checkStore`): pushed on the request path, written in batches behind it
 * (checks and their findings in one transaction), flushed on close.
 */
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import { type CheckRecord, type CheckRow, type FindingRow, toRows } from '../../checks/check-record.js';
import { checkIdFactory } from '../../checks/ids.js';
import { WriteBehind, type WriteBehindStats } from '../../storage/write-behind.js';

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

  constructor(db: Knex, opts: { batchSize: number; intervalMs: number; storeRequests: boolean; onError?: (err: unknown) => void }) {
    this.queue = new WriteBehind<CheckRecord>({
      batchSize: opts.batchSize,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      write: (records) => writeChecks(db, records, opts.storeRequests),
    });
  }

  /** Queues a check; returns at once. */
  record(rec: CheckRecord): void {
    this.queue.push(rec);
  }

  /** true when a finding with this jr_id is still waiting to be written. */
  hasPendingFinding(jrId: string): boolean {
    for (const rec of this.queue.pendingItems()) for (const r of rec.evaluation.result) if (r.jr_id === jrId) return true;
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

async function writeChecks(db: Knex, records: CheckRecord[], storeRequests: boolean): Promise<void> {
  const checks: CheckRow[] = [];
  const findings: FindingRow[] = [];
  for (const rec of records) {
    const rows = toRows(rec, storeRequests);
    checks.push(rows.check);
    for (const f of rows.findings) findings.push(f);
  }
  await db.transaction(async (trx) => {
    // Chunks stay far below SQLite's bound-variable limit (32,766) and PostgreSQL's (65,535).
    // ON CONFLICT DO NOTHING: a batch retried after a failure mid-commit must not poison the queue.
    for (let i = 0; i < checks.length; i += 200) await trx('checks').insert(checks.slice(i, i + 200)).onConflict('check_id').ignore();
    for (let i = 0; i < findings.length; i += 400) await trx('findings').insert(findings.slice(i, i + 400)).onConflict('jr_id').ignore();
  });
}

export default fp(
  async (app) => {
    const store = new CheckStore(app.db, {
      batchSize: app.config.flushBatchSize,
      intervalMs: app.config.flushIntervalMs,
      storeRequests: app.config.storeRequests,
      onError: (err) => app.log.error({ err }, 'check records write failed; rows kept for retry'),
    });
    app.decorate('checkStore', store);
    app.metrics.gauge('preaudit_store_pending_checks', 'Check records waiting to be written', () => store.stats().pending);
    app.metrics.gauge('preaudit_store_dropped_checks', 'Check records dropped because storage was down too long', () => store.stats().dropped);
    app.beforeStorageClose(() => store.close());
  },
  { name: 'check-store', dependencies: ['storage', 'metrics'] },
);
