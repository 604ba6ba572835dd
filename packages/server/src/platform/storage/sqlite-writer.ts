/**
 * The main-thread side of the SQLite writer worker: sends batches (SQL + row values) and
 * resolves when they are committed. Used for SQLite files; an in-memory database lives in one
 * connection only, so it is written in-thread instead.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** Messages to the worker. */
export type WorkerRequest = { type: 'write'; id: number; batches: WorkerBatch[] } | { type: 'close' };

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
    const failAll = (err: Error) => {
      this.exitError = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => {
      if (!this.closed) failAll(new Error(`SQLite writer thread exited (${code})`));
    });
  }

  /** true once the thread has died (the store then writes in-thread through knex). */
  get dead(): boolean {
    return this.exitError !== undefined;
  }

  /** Writes the batches in one transaction. */
  write(batches: WorkerBatch[]): Promise<void> {
    return this.send((id) => ({ type: 'write', id, batches }));
  }

  private send(message: (id: number) => WorkerRequest): Promise<void> {
    if (this.closed || this.exitError) return Promise.reject(this.exitError ?? new Error('SQLite writer closed'));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  /** Closes the worker's connection and ends the thread (after the writes already sent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.exitError) return;
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    });
  }
}
