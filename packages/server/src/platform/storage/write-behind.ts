/**
 * A write-behind queue: the hot path pushes rows synchronously, and batches are written in the
 * background when enough are waiting or after a short interval. Batches are written one at a
 * time, in order (the audit chain depends on it).
 *
 * A failed batch is retried row by row, so one row the database refuses (a "poison" row: a NUL
 * in a PostgreSQL text column, an over-long value) can never stop every later row: a row that
 * fails while others succeed, or whose error is a data error, goes to the quarantine sink with
 * its error. When every row fails otherwise (storage down, a table missing), the rows stay
 * queued, in order, and are retried with backoff; a lone poison row is found at the next retry
 * that carries any other row with it.
 * The queue is bounded by rows and by bytes; beyond either bound the oldest rows overflow to the
 * quarantine sink. `close()` writes everything it can and quarantines the rest: nothing queued
 * is ever dropped silently.
 */

/** How a queue writes and when. */
export interface WriteBehindOptions<T> {
  /** Writes one batch (atomically, ideally in one transaction). */
  write(batch: T[]): Promise<void>;
  /** Write as soon as this many rows wait. */
  batchSize: number;
  /** Rows per write when a backlog has built up (more than 4 batches waiting); default batchSize. */
  maxBatchSize?: number;
  /** Write rows no later than this many ms after they were pushed. */
  intervalMs: number;
  /** Beyond this many waiting rows (storage down for long), the oldest overflow to quarantine (dropped and counted without a sink). */
  maxPending?: number;
  /** Beyond this many bytes waiting (as `sizeOf` counts them), the oldest overflow likewise. Default: no byte bound. */
  maxPendingBytes?: number;
  /** Approximate bytes a waiting row holds (default 0: only `maxPending` bounds the queue). */
  sizeOf?(row: T): number;
  /**
   * Where rows go that cannot be written: `poison` (the database refuses the row itself),
   * `overflow` (queue full), `shutdown` (still refused when the queue closed). Synchronous: the
   * rows are safe once it returns. Without a sink such rows are dropped and counted.
   */
  quarantine?(rows: T[], err: unknown, reason: QuarantineReason): void;
  /** Told about every failed write (the batch is kept and retried). */
  onError?(err: unknown, size: number): void;
  /** `waitForRoom()` waits while at least this many rows wait to be written (default: never waits). */
  highWater?: number;
}

/** Why rows went to quarantine. */
export type QuarantineReason = 'poison' | 'overflow' | 'shutdown';

/**
 * Errors that say the row itself is refused (retrying it can never succeed): PostgreSQL SQLSTATE
 * classes 22 (data exception: NUL, bad encoding, value too long) and 23 (constraint violation),
 * SQLite constraint, type and size errors. Anything else may be the storage being down.
 */
function isRowError(err: unknown): boolean {
  const e = err as { code?: unknown; sqlState?: unknown } | null;
  // MySQL/MariaDB (mysql2) name the SQLSTATE in `sqlState`, PostgreSQL in `code`.
  if (typeof e?.sqlState === 'string' && /^2[23]/.test(e.sqlState)) return true;
  const code = e?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/.test(code);
}

/** Errors that say the storage itself is unavailable (never a reason to quarantine a row). */
function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL: connection (08), resources (53), operator intervention (57), system (58); SQLite: busy, I/O, full disk.
  return /^(08|53|57|58)[0-9A-Z]{3}$/.test(code) || /^E[A-Z]+$/.test(code) || /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM|PROTOCOL)/.test(code);
}

/** Counters for health and metrics. */
export interface WriteBehindStats {
  pending: number;
  /** Approximate bytes waiting (0 without `sizeOf`). */
  pendingBytes: number;
  /** Rows handed to the quarantine sink (poison, overflow, shutdown). */
  quarantined: number;
  /** The last write failed (storage refusing); cleared by the next success. */
  failing: boolean;
  written: number;
  failedWrites: number;
  /** Rows dropped (only without a quarantine sink). */
  dropped: number;
}

/** See the file comment. */
export class WriteBehind<T> {
  private readonly opts: WriteBehindOptions<T>;
  private pendingRows: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stats = { written: 0, failedWrites: 0, dropped: 0, quarantined: 0 };
  private pendingBytes = 0;
  /** The batch being written (quarantined too if storage hangs at close). */
  private inFlight: T[] | undefined;
  /** Closed after a failed or timed-out flush: nothing more is written or retried. */
  private closing = false;
  private lastError: unknown;
  private roomWaiters: Array<() => void> = [];

  constructor(opts: WriteBehindOptions<T>) {
    this.opts = opts;
  }

  /** Queues one row; never blocks, never throws. */
  push(row: T): void {
    this.pendingRows.push(row);
    if (this.opts.sizeOf) this.pendingBytes += this.opts.sizeOf(row);
    const max = this.opts.maxPending ?? 1_000_000;
    const maxBytes = this.opts.maxPendingBytes ?? Infinity;
    if (this.pendingRows.length > max || this.pendingBytes > maxBytes) {
      // Storage down for long (or far slower than the load): the oldest rows overflow, counted.
      // The last row always stays queued, however big (a bound is not a reason to lose it).
      let excess = Math.max(0, this.pendingRows.length - max);
      if (this.pendingBytes > maxBytes && this.opts.sizeOf) {
        let bytes = this.pendingBytes;
        for (let i = 0; i < excess; i++) bytes -= this.opts.sizeOf(this.pendingRows[i]);
        while (bytes > maxBytes && excess < this.pendingRows.length - 1) bytes -= this.opts.sizeOf(this.pendingRows[excess++]);
      }
      if (excess > 0) this.setAside(this.takeFront(excess), new Error('write-behind queue full'), 'overflow');
    }
    if (this.pendingRows.length >= this.opts.batchSize) {
      if (!this.running) setImmediate(() => void this.start());
    } else if (!this.timer && !this.running) {
      this.timer = setTimeout(() => void this.start(), this.opts.intervalMs);
      this.timer.unref();
    }
  }

  /**
   * Backpressure: resolves at once while fewer than `highWater` rows wait, else when the queue
   * is back under half of it, or after `maxWaitMs`. It does not wait while writes are failing
   * (storage down): then rows accumulate up to `maxPending` and the oldest are dropped.
   */
  waitForRoom(maxWaitMs = 2000): Promise<void> | undefined {
    const high = this.opts.highWater;
    if (high === undefined || this.pendingRows.length < high || this.lastError !== undefined) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.roomWaiters = this.roomWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.roomWaiters.push(done);
    });
  }

  private releaseWaiters(): void {
    const high = this.opts.highWater;
    if (this.roomWaiters.length === 0 || (high !== undefined && this.pendingRows.length >= high / 2 && this.lastError === undefined)) return;
    for (const w of this.roomWaiters.slice()) w();
  }

  /** Rows pushed but not yet committed: the batch being written, then those waiting. */
  pendingItems(): readonly T[] {
    // A reader racing the write (a 3103 right after its 3101) must still find the batch in flight.
    return this.inFlight ? [...this.inFlight, ...this.pendingRows] : this.pendingRows;
  }

  /** Counters. */
  getStats(): WriteBehindStats {
    return { pending: this.pendingRows.length, pendingBytes: this.pendingBytes, failing: this.lastError !== undefined, ...this.stats };
  }

  private takeFront(n: number): T[] {
    const rows = this.pendingRows.splice(0, n);
    if (this.opts.sizeOf) for (const r of rows) this.pendingBytes -= this.opts.sizeOf(r);
    if (this.pendingRows.length === 0) this.pendingBytes = 0;
    return rows;
  }

  private putBack(rows: T[]): void {
    this.pendingRows.unshift(...rows);
    if (this.opts.sizeOf) for (const r of rows) this.pendingBytes += this.opts.sizeOf(r);
  }

  /** Hands rows to the quarantine sink (counted); drops and counts them without one, or if the sink throws. */
  private setAside(rows: T[], err: unknown, reason: QuarantineReason): void {
    if (rows.length === 0) return;
    if (this.opts.quarantine) {
      try {
        this.opts.quarantine(rows, err, reason);
        this.stats.quarantined += rows.length;
        return;
      } catch (sinkErr) {
        this.opts.onError?.(sinkErr, rows.length);
      }
    }
    this.stats.dropped += rows.length;
  }

  /** Writes everything pending now; rejects if storage refuses (the rows stay queued). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      if (this.pendingRows.length === 0) return;
      this.lastError = undefined;
      await this.start();
      // start() records a failed write in lastError; rethrown as it came (TypeScript narrows it to the undefined set above).
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the sink's own rejection reason, passed on unchanged
      if (this.lastError !== undefined) throw this.lastError;
    }
  }

  /**
   * Stops the timer and writes everything pending. What storage still refuses goes to the
   * quarantine sink (reason `shutdown`) rather than being lost with the process. A storage that
   * writes nothing for `deadlineMs` (3 s: both queues close within the default 10 s grace of
   * PA_SHUTDOWN_GRACE_MS; a backlog still being written keeps the close going): then the waiting
   * rows, and the batch under way (which may yet commit: a duplicate is better than a loss), are quarantined,
   * so the close ends within the process's grace period with nothing dropped.
   */
  async close(deadlineMs = 3000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const flushing = this.flush().then(
      () => 'ok' as const,
      (err: unknown) => ({ err }),
    );
    // The deadline is for a storage that stopped answering, not for a long backlog: it restarts
    // whenever a batch is written.
    let outcome: 'ok' | 'timeout' | { err: unknown };
    let lastWritten = this.stats.written;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      // Referenced: a hung write holds nothing else on the event loop, and the close must end.
      const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), deadlineMs)));
      const r = await Promise.race([flushing, tick]);
      clearTimeout(timer);
      if (r !== 'tick') {
        outcome = r;
        break;
      }
      if (this.stats.written === lastWritten) {
        outcome = 'timeout';
        break;
      }
      lastWritten = this.stats.written;
    }
    if (outcome === 'ok') return;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const err = outcome === 'timeout' ? new Error(`storage did not answer within ${deadlineMs} ms at shutdown`) : outcome.err;
    if (outcome === 'timeout' && this.inFlight) this.setAside(this.inFlight, err, 'shutdown');
    else if (this.running) await this.running;
    this.setAside(this.takeFront(this.pendingRows.length), err, 'shutdown');
    if (!this.opts.quarantine) throw err;
  }

  private start(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) {
      // drain() handles write errors itself; anything else (a sink or size function throwing) is
      // reported and kept as the last error, never left as an unhandled rejection from a timer.
      this.running = this.drain()
        .catch((err) => {
          this.lastError = err;
          this.opts.onError?.(err, 0);
        })
        .finally(() => {
          this.running = undefined;
          // Rows pushed while the last batch was being written wait for the next tick.
          if (this.pendingRows.length > 0 && !this.timer) {
            this.timer = setTimeout(() => void this.start(), this.lastError === undefined ? 0 : this.opts.intervalMs * 10);
            this.timer.unref();
          }
        });
    }
    return this.running;
  }

  private async drain(): Promise<void> {
    let first = true;
    while (this.pendingRows.length > 0) {
      // SQLite writes run on the event loop: let waiting requests through between batches.
      if (!first) await new Promise((resolve) => setImmediate(resolve));
      first = false;
      // Catching up: bigger batches, fewer round trips (a writer thread waits for each one).
      const size = this.pendingRows.length > this.opts.batchSize * 4 ? (this.opts.maxBatchSize ?? this.opts.batchSize) : this.opts.batchSize;
      if (this.closing) return;
      const batch = this.takeFront(size);
      this.inFlight = batch;
      try {
        await this.opts.write(batch);
        this.stats.written += batch.length;
        this.lastError = undefined;
        this.releaseWaiters();
      } catch (err) {
        this.stats.failedWrites++;
        this.opts.onError?.(err, batch.length);
        // Closed while this batch hung: close() has quarantined it already.
        if (this.closing) return;
        const kept = await this.rowByRow(batch, err);
        if (kept.length > 0 && kept.length === batch.length && this.opts.quarantine && !isStorageError(kept.error) && this.pendingRows.length > 0) {
          // Every row of the batch failed, for no known reason: try the next waiting row. If it
          // goes in, storage works and the batch's rows are poison; if not, storage is the problem.
          const [probe] = this.takeFront(1);
          try {
            await this.opts.write([probe]);
            this.stats.written++;
            for (const row of kept) this.setAside([row], kept.error, 'poison');
            this.lastError = undefined;
            this.releaseWaiters();
            continue;
          } catch {
            kept.push(probe);
          }
        }
        if (kept.length > 0) {
          this.putBack(kept);
          this.lastError = kept.error;
          this.releaseWaiters();
          return;
        }
        this.lastError = undefined;
        this.releaseWaiters();
      } finally {
        this.inFlight = undefined;
      }
    }
  }

  /**
   * After a failed batch: writes its rows one by one, in order. Rows refused for themselves go to
   * quarantine; returns the rows to keep (from the first one that failed because storage is
   * unavailable, in order), with that error.
   */
  private async rowByRow(batch: T[], batchErr: unknown): Promise<T[] & { error?: unknown }> {
    // Only a sink makes quarantine possible; without one the batch is kept as it was.
    if (!this.opts.quarantine) return Object.assign(batch, { error: batchErr });
    if (isStorageError(batchErr)) return Object.assign(batch, { error: batchErr });
    const failed: Array<{ row: T; err: unknown }> = [];
    let succeeded = false;
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i];
      try {
        await this.opts.write([row]);
        this.stats.written++;
        succeeded = true;
      } catch (err) {
        if (isStorageError(err)) {
          // Storage went away: what failed so far is judged below; this row and the rest wait.
          const rest = batch.slice(i);
          const undecided = await this.judge(failed, succeeded);
          return Object.assign([...undecided, ...rest], { error: err });
        }
        failed.push({ row, err });
      }
    }
    const undecided = await this.judge(failed, succeeded);
    return Object.assign(undecided, { error: failed[0]?.err ?? batchErr });
  }

  /** Quarantines the rows shown to be poison; returns those that may be the storage's fault. */
  private async judge(failed: Array<{ row: T; err: unknown }>, someSucceeded: boolean): Promise<T[]> {
    const keep: T[] = [];
    for (const f of failed) {
      // Refused while other rows went in, or refused for its data: the row, not the storage.
      if (someSucceeded || isRowError(f.err)) this.setAside([f.row], f.err, 'poison');
      else keep.push(f.row);
    }
    return keep;
  }
}
