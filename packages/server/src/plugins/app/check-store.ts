/**
 * Check records (`app.checkStore`): pushed on the request path, written in batches behind it
 * (checks and their findings in one transaction), flushed on close.
 */
import fp from 'fastify-plugin';
import { type CheckRecord, type CheckRow, type FindingRow, toRows } from '../../checks/check-record.js';
import { checkIdFactory } from '../../checks/ids.js';
import { WriteBehind, type WriteBehindStats } from '../../storage/write-behind.js';
import type { TableBatch } from '../../storage/batch-insert.js';

/** Writes rows to several tables in one transaction (app.writeBatches). */
export type BatchWriter = (batches: ReadonlyArray<TableBatch<any>>) => Promise<void>;

const CHECK_COLUMNS: Array<keyof CheckRow> = [
  'check_id', 'time', 'channel', 'infno', 'msgid', 'task_id', 'scene', 'phase', 'hospital', 'department', 'doctor',
  'patient', 'orders', 'findings_count', 'findings', 'errors', 'ana_dura', 'rulebook', 'request',
];
const FINDING_COLUMNS: Array<keyof FindingRow> = [
  'jr_id', 'check_id', 'time', 'rule_id', 'rule_name', 'sev_deg', 'rx_id', 'hilist_code', 'vola_amt', 'hospital', 'department', 'doctor',
];

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

  constructor(write: BatchWriter, opts: { batchSize: number; intervalMs: number; storeRequests: boolean; onError?: (err: unknown) => void }) {
    this.queue = new WriteBehind<CheckRecord>({
      batchSize: opts.batchSize,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      write: (records) => writeChecks(write, records, opts.storeRequests),
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

async function writeChecks(write: BatchWriter, records: CheckRecord[], storeRequests: boolean): Promise<void> {
  const checks: CheckRow[] = [];
  const findings: FindingRow[] = [];
  for (const rec of records) {
    const rows = toRows(rec, storeRequests);
    checks.push(rows.check);
    for (const f of rows.findings) findings.push(f);
  }
  // ON CONFLICT DO NOTHING: a batch retried after a failure mid-commit must not poison the queue.
  await write([
    { table: 'checks', columns: CHECK_COLUMNS, rows: checks, onConflict: { key: 'check_id', action: 'ignore' } },
    { table: 'findings', columns: FINDING_COLUMNS, rows: findings, onConflict: { key: 'jr_id', action: 'ignore' } },
  ]);
}

export default fp(
  async (app) => {
    const store = new CheckStore(app.writeBatches, {
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
