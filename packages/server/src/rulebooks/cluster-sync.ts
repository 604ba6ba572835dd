/**
 * Several service instances on one PostgreSQL: a rulebook switch is decided once (in the
 * database, by the instance that received the command or won the scheduled activation) and
 * applied by every instance within a bounded time:
 *   - at once on a NOTIFY (channel `preaudit_rulebooks`, payload the schema), sent by the instance
 *     that changed the versions; each instance LISTENs on one connection of its own;
 *   - at the latest after `syncIntervalMs` (default 2000) by a poll of the versions table, should
 *     a notification be lost (the listening connection dropped, a proxy in between).
 * So two instances answer with different versions for at most about syncIntervalMs (plus the
 * time to read the versions: waiting versions are compiled when they are stored, not when they
 * switch). On SQLite and MySQL only the poll runs (the poll alone bounds the lag).
 */
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { dialectOf } from '../platform/storage/connect.js';
import { lender } from '../platform/storage/db-lock.js';

/** The channel of the notifications. */
const CHANNEL = 'preaudit_rulebooks';

interface PgConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  on(event: 'notification', fn: (msg: { channel: string; payload?: string }) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  removeAllListeners(event?: string): void;
}

/** What the sync needs. */
export interface ClusterSyncDeps {
  db: Knex;
  log: FastifyBaseLogger;
  /** Re-reads the versions and switches if another instance did. */
  sync(): Promise<boolean>;
  /** Poll interval, ms (0 turns the poll off). */
  intervalMs: number;
}

/** Keeps an instance's active rulebook in line with the database. */
export class ClusterSync {
  private timer?: NodeJS.Timeout;
  private conn?: PgConnection;
  private schema = '';
  private stopped = false;
  private reconnect?: NodeJS.Timeout;
  /** Notifications received (tests, metrics). */
  notifications = 0;

  constructor(private readonly deps: ClusterSyncDeps) {}

  private get pg(): boolean {
    return dialectOf(this.deps.db) === 'pg';
  }

  /** Starts listening and polling. */
  async start(): Promise<void> {
    if (this.deps.intervalMs > 0) {
      this.timer = setInterval(() => this.run('poll'), this.deps.intervalMs);
      this.timer.unref();
    }
    if (this.pg) {
      const row = await this.deps.db.raw<{ rows: Array<{ s: string }> }>('select current_schema() as s');
      this.schema = row.rows[0].s;
      await this.listen();
    }
  }

  private run(why: string): void {
    this.deps.sync().catch((err) => this.deps.log.warn({ err, why }, 'rulebook sync with the database failed; retrying at the next poll'));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const conn = (await lender(this.deps.db).acquireConnection()) as PgConnection;
      this.conn = conn;
      conn.on('notification', (msg) => {
        if (msg.channel !== CHANNEL || msg.payload !== this.schema) return;
        this.notifications++;
        this.run('notify');
      });
      conn.on('error', (err) => this.lost(err));
      await conn.query(`LISTEN ${CHANNEL}`);
      // Anything missed while not listening.
      this.run('listen');
    } catch (err) {
      this.lost(err as Error);
    }
  }

  private lost(err: Error): void {
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      conn.removeAllListeners('notification');
      void lender(this.deps.db)
        .releaseConnection(conn)
        .catch(() => undefined);
    }
    if (this.stopped) return;
    this.deps.log.warn({ err }, 'rulebook notifications lost; the poll covers while reconnecting');
    this.reconnect = setTimeout(() => void this.listen(), Math.max(1000, this.deps.intervalMs));
    this.reconnect.unref();
  }

  /** Tells the other instances that the versions changed (PostgreSQL; a no-op elsewhere). */
  notify(): void {
    if (!this.pg || this.stopped) return;
    this.deps.db
      .raw('select pg_notify(?, current_schema())', [CHANNEL])
      .catch((err: unknown) => this.deps.log.warn({ err }, 'rulebook notification not sent; the other instances follow at their next poll'));
  }

  /** Stops listening and polling (before the pool closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnect) clearTimeout(this.reconnect);
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      conn.removeAllListeners('notification');
      await conn.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      await lender(this.deps.db).releaseConnection(conn);
    }
  }
}
