/**
 * The main-thread side of the SQLite writer worker: sends batches (the INSERT's head and the
 * rows' values) and resolves when they are committed. Used for SQLite files; an in-memory
 * database lives in one connection only, so it is written in-thread instead.
 *
 * A batch goes over in parts of at most PART_VALUES values or PART_CHARS characters of text, the
 * event loop free between two parts (a backlog of 512 checks is ~6 MB of text: converted and
 * cloned at once it would hold every waiting request for tens of milliseconds). The thread opens
 * the batch's transaction with its first part and commits with its last, so a batch is still
 * all or nothing; the parts of one batch are sent one after another, never interleaved with
 * another queue's batch.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StoredBatch } from './table-batch.js';

/**
 * One table's rows as the worker runs them: the INSERT's head and conflict clause, and every
 * row's values in column order in one flat array (`rows` × `columns` long). One flat array per
 * table is what crosses to the thread: no array per row to build, clone and collect.
 */
export interface WorkerBatch {
  /** `insert into "t" ("a", "b")`: the rows' `values (…), (…)` go after it. */
  head: string;
  /** `on conflict … do …`, or ''. */
  conflict: string;
  /** Values per row. */
  columns: number;
  /** Row count. */
  rows: number;
  values: unknown[];
}

/**
 * Messages to the worker: `part` (rows of batch `id`, its transaction opened if not yet), `write`
 * (the last rows of batch `id`, then commit), `close`.
 */
export type WorkerRequest = { type: 'part' | 'write'; id: number; batches: WorkerBatch[] } | { type: 'close' };

/** Values per message to the thread. */
const PART_VALUES = 8192;
/** Characters of text per message to the thread. */
const PART_CHARS = 512 * 1024;

/** The `on conflict …` clause of a table batch (SQLite and PostgreSQL syntax), or ''. */
export function conflictClause(b: StoredBatch): string {
  if (b.onConflict?.action === 'ignore') return `on conflict("${b.onConflict.key}") do nothing`;
  if (b.onConflict?.action === 'upsert') {
    const key = b.onConflict.key;
    return `on conflict("${key}") do update set ${b.columns
      .filter((c) => c !== key)
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(', ')}`;
  }
  return '';
}

/** Messages from the worker. */
export type WorkerReply = { type: 'done'; id: number } | { type: 'failed'; id: number; message: string; code?: string } | { type: 'closed' };

/** A worker thread writing to one SQLite file. */
export class SqliteWriter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private closed = false;
  private exitError: Error | undefined;

  constructor(file: string) {
    // Built, the worker is the .js beside this file. Under tsx (tests) it is the .ts source, and
    // the worker registers tsx itself: module hooks do not carry over into worker threads.
    const self = fileURLToPath(import.meta.url);
    if (self.endsWith('.ts')) {
      const url = pathToFileURL(self.replace(/sqlite-writer\.ts$/, 'sqlite-writer-worker.ts')).href;
      const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
      this.worker = new Worker(code, { eval: true, workerData: { file } });
    } else {
      this.worker = new Worker(self.replace(/sqlite-writer\.js$/, 'sqlite-writer-worker.js'), { workerData: { file } });
    }
    this.worker.unref();
    this.worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'closed') return;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.type === 'done') w.resolve();
      // The SQLite error code travels too: the queue tells a refused row from a full disk by it.
      else w.reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
    });
    const failAll = (err: Error, dead = true) => {
      if (dead) this.exitError = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => {
      // Closed: nothing should wait any more; anything that does is told rather than left hanging.
      if (this.closed) failAll(new Error('SQLite writer closed'), false);
      else failAll(new Error(`SQLite writer thread exited (${code})`));
    });
  }

  /** true once the thread has died (the store then writes in-thread through knex). */
  get dead(): boolean {
    return this.exitError !== undefined;
  }

  /** Sending of the batch under way (its parts go out one after another, see the file comment). */
  private sending: Promise<void> = Promise.resolve();

  /** Writes the batches in one transaction; resolves when committed. */
  async write(batches: ReadonlyArray<StoredBatch>): Promise<void> {
    if (this.closed || this.exitError) throw this.exitError ?? new Error('SQLite writer closed');
    const id = this.nextId++;
    const committed = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // A part may fail while later parts are still being sent: the caller hears of it when it awaits.
    committed.catch(() => undefined);
    const previous = this.sending;
    let sent!: () => void;
    this.sending = new Promise<void>((resolve) => (sent = resolve));
    try {
      await previous;
      await this.sendParts(id, batches);
    } finally {
      sent();
    }
    return committed;
  }

  /** Converts and posts a batch's rows part by part, the event loop free between parts; the last part commits. */
  private async sendParts(id: number, batches: ReadonlyArray<StoredBatch>): Promise<void> {
    let part: WorkerBatch[] = [];
    let values = 0;
    let chars = 0;
    for (const b of batches) {
      const cols = b.columns;
      const width = cols.length;
      const head = `insert into "${b.table}" (${cols.map((c) => `"${c}"`).join(', ')})`;
      const conflict = conflictClause(b);
      let current: WorkerBatch | undefined;
      for (const row of b.rows as ReadonlyArray<Record<string, unknown>>) {
        if (!current) part.push((current = { head, conflict, columns: width, rows: 0, values: [] }));
        for (let c = 0; c < width; c++) {
          const v = row[cols[c]] ?? null;
          if (typeof v === 'string') chars += v.length;
          current.values.push(v);
        }
        current.rows++;
        values += width;
        if (values >= PART_VALUES || chars >= PART_CHARS) {
          this.worker.postMessage({ type: 'part', id, batches: part } satisfies WorkerRequest);
          part = [];
          current = undefined;
          values = chars = 0;
          await new Promise((resolve) => setImmediate(resolve));
          // The thread died or refused a part: the batch is settled already.
          if (this.exitError || !this.waiting.has(id)) return;
        }
      }
    }
    this.worker.postMessage({ type: 'write', id, batches: part } satisfies WorkerRequest);
  }

  /** Closes the worker's connection and ends the thread (after the writes already sent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.exitError) return;
    // A batch still being sent goes out whole first (its commit comes before the close).
    await this.sending;
    await new Promise<void>((resolve) => {
      // Referenced while closing: the thread's exit is what the close waits for.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    });
  }
}
