/**
 * The append-only audit log (`app.auditLog`): every call (who, role, route, reference, outcome,
 * time), hash-chained. Hashes are computed at append time in call order, and rows are written
 * behind, in order, with the head (last seq + hash) updated in the same transaction.
 * One service instance writes one chain: run one instance per database.
 */
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { type AuditRow, GENESIS_HASH, rowHash } from '../../audit/chain.js';
import { WriteBehind } from '../../storage/write-behind.js';
import type { BatchWriter } from './check-store.js';

const AUDIT_COLUMNS: Array<keyof AuditRow> = ['seq', 'time', 'actor', 'role', 'route', 'action', 'ref', 'outcome', 'detail', 'prev_hash', 'hash'];

/** What a caller of `append` gives. */
export interface AuditEntry {
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

/** Per-request audit facts that handlers fill in. */
export interface RequestAudit {
  /** Reference of the call (msgid / task_id / hookInstance). */
  ref?: string;
  /** Outcome when not derivable from the status (stable error code). */
  outcome?: string;
  /** Extra facts. */
  detail?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The hash-chained audit log. */
    auditLog: AuditLog;
  }
  interface FastifyRequest {
    /** Audit facts for this call; written when the response is sent. */
    audit: RequestAudit;
  }
  interface FastifyContextConfig {
    /** Action name for the audit log (default `METHOD /route`). */
    action?: string;
    /** false: calls to this route are not logged (only /health). */
    audit?: boolean;
  }
}

/** See the file comment. */
export class AuditLog {
  private seq: number;
  private lastHash: string;
  private readonly queue: WriteBehind<AuditRow>;
  private readonly now: () => Date;

  constructor(write: BatchWriter, head: { seq: number; hash: string }, opts: { now: () => Date; batchSize: number; intervalMs: number; onError?: (err: unknown) => void }) {
    this.seq = head.seq;
    this.lastHash = head.hash;
    this.now = opts.now;
    this.queue = new WriteBehind<AuditRow>({
      batchSize: opts.batchSize,
      maxBatchSize: opts.batchSize * 16,
      intervalMs: opts.intervalMs,
      onError: opts.onError,
      write: (rows) => writeAuditRows(write, rows),
    });
  }

  /** Reads the stored head (last row) to continue the chain. */
  static async open(db: Knex, write: BatchWriter, opts: { now: () => Date; batchSize: number; intervalMs: number; onError?: (err: unknown) => void }): Promise<AuditLog> {
    const last = await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash');
    const head = last ? { seq: Number(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
    return new AuditLog(write, head, opts);
  }

  /** Appends one entry (synchronously chained; written behind). Returns the row. */
  append(entry: AuditEntry): AuditRow {
    const fields = {
      seq: this.seq + 1,
      time: this.now().toISOString(),
      actor: clip(entry.actor, 80),
      role: clip(entry.role, 32),
      route: clip(entry.route, 200),
      action: clip(entry.action, 64),
      ref: entry.ref == null || entry.ref === '' ? null : clip(String(entry.ref), 200),
      outcome: clip(entry.outcome, 40),
      detail: entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail),
    };
    const hash = rowHash(this.lastHash, fields);
    const row: AuditRow = { ...fields, prev_hash: this.lastHash, hash };
    this.seq = fields.seq;
    this.lastHash = hash;
    this.queue.push(row);
    return row;
  }

  /** Last sequence number and hash appended (written or not). */
  head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.lastHash };
  }

  /** Rows waiting to be written. */
  pending(): number {
    return this.queue.getStats().pending;
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

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

async function writeAuditRows(write: BatchWriter, rows: AuditRow[]): Promise<void> {
  const last = rows[rows.length - 1];
  await write([
    { table: 'audit_log', columns: AUDIT_COLUMNS, rows },
    { table: 'audit_head', columns: ['id', 'seq', 'hash'], rows: [{ id: 1, seq: last.seq, hash: last.hash }], onConflict: { key: 'id', action: 'upsert' } },
  ]);
}

export default fp(
  async (app) => {
    const log = await AuditLog.open(app.db, app.writeBatches, {
      now: app.config.now,
      batchSize: app.config.flushBatchSize,
      intervalMs: app.config.flushIntervalMs,
      onError: (err) => app.log.error({ err }, 'audit log write failed; rows kept for retry'),
    });
    app.decorate('auditLog', log);
    app.decorateRequest('audit', null as unknown as RequestAudit);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.audit = {};
    });
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const config = request.routeOptions.config;
      if (config?.audit === false) return;
      const route = request.routeOptions.url ?? request.url.split('?')[0];
      const audit = request.audit ?? {};
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
  { name: 'audit-log', dependencies: ['storage', 'auth'] },
);
