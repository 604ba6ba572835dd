/**
 * Runs audit jobs: claims a job (a lease in the database), reads its source page by page from
 * its checkpoint, judges each page, and commits findings, figures and the new checkpoint in one
 * transaction. A process killed mid-job leaves the last committed page as the checkpoint; the
 * next start (or another process, once the lease expires) resumes after it. Findings are unique
 * per job, so a page is never counted twice.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { auditPages, openSource, type AuditSource, type ReadScope, type RulebookSet } from '@preaudit/his-adapter';
import type { Phase } from '@preaudit/core-rules';
import { claimJob, commitPage, finishJob, JobNotOwned, orphanedJobs, releaseJob, setRulebooks, type JobRow } from './job-store.js';
import type { ResolvedAuditJobsOptions } from './options.js';
import type { SourceRegistry } from './source-registry.js';

/**
 * What a failed job shows to its callers: a stable code, never the error's text. A HIS driver's
 * message names hosts, users, tables and SQL; it goes to the log (with the job id) only.
 */
export function jobFailureText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const stable = typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : err instanceof Error ? err.name : 'ERROR';
  return `审核任务失败（${stable}），详情见服务日志`;
}

/** What the runner needs from the service. */
export interface RunnerDeps {
  db: Knex;
  sources: SourceRegistry;
  options: ResolvedAuditJobsOptions;
  rulebooks: () => Promise<RulebookSet>;
  now: () => Date;
  log: FastifyBaseLogger;
}

/** The scope a job reads. */
export function scopeOf(job: Pick<JobRow, 'phase' | 'period_from' | 'period_to' | 'incremental' | 'changed_after' | 'changed_up_to'>): ReadScope {
  const scope: ReadScope = {};
  if (job.incremental) {
    if (job.changed_after) scope.changedAfter = job.changed_after;
    if (job.changed_up_to) scope.changedUpTo = job.changed_up_to;
  }
  if (job.period_from || job.period_to) {
    // 事后 audits settled encounters by discharge date; 事中 looks at stays by admission date.
    scope.dateColumn = job.phase === '事后' ? 'dscg_date' : 'adm_date';
    if (job.period_from) scope.from = job.period_from;
    if (job.period_to) scope.to = job.period_to;
  }
  return scope;
}

/** Runs jobs in this process. */
export class JobRunner {
  /** This process's runner id (stored as the job's owner while it runs). */
  readonly id = `runner-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly queue: string[] = [];
  private stopping = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: RunnerDeps) {}

  private recordNow(): string {
    return this.deps.now().toISOString();
  }

  /** Queues a job; it starts when a slot is free. */
  enqueue(id: string): void {
    if (!this.deps.options.run) return;
    if (this.stopping || this.running.has(id) || this.queue.includes(id)) return;
    this.queue.push(id);
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.deps.options.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      const run = this.run(id)
        .catch((err) => this.deps.log.error({ err, job: id }, 'audit job runner failed'))
        .finally(() => {
          this.running.delete(id);
          this.pump();
        });
      this.running.set(id, run);
    }
  }

  /** Picks up jobs nobody runs (at start, and periodically for runners that died). */
  async adoptOrphans(): Promise<void> {
    if (this.stopping) return;
    for (const id of await orphanedJobs(this.deps.db)) this.enqueue(id);
  }

  /** Resumes unfinished jobs now and keeps watching for orphans. */
  async start(): Promise<void> {
    await this.adoptOrphans();
    const every = this.deps.options.pollMs;
    this.timer = setInterval(() => {
      this.adoptOrphans().catch((err) => this.deps.log.error({ err }, 'looking for unfinished audit jobs failed'));
    }, every);
    this.timer.unref();
  }

  /** Stops taking work, lets running jobs reach a page boundary, and releases them for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.queue.length = 0;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Whether a job is being run by this process. */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Waits until the job is no longer run by this process (tests, CLI). */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  private async run(id: string): Promise<void> {
    const { db, options, log } = this.deps;
    const job = await claimJob(db, id, this.id, options.leaseMs, this.recordNow());
    if (!job) return;
    let source: AuditSource | undefined;
    try {
      const books = await this.deps.rulebooks();
      await setRulebooks(
        db,
        id,
        (books.versions ?? [books.active]).map((b) => b.digest),
      );
      source = await openSource(await this.deps.sources.config(job.source));
      log.info({ job: id, source: job.source, phase: job.phase, resume_after: job.cursor ?? null }, job.cursor ? 'audit job resumed' : 'audit job started');
      let page = job.pages;
      // Commits run one at a time, in page order, while the next page is being judged: a page's
      // commit starts only after the previous one is durable, so the checkpoint never skips.
      let committed: Promise<void> = Promise.resolve();
      for await (const result of auditPages({
        source,
        rulebooks: books,
        phase: job.phase as Phase,
        scope: scopeOf(job),
        scenes: job.scenes ? job.scenes.split(',') : undefined,
        after: job.cursor ?? undefined,
        pageSize: job.page_size ?? options.pageSize,
        idPrefix: `${id}:`,
      })) {
        await committed;
        if (this.stopping) {
          await releaseJob(db, id, this.id);
          log.info({ job: id, page }, 'audit job paused: the service is stopping; it resumes at the next start');
          return;
        }
        const n = ++page;
        committed = commitPage(db, { id, runner: this.id, leaseMs: options.leaseMs, page: n }, result, this.recordNow()).then(() => options.hooks.onPage?.(id, n));
        committed.catch(() => undefined);
      }
      await committed;
      if (await finishJob(db, id, this.id, 'done', this.recordNow())) log.info({ job: id }, 'audit job done');
    } catch (err) {
      if (err instanceof JobNotOwned) {
        log.warn({ job: id }, 'audit job taken over or cancelled; this runner stops');
        return;
      }
      log.error({ err, job: id }, 'audit job failed');
      await finishJob(db, id, this.id, 'failed', this.recordNow(), jobFailureText(err)).catch(() => undefined);
    } finally {
      await source?.close().catch(() => undefined);
    }
  }
}
