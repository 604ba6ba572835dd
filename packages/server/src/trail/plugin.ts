/**
 * The trail (审计, `app.trail`), the append-only log of every call (who, role, route, reference, outcome,
 * time), hash-chained. Hashes are computed at append time in call order, and rows are written
 * behind, in order, with the head (last seq + hash) updated in the same transaction, and
 * copied after each commit into an anchor file outside the database (when there is one).
 * At start the chain continues from the highest head known (head row, anchor file, last row):
 * rows deleted from the end leave a gap that stays visible to `preaudit trail verify`, and the start
 * itself reports the truncation (log, a trail entry, /health).
 * Text fields are stored as `storableText` makes them, so what is hashed is what is read back.
 * On SQLite (one instance) the chain is extended at append time, as above. On a database server,
 * where several instances may share one database, the chain is extended inside the database
 * instead: each batch write locks the head row (SELECT … FOR UPDATE), numbers and hashes its rows
 * after the head it finds, inserts them and moves the head, in one transaction. So any number of
 * instances write one chain, in commit order, that `preaudit trail verify` checks as before
 * (docs/scale-out.md). Rows then get their seq and hash when written, not when appended.
 */
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { type TrailRow, GENESIS_HASH, rowHash, storableText } from './chain.js';
import { WriteBehind, type QuarantineReason, type WriteBehindStats } from '../platform/storage/write-behind.js';
import type { BatchWriter } from '../platform/storage/table-batch.js';
import { dialectOf } from '../platform/storage/connect.js';

const TRAIL_COLUMNS: Array<keyof TrailRow> = ['seq', 'time', 'actor', 'role', 'route', 'action', 'ref', 'outcome', 'detail', 'prev_hash', 'hash'];

/** What a caller of `append` gives. */
export interface TrailEntry {
  /** Who. */
  actor: string;
  /** Their role. */
  role: string;
  /** Route or operation, e.g. `/nhsa/3101`. */
  route: string;
  /** What was done, e.g. `check.3101`, `rulebook.activate`. */
  action: string;
  /** The caller's reference (msgid, task_id, rulebook id@version …). */
  ref?: string | null;
  /** `ok` or a stable error code. */
  outcome: string;
  /** Extra facts (JSON-serialisable; never patient names or full ids). */
  detail?: unknown;
}

/** Per-request trail facts that handlers fill in. */
export interface RequestTrail {
  /** Reference of the call (msgid / task_id / hookInstance). */
  ref?: string;
  /** Outcome when not derivable from the status (stable error code). */
  outcome?: string;
  /** Extra facts. */
  detail?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The trail: the hash-chained log of every call. */
    trail: Trail;
  }
  interface FastifyRequest {
    /** Trail facts for this call; written when the response is sent. */
    trail: RequestTrail;
  }
  interface FastifyContextConfig {
    /** Action name in the trail (default `METHOD /route`). */
    action?: string;
    /** false: calls to this route are not logged (only /health). */
    trail?: boolean;
  }
}

/** Options of the trail's queue and anchor. */
export interface TrailOptions {
  now: () => Date;
  batchSize: number;
  intervalMs: number;
  onError?: (err: unknown) => void;
  /** JSON file the head is copied to after every commit (see the file comment). */
  anchorFile?: string;
  /** Bytes of rows allowed to wait before the oldest overflow to quarantine (default 16 MiB). */
  maxPendingBytes?: number;
  /** Where rows go that cannot be written. */
  quarantine?: (rows: TrailRow[], err: unknown, reason: QuarantineReason) => void;
  /** A database server shared by several instances: the chain is extended inside it (see the file comment). */
  sharedDb?: Knex;
}

/** What the start found about the stored chain's end. */
export interface TrailIntegrity {
  ok: boolean;
  /** `truncated`: rows (or the head row) are missing at the end. */
  kind?: 'truncated';
  message?: string;
  /** Last row stored, head row, anchor file: the sequence numbers compared. */
  lastRow?: number;
  headRow?: number | null;
  anchor?: number | null;
}

/** The head as the anchor file holds it. */
interface Anchor {
  seq: number;
  hash: string;
  time?: string;
}

/** Reads an anchor file; undefined when absent or unreadable. */
export function readAnchor(file: string | undefined): Anchor | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    const a = JSON.parse(fs.readFileSync(file, 'utf8')) as Anchor;
    return Number.isSafeInteger(a.seq) && typeof a.hash === 'string' ? a : undefined;
  } catch {
    return undefined;
  }
}

function writeAnchor(file: string, head: Anchor): void {
  // Written whole then renamed: a crash leaves the old anchor or the new one, never half of one.
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(head));
  fs.renameSync(tmp, file);
}

/** Approximate bytes an audit row holds while it waits (UTF-16 strings plus a fixed part). */
function auditRowBytes(r: TrailRow): number {
  return 256 + 2 * (r.actor.length + r.role.length + r.route.length + r.action.length + (r.ref?.length ?? 0) + r.outcome.length + (r.detail?.length ?? 0) + 64 + 64 + 24);
}

/** See the file comment. */
class Trail {
  private seq: number;
  private lastHash: string;
  private readonly queue: WriteBehind<TrailRow>;
  private readonly now: () => Date;
  private integrityState: TrailIntegrity = { ok: true };
  private readonly shared: boolean;

  constructor(write: BatchWriter, head: { seq: number; hash: string }, opts: TrailOptions) {
    this.shared = !!opts.sharedDb;
    this.seq = head.seq;
    this.lastHash = head.hash;
    this.now = opts.now;
    const anchorFile = opts.anchorFile;
    if (anchorFile) fs.mkdirSync(path.dirname(path.resolve(anchorFile)), { recursive: true });
    this.queue = new WriteBehind<TrailRow>({
      batchSize: opts.batchSize,
      maxBatchSize: opts.batchSize * 16,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      // The audit queue used to have no bound at all: rows by count and by bytes.
      maxPending: 200_000,
      maxPendingBytes: opts.maxPendingBytes ?? 16 * 1024 * 1024,
      sizeOf: auditRowBytes,
      quarantine: opts.quarantine,
      write: async (rows) => {
        if (opts.sharedDb) {
          await extendSharedChain(opts.sharedDb, rows);
          this.seq = rows[rows.length - 1].seq;
          this.lastHash = rows[rows.length - 1].hash;
        } else await writeTrailRows(write, rows);
        const last = rows[rows.length - 1];
        if (anchorFile) {
          try {
            writeAnchor(anchorFile, { seq: last.seq, hash: last.hash, time: last.time });
          } catch (err) {
            opts.onError?.(err);
          }
        }
      },
    });
  }

  /**
   * Reads where the chain ends (last row, head row, anchor file) and continues from the highest
   * of them. A head or anchor ahead of the last row means rows were deleted from the end: the
   * chain goes on from the head (the gap stays for verify to see) and `integrity()` says so.
   */
  static async open(db: Knex, write: BatchWriter, opts: TrailOptions): Promise<Trail> {
    // seq is a bigint column: a string on PostgreSQL, hence Number() below.
    const last = await db('audit_log').orderBy('seq', 'desc').first<ChainEnd | undefined>('seq', 'hash');
    const headRow = await db('audit_head').where({ id: 1 }).first<ChainEnd | undefined>('seq', 'hash');
    const anchor = readAnchor(opts.anchorFile);
    const candidates: Anchor[] = [{ seq: 0, hash: GENESIS_HASH }];
    if (last) candidates.push({ seq: Number(last.seq), hash: String(last.hash) });
    if (headRow) candidates.push({ seq: Number(headRow.seq), hash: String(headRow.hash) });
    if (anchor) candidates.push(anchor);
    const head = candidates.reduce((a, b) => (b.seq > a.seq ? b : a));
    const lastSeq = last ? Number(last.seq) : 0;
    // The head row the shared chain locks exists from the start (several instances may start at once).
    if (opts.sharedDb && !headRow)
      await db('audit_head')
        .insert({ id: 1, seq: lastSeq, hash: last ? String(last.hash) : GENESIS_HASH })
        .onConflict('id')
        .ignore();
    // An anchor ahead of the stored head (rows and head rewound together): the shared chain goes on
    // from the anchor too, so the gap stays for verify to see instead of being numbered over.
    if (opts.sharedDb) await db('audit_head').where({ id: 1 }).where('seq', '<', head.seq).update({ seq: head.seq, hash: head.hash });
    const log = new Trail(write, { seq: head.seq, hash: head.hash }, opts);
    const facts = { lastRow: lastSeq, headRow: headRow ? Number(headRow.seq) : null, anchor: anchor ? anchor.seq : null };
    if (head.seq > lastSeq) {
      log.integrityState = { ok: false, kind: 'truncated', message: `audit rows ${lastSeq + 1}..${head.seq} are missing at the end of the log`, ...facts };
    } else if (last && !headRow) {
      log.integrityState = { ok: false, kind: 'truncated', message: 'the trail head row is missing', ...facts };
    }
    return log;
  }

  /** What the start found about the end of the stored chain (ok, or rows missing at the end). */
  integrity(): TrailIntegrity {
    return this.integrityState;
  }

  /** Appends one entry (synchronously chained, or numbered when written on a shared database; written behind). Returns the row. */
  append(entry: TrailEntry): TrailRow {
    const fields = {
      seq: this.shared ? 0 : this.seq + 1,
      time: this.now().toISOString(),
      actor: text(entry.actor, 80),
      role: text(entry.role, 32),
      route: text(entry.route, 200),
      action: text(entry.action, 64),
      ref: entry.ref == null || entry.ref === '' ? null : text(String(entry.ref), 200),
      outcome: text(entry.outcome, 40),
      detail: entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail),
    };
    if (this.shared) {
      const pending: TrailRow = { ...fields, prev_hash: '', hash: '' };
      this.queue.push(pending);
      return pending;
    }
    const hash = rowHash(this.lastHash, fields);
    const row: TrailRow = { ...fields, prev_hash: this.lastHash, hash };
    this.seq = fields.seq;
    this.lastHash = hash;
    this.queue.push(row);
    return row;
  }

  /** Last sequence number and hash appended (written or not; on a shared database: written by this instance). */
  head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.lastHash };
  }

  /** Rows waiting to be written. */
  pending(): number {
    return this.queue.getStats().pending;
  }

  /** Queue counters. */
  stats(): WriteBehindStats {
    return this.queue.getStats();
  }

  /** Writes every pending row. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Stops the timer and writes every pending row. */
  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Clipped to the column, then made storable (clipping may cut a surrogate pair in half). */
function text(s: string, n: number): string {
  return storableText(s.length > n ? s.slice(0, n) : s);
}

async function writeTrailRows(write: BatchWriter, rows: TrailRow[]): Promise<void> {
  const last = rows[rows.length - 1];
  await write([
    { table: 'audit_log', columns: TRAIL_COLUMNS, rows },
    { table: 'audit_head', columns: ['id', 'seq', 'hash'], rows: [{ id: 1, seq: last.seq, hash: last.hash }], onConflict: { key: 'id', action: 'upsert' } },
  ]);
}

/**
 * Extends the one chain of a shared database by `rows` (numbered and hashed here, in place):
 * the head row is locked for the transaction, so instances append one batch after another.
 */
async function extendSharedChain(db: Knex, rows: TrailRow[]): Promise<void> {
  await db.transaction(async (trx) => {
    const head = await trx('audit_head').where({ id: 1 }).forUpdate().first<ChainEnd | undefined>('seq', 'hash');
    let seq = head ? Number(head.seq) : 0;
    let prev = head ? String(head.hash) : GENESIS_HASH;
    for (const row of rows) {
      row.seq = ++seq;
      row.prev_hash = prev;
      row.hash = rowHash(prev, row);
      prev = row.hash;
    }
    for (let i = 0; i < rows.length; i += 500) await trx('audit_log').insert(rows.slice(i, i + 500).map((r) => Object.fromEntries(TRAIL_COLUMNS.map((c) => [c, r[c]]))));
    if (head) await trx('audit_head').where({ id: 1 }).update({ seq, hash: prev });
    else await trx('audit_head').insert({ id: 1, seq, hash: prev });
  });
}

/** The seq and hash of a stored row (seq as the driver returns a bigint). */
interface ChainEnd {
  seq: number | string;
  hash: string;
}

export default fp(
  async (app) => {
    const log = await Trail.open(app.db, app.writeBatches, {
      now: app.config.now,
      batchSize: app.config.flushBatchSize,
      intervalMs: app.config.flushIntervalMs,
      anchorFile: app.config.auditAnchorFile ?? app.storageSideFile('audit-head.json'),
      maxPendingBytes: app.config.auditQueueMaxBytes,
      quarantine: (rows, err, reason) => app.quarantine.put('audit', rows, err, reason),
      onError: (err) => app.log.error({ err }, 'trail write failed; rows kept for retry'),
      sharedDb: dialectOf(app.db) === 'sqlite' ? undefined : app.db,
    });
    app.decorate('trail', log);
    const integrity = log.integrity();
    if (!integrity.ok) {
      app.log.error({ trail: integrity }, `trail truncated: ${integrity.message}`);
      log.append({ actor: 'system', role: 'system', route: 'startup', action: 'audit.truncated', outcome: 'PA_AUDIT_TRUNCATED', detail: integrity });
    }
    app.decorateRequest('trail', null as unknown as RequestTrail);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.trail = {};
    });
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const config = request.routeOptions.config;
      if (config?.trail === false) return;
      const route = request.routeOptions.url ?? request.url.split('?')[0];
      const audit = request.trail ?? {};
      const status = reply.statusCode;
      log.append({
        actor: request.identity?.actor ?? 'anonymous',
        role: request.identity?.role ?? 'none',
        route,
        action: config?.action ?? `${request.method} ${route}`,
        ref: audit.ref,
        outcome: audit.outcome ?? (status < 400 ? 'ok' : `HTTP_${status}`),
        detail: { status, ...audit.detail },
      });
    });
    app.beforeStorageClose(() => log.close());
  },
  { name: 'trail', dependencies: ['storage', 'auth'] },
);
