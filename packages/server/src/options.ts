/**
 * Options of `buildApp` and the one place where their defaults are merged.
 * Configuration flows inward as typed options: only server.ts turns the environment into these.
 */
import type { Knex } from 'knex';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import type { AuditJobsOptions } from './audit-jobs/options.js';
import type { UsersOptions } from './users/options.js';
import { parseDatabaseUrl } from './platform/storage/connect.js';
import { resolveCheckLimits, type CheckLimits } from './checks/check-limits.js';

/**
 * Who may call what: doctor-station (checks, feedback), insurance-office (reports, audits, review),
 * department (a department head: its own departments' data, explanations, exemption requests),
 * bureau (rulebooks), admin (all).
 */
export type Role = 'doctor-station' | 'insurance-office' | 'department' | 'bureau' | 'admin';

/** Every role, in a stable order (for validation and docs). */
export const ROLES: readonly Role[] = ['doctor-station', 'insurance-office', 'department', 'bureau', 'admin'];

/** Options of `buildApp`. Everything is optional; tests usually pass none. */
export interface AppOptions {
  /** Folder of the rulebook to activate at start (default: the bundled national rulebook). */
  rulebookDir?: string;
  /** An already compiled rulebook to activate instead of loading `rulebookDir` (tests, embedding). */
  rulebook?: CompiledRulebook;
  /**
   * Storage: `postgres://…` (or `postgresql://…`) → PostgreSQL; `mysql://…` (or `mariadb://…`) → MySQL/MariaDB;
   * `sqlite:<path>` or a plain file path → SQLite; `:memory:` (the default) → a private in-memory SQLite
   * database that lives as long as the app. Any other scheme is refused.
   */
  databaseUrl?: string;
  /** PostgreSQL schema to work in (knex `searchPath`), or on MySQL the database (instead of the URL's); created when missing. */
  databaseSchema?: string;
  /** A knex instance to use as is (not destroyed on close); overrides `databaseUrl`. */
  db?: Knex;
  /** API keys and their roles. Empty or undefined = no authentication (server.ts then binds to loopback only). */
  apiKeys?: Record<string, Role>;
  /** Fastify logger: false (default), true, or pino options. */
  logger?: boolean | object;
  /** Clock; evaluation time and record times come from it (tests pin it). */
  now?: () => Date;
  /** Largest accepted request body in bytes (default 4 MiB; more → 413). */
  bodyLimit?: number;
  /**
   * What one check may cost (checks/check-limits.ts): orders per request (default 1,000; more →
   * infcode -1 / 400 naming the field), 涉及项 per finding (20), findings per rule (200).
   */
  checkLimits?: Partial<CheckLimits>;
  /** Write-behind queues: rows per batch (default 64; with SQLite each batch holds the event loop while it is written). */
  flushBatchSize?: number;
  /** Write-behind queue: longest wait before pending rows are written, ms (default 100). */
  flushIntervalMs?: number;
  /** Keep the (de-identified) request of every check, so it can be replayed under another rulebook (default true). */
  storeRequests?: boolean;
  /**
   * JSON-lines file for records the database refuses (poison rows), that overflow a full queue,
   * or that are still refused at shutdown. Default: `quarantine.jsonl` beside a SQLite file; with
   * PostgreSQL or in memory, none (entries are kept in memory, bounded) unless set.
   */
  quarantineFile?: string;
  /**
   * File holding the audit chain's head (last seq and hash), rewritten after every committed
   * batch: deleting the last audit rows and the head row together still shows at the next start.
   * Default: `audit-head.json` beside a SQLite file; none otherwise unless set.
   */
  auditAnchorFile?: string;
  /** Bytes of check records allowed to wait for storage before the oldest overflow to quarantine (default 64 MiB). */
  checkQueueMaxBytes?: number;
  /** Bytes of audit rows allowed to wait for storage before the oldest overflow to quarantine (default 16 MiB). */
  auditQueueMaxBytes?: number;
  /** Trusted bureau public keys (Ed25519, PEM; several may share one string) for signed rulebooks. None = every upload is refused. */
  trustedKeys?: string[];
  /** Pull mode: the bureau's feed (URL or folder) polled for new signed bundles. */
  rulebookFeed?: RulebookFeedOptions;
  /** Largest accepted rulebook bundle upload in bytes (default 64 MiB). */
  rulebookBodyLimit?: number;
  /** Without keys: host names besides loopback that requests may be addressed to (the Host header), e.g. a reverse proxy's name. */
  publicHosts?: string[];
  /** Longest time to receive a request's headers, ms (default 10 s; slower → 408 and the connection closed). */
  headersTimeoutMs?: number;
  /** Longest time to receive a whole request, headers and body, ms (default 60 s; slower → 408 and the connection closed). */
  requestTimeoutMs?: number;
  /** Longest silence on a connection, ms (default 60 s; then the socket is closed). */
  connectionTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, ms (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** 3103 dispositions of jr_ids no check of ours produced: at most `unknownPerRequest` per message (default 20) and `unknownMax` stored (default 10,000). */
  feedbackLimits?: Partial<FeedbackLimits>;
  /** Batch audit jobs (事中/事后): named HIS sources, concurrency, lease (see audit-jobs/options.ts). */
  auditJobs?: AuditJobsOptions;
  /** Serve https: PEM certificate (chain) and private key (server.ts reads them from PA_TLS_CERT / PA_TLS_KEY). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Behind a reverse proxy: Fastify `trustProxy` (true, a hop count, or proxy addresses/CIDRs), so
   * X-Forwarded-Proto/Host/For give the public address (WSDL location, client IP). Default: off,
   * forwarded headers are ignored.
   */
  trustProxy?: boolean | number | string[];
  /** Console users: session lifetime and idle timeout, lockout after failed logins (see users/options.ts). */
  users?: UsersOptions;
}

/** Bounds on 3103 dispositions of unknown warnings (see checks/feedback.ts). */
export interface FeedbackLimits {
  unknownPerRequest: number;
  unknownMax: number;
}

/** Pull mode settings. */
export interface RulebookFeedOptions {
  /** Feed URL (http[s]://…/feed.json or its folder) or a local folder. */
  source: string;
  /** Poll interval while the feed answers, ms (default 5 minutes). */
  intervalMs?: number;
  /** Longest delay between polls while the feed is down, ms (default 1 hour). */
  maxBackoffMs?: number;
  /** false: do not start polling on ready (tests call `app.rulebookFeed.pollOnce()`). */
  autoStart?: boolean;
  /**
   * Origins besides the feed's own that bundle URLs (and redirects) in the feed may point to, e.g. a
   * CDN (`https://cdn.ybj.example`). Default none: the feed is not trusted to send the service elsewhere.
   */
  allowedOrigins?: string[];
  /** Largest feed.json, bytes (default 1 MiB; the download is aborted beyond it). */
  maxFeedBytes?: number;
  /** Largest bundle fetched from the feed, bytes (default: `rulebookBodyLimit`, 64 MiB). */
  maxBundleBytes?: number;
  /** Timeout of one feed request, redirects and body included, ms (default 30 s). */
  timeoutMs?: number;
}

/** Options with every default filled in (what the plugins see as `app.config`). */
export interface ResolvedOptions {
  rulebookDir: string;
  rulebook?: CompiledRulebook;
  databaseUrl: string;
  databaseSchema?: string;
  db?: Knex;
  apiKeys: Record<string, Role>;
  authEnabled: boolean;
  logger: boolean | object;
  now: () => Date;
  bodyLimit: number;
  checkLimits: CheckLimits;
  flushBatchSize: number;
  flushIntervalMs: number;
  storeRequests: boolean;
  quarantineFile?: string;
  auditAnchorFile?: string;
  checkQueueMaxBytes: number;
  auditQueueMaxBytes: number;
  trustedKeys: string[];
  rulebookFeed?: RulebookFeedOptions;
  rulebookBodyLimit: number;
  publicHosts: string[];
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  keepAliveTimeoutMs: number;
  feedbackLimits: FeedbackLimits;
  auditJobs?: AuditJobsOptions;
  tls?: { cert: string | Buffer; key: string | Buffer };
  trustProxy: boolean | number | string[];
  users?: UsersOptions;
}

/** Merges defaults into `options`, validating what a typo could break (roles, sizes). */
export function resolveOptions(options: AppOptions = {}): ResolvedOptions {
  const apiKeys = { ...(options.apiKeys ?? {}) };
  // No part of a key in the message: error lines end up in logs and terminals.
  Object.values(apiKeys).forEach((role, i) => {
    if (!ROLES.includes(role)) throw new Error(`apiKeys: key #${i + 1}: unknown role "${role}" (expected one of ${ROLES.join(', ')})`);
  });
  if (options.databaseUrl !== undefined && !options.db) {
    try {
      parseDatabaseUrl(options.databaseUrl);
    } catch (err) {
      throw new Error(`databaseUrl: ${(err as Error).message}`);
    }
  }
  return {
    rulebookDir: options.rulebookDir ?? NATIONAL_RULEBOOK_DIR,
    rulebook: options.rulebook,
    databaseUrl: options.databaseUrl ?? ':memory:',
    databaseSchema: options.databaseSchema,
    db: options.db,
    apiKeys,
    authEnabled: Object.keys(apiKeys).length > 0,
    logger: options.logger ?? false,
    now: options.now ?? (() => new Date()),
    bodyLimit: positive(options.bodyLimit, 4 * 1024 * 1024),
    checkLimits: resolveCheckLimits(options.checkLimits),
    flushBatchSize: positive(options.flushBatchSize, 64),
    flushIntervalMs: positive(options.flushIntervalMs, 100),
    storeRequests: options.storeRequests ?? true,
    quarantineFile: options.quarantineFile,
    auditAnchorFile: options.auditAnchorFile,
    checkQueueMaxBytes: positive(options.checkQueueMaxBytes, 64 * 1024 * 1024),
    auditQueueMaxBytes: positive(options.auditQueueMaxBytes, 16 * 1024 * 1024),
    trustedKeys: [...(options.trustedKeys ?? [])],
    rulebookFeed: options.rulebookFeed,
    rulebookBodyLimit: positive(options.rulebookBodyLimit, 64 * 1024 * 1024),
    publicHosts: [...(options.publicHosts ?? [])],
    headersTimeoutMs: positive(options.headersTimeoutMs, 10_000),
    requestTimeoutMs: positive(options.requestTimeoutMs, 60_000),
    connectionTimeoutMs: positive(options.connectionTimeoutMs, 60_000),
    keepAliveTimeoutMs: positive(options.keepAliveTimeoutMs, 5_000),
    feedbackLimits: {
      unknownPerRequest: positive(options.feedbackLimits?.unknownPerRequest, 20),
      unknownMax: positive(options.feedbackLimits?.unknownMax, 10_000),
    },
    auditJobs: options.auditJobs,
    tls: options.tls,
    trustProxy: options.trustProxy ?? false,
    users: options.users,
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
