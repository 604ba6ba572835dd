/**
 * Batch audit jobs (`app.auditJobs`): 事中 and 事后 audits over the hospital's HIS sources,
 * run in the background with a checkpoint per page, resumed when the service starts again.
 * Sources are named in the service's configuration (`auditJobs.sources` / `sourcesDir`).
 */
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import { buildReport, formatLocal, openSource, SourceConfigError, type AuditReport } from '@preaudit/his-adapter';
import { badInput, ErrorCode, PreauditError, type FieldProblem } from '../platform/errors.js';
import { JobRunner, scopeOf } from './job-runner.js';
import { cancelJob, insertJob, jobView, lastWatermark, listFindings, listJobs, readJob, reportInputs, type FindingFilters, type JobView } from './job-store.js';
import { resolveAuditJobsOptions } from './options.js';
import { rulebookSet } from './rulebook-set.js';
import { SourceRegistry } from './source-registry.js';

/** What a caller asks for when starting a job. */
export interface CreateJobInput {
  /** Source name. */
  source: string;
  /** 事中 or 事后. */
  phase: string;
  /** First day (yyyy-MM-dd). */
  from?: string;
  /** Last day (yyyy-MM-dd, inclusive). */
  to?: string;
  /** trig_scen codes. */
  scenes?: string[];
  /** 事中 only: encounters changed since the last run. */
  incremental?: boolean;
  /** Patients per page. */
  page_size?: number;
}

/** The service behind the routes. */
export interface AuditJobsService {
  /** Known source names. */
  sources(): string[];
  /** Validates, counts and queues a job. Throws PreauditError (400) on bad input or a bad mapping. */
  create(input: CreateJobInput, actor: string): Promise<JobView>;
  /** One job, or undefined. */
  get(id: string): Promise<JobView | undefined>;
  /** Jobs, newest first. */
  list(opts: { source?: string; state?: string; limit: number; offset: number }): Promise<{ total: number; items: JobView[] }>;
  /** A page of a job's findings. */
  findings(id: string, filters: FindingFilters, limit: number, offset: number): Promise<{ total: number; items: Array<Record<string, unknown>> }>;
  /** Cancels a queued or running job. */
  cancel(id: string): Promise<boolean>;
  /** The job's report (by department, doctor, rule; unmapped codes). */
  report(id: string): Promise<AuditReport>;
  /** The runner (tests wait on it). */
  readonly runner: JobRunner;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Batch audit jobs. */
    auditJobs: AuditJobsService;
  }
}

function newJobId(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `AJ${stamp}${randomBytes(3).toString('hex')}`;
}

function configProblems(err: SourceConfigError): FieldProblem[] {
  return err.problems.map((p) => ({ field: `source.${p.field}`, message: p.message }));
}

export default fp(
  async (app) => {
    const options = resolveAuditJobsOptions(app.config.auditJobs);
    const sources = new SourceRegistry(options);
    const runner = new JobRunner({
      db: app.db,
      sources,
      options,
      rulebooks: () => rulebookSet(app.rulebooks),
      now: app.config.now,
      log: app.log,
    });

    const service: AuditJobsService = {
      runner,
      sources: () => sources.names(),

      async create(input, actor) {
        // The route's schema (createBody) has checked the shape: phase, date formats, which phase needs
        // a period. Left here is what only the service knows, and what JSON Schema cannot compare.
        const problems: FieldProblem[] = [];
        if (!sources.has(input.source)) problems.push({ field: 'source', message: `未知数据源；可用：${sources.names().join('、') || '（未配置）'}` });
        if (input.from && input.to && input.from > input.to) problems.push({ field: 'to', message: '不应早于 from' });
        if (problems.length) throw badInput(problems);

        let config;
        try {
          config = await sources.config(input.source);
        } catch (err) {
          if (err instanceof SourceConfigError) throw badInput(configProblems(err));
          throw err;
        }
        let source;
        try {
          source = await openSource(config);
        } catch (err) {
          if (err instanceof SourceConfigError) throw badInput(configProblems(err));
          throw new PreauditError(ErrorCode.unavailable, `数据源 ${input.source} 无法连接：${(err as Error).message}`);
        }
        const now = app.config.now();
        const row = {
          id: newJobId(now),
          source: input.source,
          phase: input.phase,
          period_from: input.from ?? null,
          period_to: input.to ?? null,
          scenes: input.scenes?.length ? input.scenes.join(',') : null,
          incremental: !!input.incremental,
          changed_after: null as string | null,
          changed_up_to: null as string | null,
          page_size: input.page_size ?? null,
          created_by: actor,
          created_at: now.toISOString(),
          total: null as number | null,
        };
        try {
          if (row.incremental) {
            row.changed_after = await lastWatermark(app.db, input.source, input.phase);
            // The window's upper bound is fixed now, so a run has an end and the next run starts
            // exactly there. Nothing changed: an empty window that keeps the watermark. A web
            // service cannot tell its latest change: the window ends now.
            const latest = await source.maxChangeTime(scopeOf(row));
            row.changed_up_to = latest ?? (source.kind === 'soap' ? formatLocal(now) : row.changed_after);
          }
          row.total = await source.count(scopeOf(row));
        } catch (err) {
          throw new PreauditError(ErrorCode.unavailable, `数据源 ${input.source} 读取失败：${(err as Error).message}`);
        } finally {
          await source.close().catch(() => undefined);
        }
        await insertJob(app.db, row);
        runner.enqueue(row.id);
        return jobView((await readJob(app.db, row.id))!);
      },

      async get(id) {
        const row = await readJob(app.db, id);
        return row ? jobView(row) : undefined;
      },

      async list(opts) {
        const { total, rows } = await listJobs(app.db, opts);
        return { total, items: rows.map((r) => jobView(r)) };
      },

      findings: (id, filters, limit, offset) => listFindings(app.db, id, filters, limit, offset),

      cancel: (id) => cancelJob(app.db, id, app.config.now().toISOString()),

      async report(id) {
        const row = await readJob(app.db, id);
        if (!row) throw new PreauditError(ErrorCode.notFound, `审核任务 ${id} 不存在`);
        const { findings, stats, unmapped } = await reportInputs(app.db, id);
        return buildReport(findings, stats, unmapped, {
          source: row.source,
          phase: row.phase,
          from: row.period_from ?? row.changed_after ?? undefined,
          to: row.period_to ?? row.changed_up_to ?? undefined,
          rulebooks: row.rulebooks ? (JSON.parse(row.rulebooks) as string[]) : [],
          generated_at: app.config.now().toISOString(),
          job_id: id,
        });
      },
    };
    app.decorate('auditJobs', service);
    if (options.resume) {
      app.addHook('onReady', async () => {
        await runner.start();
      });
    }
    app.beforeStorageClose(() => runner.stop());
  },
  { name: 'audit-jobs', dependencies: ['storage', 'rulebooks'] },
);
