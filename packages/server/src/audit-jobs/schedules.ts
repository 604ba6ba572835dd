/**
 * Recurring audit jobs (e.g. a nightly 事中 audit of inpatients, a monthly 事后 audit), kept in
 * the database (`audit_schedules`). Every service instance runs a `Scheduler` that looks for due
 * schedules; one instance wins each due run with a conditional update on `next_run_at` (the row
 * moves to its next time only where it still holds the time that was due), in the same
 * transaction as the job row it starts, so a run fires exactly once however many instances look.
 * A service that was down over several due times fires once, for the latest, and moves on.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { CronExpressionParser } from 'cron-parser';
import type { FieldProblem } from '../platform/errors.js';

/** Which window each run audits, computed at the run's due time in the schedule's time zone. */
export const PERIODS = ['previous-day', 'previous-week', 'previous-month', 'incremental'] as const;
/** One of PERIODS. */
export type Period = (typeof PERIODS)[number];

/** A schedule row. */
export interface ScheduleRow {
  id: string;
  name: string;
  source: string;
  phase: string;
  cron: string;
  timezone: string;
  period: Period;
  scenes: string | null;
  enabled: boolean | number;
  next_run_at: string | null;
  last_run_at: string | null;
  last_job_id: string | null;
  last_error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** What the API shows. */
export interface ScheduleView {
  id: string;
  name: string;
  source: string;
  phase: string;
  cron: string;
  timezone: string;
  period: Period;
  scenes: string[];
  enabled: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  last_job_id: string | null;
  last_error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Fields a caller sets. */
export interface ScheduleInput {
  name?: string;
  source?: string;
  phase?: string;
  cron?: string;
  timezone?: string;
  period?: string;
  scenes?: string[];
  enabled?: boolean;
}

/** The default time zone of schedules (the hospitals' wall clock). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Shapes a row for the API. */
export function scheduleView(row: ScheduleRow): ScheduleView {
  return { ...row, scenes: row.scenes ? row.scenes.split(',') : [], enabled: !!row.enabled };
}

/** The first run strictly after `after`, or a problem naming the field. */
export function nextRun(cron: string, timezone: string, after: Date): string {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toISOString()!;
}

/** Problems of a cron expression / time zone pair (empty when fine). */
export function cronProblems(cron: string, timezone: string): FieldProblem[] {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return [{ field: 'timezone', message: `未知时区 ${timezone}（IANA 名称，如 Asia/Shanghai）` }];
  }
  // Five fields (minute hour day month weekday): a seconds field would let a schedule fire every second.
  if (cron.trim().split(/\s+/).length !== 5) return [{ field: 'cron', message: 'cron 表达式应为 5 个字段：分 时 日 月 周，如 "0 2 * * *"' }];
  try {
    nextRun(cron, timezone, new Date());
  } catch (err) {
    return [{ field: 'cron', message: `cron 表达式无效：${(err as Error).message}` }];
  }
  return [];
}

/** The calendar date (yyyy-MM-dd) of `at` in `timezone`. */
function localDate(at: Date, timezone: string): { y: number; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The period a run due at `due` audits: [from, to] (inclusive dates), or none for incremental. */
export function periodOf(period: Period, due: Date, timezone: string): { from?: string; to?: string; incremental?: boolean } {
  const { y, m, d } = localDate(due, timezone);
  const day = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd));
  switch (period) {
    case 'previous-day': {
      const x = iso(day(y, m, d - 1));
      return { from: x, to: x };
    }
    case 'previous-week': {
      // Monday..Sunday of the week before the run's week.
      const today = day(y, m, d);
      const mondayOffset = (today.getUTCDay() + 6) % 7;
      return { from: iso(day(y, m, d - mondayOffset - 7)), to: iso(day(y, m, d - mondayOffset - 1)) };
    }
    case 'previous-month':
      return { from: iso(day(y, m - 1, 1)), to: iso(day(y, m, 0)) };
    case 'incremental':
      return { incremental: true };
  }
}

/** A new schedule id. */
export function newScheduleId(): string {
  return `AS${randomBytes(6).toString('hex')}`;
}

/** Reads one schedule. */
export async function readSchedule(db: Knex, id: string): Promise<ScheduleRow | undefined> {
  return db<ScheduleRow>('audit_schedules').where({ id }).first();
}

/** Lists schedules by name. */
export async function listSchedules(db: Knex, limit: number, offset: number): Promise<{ total: number; rows: ScheduleRow[] }> {
  const [{ n }] = await db('audit_schedules').count({ n: '*' });
  const rows = await db<ScheduleRow>('audit_schedules')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit)
    .offset(offset);
  return { total: Number(n), rows };
}

/** Schedules whose next run is due at `now` (real time), earliest first; at most `limit`. */
export async function dueSchedules(db: Knex, now: string, limit: number): Promise<ScheduleRow[]> {
  return db<ScheduleRow>('audit_schedules').where({ enabled: true }).whereNotNull('next_run_at').andWhere('next_run_at', '<=', now).orderBy('next_run_at').limit(limit);
}

/**
 * Claims the run of `row` due at `row.next_run_at` inside `trx`: moves next_run_at on only where
 * it still holds that time. True when this caller won (it then starts the job in the same transaction).
 */
export async function claimRun(trx: Knex.Transaction, row: ScheduleRow, next: string, recordNow: string): Promise<boolean> {
  const n = await trx('audit_schedules')
    .where({ id: row.id, next_run_at: row.next_run_at, enabled: true })
    .update({ next_run_at: next, last_run_at: row.next_run_at, updated_at: recordNow });
  return n === 1;
}

/** What the scheduler needs. */
export interface SchedulerDeps {
  db: Knex;
  log: FastifyBaseLogger;
  /** How often to look for due schedules, ms. */
  intervalMs: number;
  /**
   * Fires a claimed run: prepares the job (reads the source) and returns a function that inserts
   * it inside the claiming transaction, and one to run after commit (enqueue).
   */
  fire(row: ScheduleRow, due: Date): Promise<{ insert(trx: Knex.Transaction): Promise<string>; after(): void }>;
  now(): Date;
}

/** Looks for due schedules on a timer and fires each due run once across instances. */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts the timer (and looks once at once). */
  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops looking; waits for a look in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** One look: fires every due schedule this instance wins. Returns the jobs started here. */
  tick(): Promise<void> {
    if (this.stopped || this.ticking) return this.ticking ?? Promise.resolve();
    this.ticking = this.runDue()
      .catch((err) => this.deps.log.error({ err }, 'audit schedules: looking for due runs failed'))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  /** Ids of jobs this instance started (tests count them). */
  readonly started: string[] = [];

  private async runDue(): Promise<void> {
    const { db, log } = this.deps;
    const realNow = new Date();
    for (const row of await dueSchedules(db, realNow.toISOString(), 50)) {
      if (this.stopped) return;
      const due = new Date(row.next_run_at!);
      const recordNow = this.deps.now().toISOString();
      // Missed runs collapse into this one: the next time is after now, not after the due time.
      const next = nextRun(row.cron, row.timezone, realNow);
      let prepared: Awaited<ReturnType<SchedulerDeps['fire']>>;
      try {
        prepared = await this.deps.fire(row, due);
      } catch (err) {
        // The source cannot be read: the run is still claimed (once), with its error shown.
        const message = (err as Error).message.slice(0, 1000);
        const won = await db.transaction(async (trx) => {
          if (!(await claimRun(trx, row, next, recordNow))) return false;
          await trx('audit_schedules').where({ id: row.id }).update({ last_error: message });
          return true;
        });
        if (won) log.error({ err, schedule: row.id }, 'audit schedule: the run could not start');
        continue;
      }
      const jobId = await db.transaction(async (trx) => {
        if (!(await claimRun(trx, row, next, recordNow))) return undefined;
        const id = await prepared.insert(trx);
        await trx('audit_schedules').where({ id: row.id }).update({ last_job_id: id, last_error: null });
        return id;
      });
      if (jobId) {
        this.started.push(jobId);
        prepared.after();
        log.info({ schedule: row.id, job: jobId, due: row.next_run_at }, 'audit schedule fired');
      }
    }
  }
}
