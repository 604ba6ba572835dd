/**
 * Where records go that the database will not take: rows it refuses for themselves (poison),
 * rows beyond a full queue (overflow) and rows still refused at shutdown. One JSON line per
 * record, appended synchronously to a file in the data directory, with the reason and the
 * database's error, so nothing answered is ever lost without a trace and an operator can
 * re-import or inspect it. JSON escapes NUL and lone surrogates, so the file holds the row as it
 * was. Without a file (in-memory databases, tests) the entries are kept in memory, bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { QuarantineReason } from './write-behind.js';

/** One line of the quarantine file. */
export interface QuarantineEntry {
  /** ISO-8601 UTC. */
  time: string;
  /** Which queue: `checks` or `audit`. */
  queue: string;
  reason: QuarantineReason;
  /** The error that made the row go here (message and code; never credentials). */
  error: { message: string; code?: string };
  /** The record as queued. Byte arrays are written as `{ "utf8": "…" }`. */
  row: unknown;
}

/** Largest size of the in-memory fallback before entries are only counted. */
const MEMORY_LIMIT_BYTES = 16 * 1024 * 1024;

/** See the file comment. */
export class Quarantine {
  private readonly counts = new Map<string, number>();
  private readonly memory: string[] = [];
  private memoryBytes = 0;
  private lost = 0;

  /** `file`: the JSON-lines file (its folder is created); undefined keeps entries in memory. */
  constructor(readonly file: string | undefined) {
    if (file) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  /** Appends the rows of one queue (synchronously: they are safe when it returns; throws if the file cannot be written). */
  put(queue: string, rows: readonly unknown[], err: unknown, reason: QuarantineReason, now = new Date()): void {
    const error = describe(err);
    let text = '';
    for (const row of rows) text += `${JSON.stringify({ time: now.toISOString(), queue, reason, error, row } satisfies QuarantineEntry, bytesAsText)}\n`;
    if (this.file) fs.appendFileSync(this.file, text);
    else if (this.memoryBytes + text.length <= MEMORY_LIMIT_BYTES) {
      this.memory.push(text);
      this.memoryBytes += text.length;
    } else this.lost += rows.length;
    const key = `${queue}\u0000${reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + rows.length);
  }

  /** Rows quarantined since start, in total or for one queue. */
  count(queue?: string): number {
    let n = 0;
    for (const [key, v] of this.counts) if (queue === undefined || key.startsWith(`${queue}\u0000`)) n += v;
    return n;
  }

  /** Counts by queue and reason (for /metrics). */
  byReason(): Array<{ queue: string; reason: string; rows: number }> {
    return [...this.counts].map(([key, rows]) => {
      const [queue, reason] = key.split('\u0000');
      return { queue, reason, rows };
    });
  }

  /** The entries kept in memory (no file), parsed. */
  entries(): QuarantineEntry[] {
    const text = this.file ? (fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : '') : this.memory.join('');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as QuarantineEntry);
  }

  /** Entries that did not fit in memory (no file) and were only counted. */
  lostInMemory(): number {
    return this.lost;
  }
}

function describe(err: unknown): { message: string; code?: string } {
  const e = err as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message.slice(0, 500) : String(err).slice(0, 500);
  return typeof e?.code === 'string' ? { message, code: e.code } : { message };
}

function bytesAsText(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { utf8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8') };
  // Buffer's toJSON runs before the replacer sees it.
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return { utf8: Buffer.from((value as { data: number[] }).data).toString('utf8') };
  }
  return value;
}
