/**
 * Options of batch audit jobs (`buildApp({ auditJobs })`): where the HIS sources are and how
 * jobs run. server.ts fills `sourcesDir` from PA_AUDIT_SOURCES.
 */
import type { SourceConfig } from '@preaudit/his-adapter';

/** Hooks for tests and embedding. */
export interface AuditJobHooks {
  /** After each committed page (the checkpoint is durable when this runs). */
  onPage?(jobId: string, page: number): void | Promise<void>;
}

/** Options of the audit-jobs plugin. */
export interface AuditJobsOptions {
  /** Sources by name: a mapping-file path or a configuration object. */
  sources?: Record<string, string | SourceConfig>;
  /** A folder of mapping files (*.yaml, *.yml, *.json); each file is a source named after the file. */
  sourcesDir?: string;
  /** Values for `${NAME}` placeholders in mapping files (server.ts passes only the variables the files of `sourcesDir` name, never the whole environment). */
  env?: Record<string, string | undefined>;
  /** Jobs run at once (default 2); others wait queued. */
  concurrency?: number;
  /** Patients per page when a job and its source name none. */
  pageSize?: number;
  /** How long a runner's claim on a job lasts without progress, ms (default 60000). */
  leaseMs?: number;
  /** Resume unfinished jobs when the service starts (default true). */
  resume?: boolean;
  /** Hooks. */
  hooks?: AuditJobHooks;
  /** Fire recurring schedules (audit_schedules) from this instance (default: as `resume`). */
  schedules?: boolean;
  /** How often to look for due schedules, ms (default 15000). A run starts at most this late. */
  scheduleIntervalMs?: number;
  /** How often a progress stream (GET /v1/audit-jobs/:id/events) reads its job, ms (default 500). */
  eventsIntervalMs?: number;
  /** Heartbeat of a progress stream, ms (default 15000). */
  heartbeatMs?: number;
  /** Progress streams open at once on this instance (default 200; more → 503). */
  maxEventStreams?: number;
}

/** Options with defaults. */
export interface ResolvedAuditJobsOptions {
  sources: Record<string, string | SourceConfig>;
  sourcesDir?: string;
  env: Record<string, string | undefined>;
  concurrency: number;
  pageSize?: number;
  leaseMs: number;
  resume: boolean;
  hooks: AuditJobHooks;
  schedules: boolean;
  scheduleIntervalMs: number;
  eventsIntervalMs: number;
  heartbeatMs: number;
  maxEventStreams: number;
}

/** Merges the defaults. */
export function resolveAuditJobsOptions(options: AuditJobsOptions = {}): ResolvedAuditJobsOptions {
  return {
    sources: { ...(options.sources ?? {}) },
    sourcesDir: options.sourcesDir,
    env: options.env ?? {},
    concurrency: Math.max(1, Math.floor(options.concurrency ?? 2)),
    pageSize: options.pageSize,
    leaseMs: Math.max(200, options.leaseMs ?? 60_000),
    resume: options.resume ?? true,
    hooks: options.hooks ?? {},
    schedules: options.schedules ?? options.resume ?? true,
    scheduleIntervalMs: Math.max(50, options.scheduleIntervalMs ?? 15_000),
    eventsIntervalMs: Math.max(50, options.eventsIntervalMs ?? 500),
    heartbeatMs: Math.max(100, options.heartbeatMs ?? 15_000),
    maxEventStreams: Math.max(1, Math.floor(options.maxEventStreams ?? 200)),
  };
}
