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
import {
  cancelJob,
  resumeJob,
  insertJob,
  jobView,
  lastWatermark,
  listFindings,
  listJobs,
  readJob,
  reportInputs,
  type FindingFilters,
  type JobView,
  type NewJobRow,
} from './job-store.js';
import { resolveAuditJobsOptions, type ResolvedAuditJobsOptions } from './options.js';
import {
  cronProblems,
  DEFAULT_TIMEZONE,
  listSchedules,
  newScheduleId,
  nextRun,
  periodOf,
  PERIODS,
  readSchedule,
  Scheduler,
  scheduleView,
  type Period,
  type ScheduleInput,
  type ScheduleRow,
  type ScheduleView,
} from './schedules.js';
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
  /** Puts a cancelled or failed job back in the queue; it continues from its checkpoint. */
  resume(id: string): Promise<boolean>;
  /** Validates the input and reads the source (count, watermark): the row to insert. Throws PreauditError (400) on bad input. */
  prepare(input: CreateJobInput, actor: string): Promise<NewJobRow>;
  /** The job's report (by department, doctor, rule; unmapped codes). */
  report(id: string): Promise<AuditReport>;
  /** The runner (tests wait on it). */
  readonly runner: JobRunner;
  /** Recurring jobs. */
  readonly schedules: SchedulesService;
  /** The scheduler of this instance (tests tick it). */
  readonly scheduler: Scheduler;
  /** The resolved options (the event stream's intervals and limit). */
  readonly options: ResolvedAuditJobsOptions;
}

/** Recurring jobs (`audit_schedules`). */
export interface SchedulesService {
  list(limit: number, offset: number): Promise<{ total: number; items: ScheduleView[] }>;
  get(id: string): Promise<ScheduleView | undefined>;
  /** Validates and stores a schedule (400 naming the field on bad input). */
  create(input: ScheduleInput, actor: string): Promise<ScheduleView>;
  /** Changes fields; next_run_at is recomputed. undefined when it does not exist. */
  update(id: string, input: ScheduleInput): Promise<ScheduleView | undefined>;
  remove(id: string): Promise<boolean>;
  /** Starts a job for the schedule's period as due now (next_run_at stays). */
  runNow(id: string, actor: string): Promise<JobView | undefined>;
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

    /** The job input of a schedule's run due at `due`. */
    const scheduledInput = (row: ScheduleRow, due: Date): CreateJobInput => ({
      source: row.source,
      phase: row.phase,
      scenes: row.scenes ? row.scenes.split(',') : undefined,
      ...periodOf(row.period, due, row.timezone),
    });
    const scheduler = new Scheduler({
      db: app.db,
      log: app.log,
      intervalMs: options.scheduleIntervalMs,
      now: app.config.now,
      async fire(row, due) {
        const job = await service.prepare(scheduledInput(row, due), `schedule:${row.id}`);
        return {
          async insert(trx) {
            await insertJob(trx, job);
            return job.id;
          },
          after: () => runner.enqueue(job.id),
        };
      },
    });

    /** Checks a whole schedule (after a patch is applied); throws 400 naming the fields. */
    const checkSchedule = (s: Pick<ScheduleRow, 'source' | 'phase' | 'cron' | 'timezone' | 'period'>) => {
      const problems: FieldProblem[] = [];
      if (!sources.has(s.source)) problems.push({ field: 'source', message: `未知数据源；可用：${sources.names().join('、') || '（未配置）'}` });
      if (!(PERIODS as readonly string[]).includes(s.period)) problems.push({ field: 'period', message: `应为 ${PERIODS.join('、')} 之一` });
      if (s.period === 'incremental' && s.phase !== '事中') problems.push({ field: 'period', message: '只有事中审核按水位增量读取' });
      problems.push(...cronProblems(s.cron, s.timezone));
      if (problems.length) throw badInput(problems);
    };

    const schedules: SchedulesService = {
      async list(limit, offset) {
        const { total, rows } = await listSchedules(app.db, limit, offset);
        return { total, items: rows.map(scheduleView) };
      },
      async get(id) {
        const row = await readSchedule(app.db, id);
        return row ? scheduleView(row) : undefined;
      },
      async create(input, actor) {
        const now = app.config.now().toISOString();
        const row: ScheduleRow = {
          id: newScheduleId(),
          name: input.name ?? '',
          source: input.source ?? '',
          phase: input.phase ?? '',
          cron: input.cron ?? '',
          timezone: input.timezone ?? DEFAULT_TIMEZONE,
          period: (input.period ?? '') as Period,
          scenes: input.scenes?.length ? input.scenes.join(',') : null,
          enabled: input.enabled ?? true,
          next_run_at: null,
          last_run_at: null,
          last_job_id: null,
          last_error: null,
          created_by: actor,
          created_at: now,
          updated_at: now,
        };
        checkSchedule(row);
        row.next_run_at = row.enabled ? nextRun(row.cron, row.timezone, new Date()) : null;
        await app.db('audit_schedules').insert(row);
        return scheduleView((await readSchedule(app.db, row.id))!);
      },
      async update(id, input) {
        const before = await readSchedule(app.db, id);
        if (!before) return undefined;
        const after: ScheduleRow = { ...before, enabled: !!before.enabled };
        for (const k of ['name', 'source', 'phase', 'cron', 'timezone', 'period', 'enabled'] as const) {
          if (input[k] !== undefined) (after as unknown as Record<string, unknown>)[k] = input[k];
        }
        if (input.scenes !== undefined) after.scenes = input.scenes.length ? input.scenes.join(',') : null;
        checkSchedule(after);
        after.next_run_at = after.enabled ? nextRun(after.cron, after.timezone, new Date()) : null;
        after.updated_at = app.config.now().toISOString();
        const { id: _id, created_by: _by, created_at: _at, ...patch } = after;
        await app.db('audit_schedules').where({ id }).update(patch);
        return scheduleView((await readSchedule(app.db, id))!);
      },
      async remove(id) {
        return (await app.db('audit_schedules').where({ id }).delete()) > 0;
      },
      async runNow(id, actor) {
        const row = await readSchedule(app.db, id);
        if (!row) return undefined;
        const job = await service.prepare(scheduledInput(row, new Date()), actor);
        await insertJob(app.db, job);
        await app.db('audit_schedules').where({ id }).update({ last_job_id: job.id, last_error: null });
        runner.enqueue(job.id);
        return jobView((await readJob(app.db, job.id))!);
      },
    };

    const service: AuditJobsService = {
      runner,
      scheduler,
      schedules,
      options,
      sources: () => sources.names(),

      async prepare(input, actor) {
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
        return row;
      },

      async create(input, actor) {
        const row = await service.prepare(input, actor);
        await insertJob(app.db, row);
        runner.enqueue(row.id);
        return jobView((await readJob(app.db, row.id))!);
      },

      async resume(id) {
        if (!(await resumeJob(app.db, id, app.config.now().toISOString()))) return false;
        runner.enqueue(id);
        return true;
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
    if (options.schedules) {
      app.addHook('onReady', async () => {
        scheduler.start();
      });
    }
    app.beforeStorageClose(async () => {
      await scheduler.stop();
      await runner.stop();
    });
  },
  { name: 'audit-jobs', dependencies: ['storage', 'rulebooks'] },
);
