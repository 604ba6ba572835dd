/**
 * A write-behind queue: the hot path pushes rows synchronously, and batches are written in the
 * background when enough are waiting or after a short interval. Batches are written one at a
 * time, in order (the audit chain depends on it). A failed batch goes back to the front and is
 * retried; `flush()` and `close()` write everything pending before they resolve.
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
  /** Beyond this many waiting rows (storage down for long), the oldest are dropped and counted. */
  maxPending?: number;
  /** Told about every failed write (the batch is kept and retried). */
  onError?(err: unknown, size: number): void;
  /** `waitForRoom()` waits while at least this many rows wait to be written (default: never waits). */
  highWater?: number;
}

/** Counters for health and metrics. */
export interface WriteBehindStats {
  pending: number;
  /** The last write failed (storage refusing); cleared by the next success. */
  failing: boolean;
  written: number;
  failedWrites: number;
  dropped: number;
}

/** See the file comment. */
export class WriteBehind<T> {
  private readonly opts: WriteBehindOptions<T>;
  private pendingRows: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stats = { written: 0, failedWrites: 0, dropped: 0 };
  private lastError: unknown;
  private roomWaiters: Array<() => void> = [];

  constructor(opts: WriteBehindOptions<T>) {
    this.opts = opts;
  }

  /** Queues one row; never blocks, never throws. */
  push(row: T): void {
    this.pendingRows.push(row);
    const max = this.opts.maxPending ?? 1_000_000;
    if (this.pendingRows.length > max) {
      const excess = this.pendingRows.length - max;
      this.pendingRows.splice(0, excess);
      this.stats.dropped += excess;
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
      const timer = setTimeout(done, maxWaitMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.roomWaiters = self.roomWaiters.filter((w) => w !== done);
        resolve();
      }
      this.roomWaiters.push(done);
    });
  }

  private releaseWaiters(): void {
    const high = this.opts.highWater;
    if (this.roomWaiters.length === 0 || (high !== undefined && this.pendingRows.length >= high / 2 && this.lastError === undefined)) return;
    for (const w of this.roomWaiters.slice()) w();
  }

  /** Rows pushed but not yet written. */
  pendingItems(): readonly T[] {
    return this.pendingRows;
  }

  /** Counters. */
  getStats(): WriteBehindStats {
    return { pending: this.pendingRows.length, failing: this.lastError !== undefined, ...this.stats };
  }

  /** Writes everything pending now; rejects if storage refuses (the rows stay queued). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      if (this.pendingRows.length === 0) return;
      this.lastError = undefined;
      await this.start();
      if (this.lastError !== undefined) throw this.lastError;
    }
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private start(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) {
      this.running = this.drain().finally(() => {
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
      const batch = this.pendingRows.splice(0, size);
      try {
        await this.opts.write(batch);
        this.stats.written += batch.length;
        this.lastError = undefined;
        this.releaseWaiters();
      } catch (err) {
        this.pendingRows.unshift(...batch);
        this.stats.failedWrites++;
        this.lastError = err;
        this.opts.onError?.(err, batch.length);
        this.releaseWaiters();
        return;
      }
    }
  }
}
