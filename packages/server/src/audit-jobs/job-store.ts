/**
 * Audit jobs in the database: creating, claiming (a lease), committing a page (findings, figures
 * and the checkpoint in one transaction), finishing, and reading back jobs, findings and report
 * inputs. Record times come from the service clock; leases and rates from the real clock.
 */
import type { Knex } from 'knex';
import { cellText, type Finding, type PageResult, type ReportFinding, type StatRow, type UnmappedCode } from '@preaudit/his-adapter';
import { maskId } from '../checks/masking.js';
import { dialectOf } from '../platform/storage/connect.js';

/** A job row. */
export interface JobRow {
  id: string;
  source: string;
  phase: string;
  period_from: string | null;
  period_to: string | null;
  scenes: string | null;
  incremental: boolean | number;
  changed_after: string | null;
  changed_up_to: string | null;
  page_size: number | null;
  state: JobState;
  total: number | null;
  processed: number;
  orders: number;
  findings: number;
  vola_amt: number | string;
  pages: number;
  unmapped_orders: number;
  rule_errors: number;
  cursor: string | null;
  rulebooks: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  updated_at: string | null;
  finished_at: string | null;
  runner: string | null;
  lease_until: string | null;
  run_started_at: string | null;
  run_processed_start: number;
}

/** Job states. */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What the API shows of a job. */
export interface JobView {
  id: string;
  source: string;
  phase: string;
  from: string | null;
  to: string | null;
  scenes: string[];
  incremental: boolean;
  changed_after: string | null;
  changed_up_to: string | null;
  state: JobState;
  total: number | null;
  processed: number;
  orders: number;
  findings: number;
  vola_amt: number;
  unmapped_orders: number;
  rule_errors: number;
  /** processed / total (0..1), null when the source cannot count in advance. */
  progress: number | null;
  /** Encounters per second in the current run. */
  rate: number | null;
  /** Seconds left at that rate. */
  eta_seconds: number | null;
  rulebooks: string[];
  created_by: string;
  created_at: string;
  started_at: string | null;
  updated_at: string | null;
  finished_at: string | null;
  error: string | null;
}

/** Thrown inside a page commit when this process no longer owns the job (lease lost, cancelled). */
export class JobNotOwned extends Error {
  constructor(id: string) {
    super(`job ${id} is no longer run by this process`);
    this.name = 'JobNotOwned';
  }
}

const realNow = () => new Date().toISOString();

/** Shapes a row for the API. */
export function jobView(row: JobRow, nowMs = Date.now()): JobView {
  let rate: number | null = null;
  if (row.state === 'running' && row.run_started_at) {
    const seconds = (nowMs - Date.parse(row.run_started_at)) / 1000;
    const done = row.processed - row.run_processed_start;
    if (seconds > 0 && done > 0) rate = Math.round((done / seconds) * 10) / 10;
  }
  const total = row.total === null || row.total === undefined ? null : Number(row.total);
  const left = total === null ? null : Math.max(0, total - row.processed);
  return {
    id: row.id,
    source: row.source,
    phase: row.phase,
    from: row.period_from,
    to: row.period_to,
    scenes: row.scenes ? row.scenes.split(',') : [],
    incremental: !!row.incremental,
    changed_after: row.changed_after,
    changed_up_to: row.changed_up_to,
    state: row.state,
    total,
    processed: row.processed,
    orders: row.orders,
    findings: row.findings,
    vola_amt: Number(row.vola_amt),
    unmapped_orders: row.unmapped_orders,
    rule_errors: row.rule_errors,
    progress: total ? Math.min(1, Math.round((row.processed / total) * 10000) / 10000) : row.state === 'done' ? 1 : total === 0 ? 1 : null,
    rate,
    eta_seconds: rate && left !== null ? Math.round(left / rate) : row.state === 'done' ? 0 : null,
    rulebooks: row.rulebooks ? (JSON.parse(row.rulebooks) as string[]) : [],
    created_by: row.created_by,
    created_at: row.created_at,
    started_at: row.started_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
    error: row.error,
  };
}

/** Reads one job. */
export async function readJob(db: Knex, id: string): Promise<JobRow | undefined> {
  return db<JobRow>('audit_jobs').where({ id }).first();
}

/** Lists jobs, newest first. */
export async function listJobs(db: Knex, opts: { source?: string; state?: string; limit: number; offset: number }): Promise<{ total: number; rows: JobRow[] }> {
  const base = () => {
    let q = db<JobRow>('audit_jobs');
    if (opts.source) q = q.where('source', opts.source);
    if (opts.state) q = q.where('state', opts.state);
    return q;
  };
  const [{ n }] = await base().count({ n: '*' });
  const rows = await base()
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(opts.limit)
    .offset(opts.offset);
  return { total: Number(n), rows };
}

/** What a new job row holds. */
export type NewJobRow = Partial<JobRow> & Pick<JobRow, 'id' | 'source' | 'phase' | 'created_by' | 'created_at'>;

/** Inserts a new job. */
export async function insertJob(db: Knex, row: NewJobRow): Promise<void> {
  await db('audit_jobs').insert({ state: 'queued', processed: 0, orders: 0, findings: 0, vola_amt: 0, pages: 0, unmapped_orders: 0, rule_errors: 0, run_processed_start: 0, ...row });
}

/** The upper bound of the last incremental window of a source (where the next one starts). */
export async function lastWatermark(db: Knex, source: string, phase: string): Promise<string | null> {
  const row = await db('audit_jobs').where({ source, phase, incremental: true }).whereNotIn('state', ['failed', 'cancelled']).max({ t: 'changed_up_to' }).first();
  return (row?.t as string | null | undefined) ?? null;
}

/**
 * Claims a job for `runner` when it is queued, or running but unowned or with an expired lease.
 * Returns the row on success.
 */
export async function claimJob(db: Knex, id: string, runner: string, leaseMs: number, recordNow: string): Promise<JobRow | undefined> {
  const now = realNow();
  const lease = new Date(Date.now() + leaseMs).toISOString();
  const claimed = await db('audit_jobs')
    .where({ id })
    .whereIn('state', ['queued', 'running'])
    .andWhere((q) => {
      void q.whereNull('runner').orWhere('runner', runner).orWhere('lease_until', '<', now);
    })
    .update({ state: 'running', runner, lease_until: lease, run_started_at: now, run_processed_start: db.ref('processed'), updated_at: recordNow });
  if (claimed === 0) return undefined;
  await db('audit_jobs').where({ id }).whereNull('started_at').update({ started_at: recordNow });
  return readJob(db, id);
}

/** Sets the rulebooks a job judges by (digests), once it knows them. */
export async function setRulebooks(db: Knex, id: string, digests: string[]): Promise<void> {
  await db('audit_jobs')
    .where({ id })
    .update({ rulebooks: JSON.stringify(digests) });
}

function findingRow(jobId: string, f: Finding): Record<string, unknown> {
  return {
    job_id: jobId,
    jr_id: f.jr_id,
    rule_id: f.rule_id,
    rule_name: f.rule_name,
    sev_deg: f.sev_deg,
    vola_cont: f.vola_cont,
    vola_evid: f.vola_evid,
    vola_bhvr_type: f.vola_bhvr_type,
    vola_amt: f.vola_amt,
    vola_amt_stas: f.vola_amt_stas,
    patn_id: maskId(f.patn_id),
    mdtrt_id: f.mdtrt_id,
    rx_id: f.rx_id,
    hilist_code: f.hilist_code,
    hilist_name: f.hilist_name.slice(0, 200),
    hosplist_code: f.hosplist_code,
    dept_codg: f.dept_codg,
    dept_name: f.dept_name,
    dr_codg: f.dr_codg,
    dr_name: f.dr_name,
    order_date: f.order_date,
    med_mdtrt_type: f.med_mdtrt_type,
    rulebook: f.rulebook,
    details: JSON.stringify(f.details.map((d) => ({ ...d, patn_id: maskId(d.patn_id) }))),
  };
}

/**
 * Commits one page: the job's counters and checkpoint (only while `runner` owns the job and it
 * is running), the page's findings and figures. All or nothing.
 */
export async function commitPage(db: Knex, job: { id: string; runner: string; leaseMs: number; page: number }, page: PageResult, recordNow: string): Promise<void> {
  const vola = page.findings.reduce((s, f) => s + f.vola_amt, 0);
  await db.transaction(async (trx) => {
    const updated = await trx('audit_jobs')
      .where({ id: job.id, runner: job.runner, state: 'running' })
      .update({
        processed: trx.raw('processed + ?', [page.encounters]),
        orders: trx.raw('orders + ?', [page.orders]),
        findings: trx.raw('findings + ?', [page.findings.length]),
        vola_amt: trx.raw('vola_amt + ?', [Math.round(vola * 100) / 100]),
        pages: trx.raw('pages + 1'),
        unmapped_orders: trx.raw('unmapped_orders + ?', [page.unmapped.orders]),
        rule_errors: trx.raw('rule_errors + ?', [page.errors.length]),
        cursor: page.cursor,
        updated_at: recordNow,
        lease_until: new Date(Date.now() + job.leaseMs).toISOString(),
      });
    if (updated === 0) throw new JobNotOwned(job.id);
    const rows = page.findings.map((f) => findingRow(job.id, f));
    // On MySQL a duplicate updates its key to itself: INSERT IGNORE would also hide a truncated value.
    const mysql = dialectOf(trx) === 'mysql';
    for (let i = 0; i < rows.length; i += 300) {
      const q = trx('audit_findings')
        .insert(rows.slice(i, i + 300))
        .onConflict(['job_id', 'jr_id']);
      await (mysql ? q.merge(['jr_id']) : q.ignore());
    }
    const stats = [
      ...page.stats.map((s) => ({
        job_id: job.id,
        page: job.page,
        dim: s.dim,
        key: s.key.slice(0, 100),
        name: s.name.slice(0, 200),
        parent: s.parent.slice(0, 100),
        encounters: s.encounters,
        orders: s.orders,
        fee: Math.round(s.fee * 100) / 100,
      })),
      ...page.unmapped.list().map((u) => ({
        job_id: job.id,
        page: job.page,
        dim: 'unmapped',
        key: u.hosplist_code.slice(0, 100),
        name: (u.hosplist_name ?? '').slice(0, 200),
        parent: '',
        encounters: 0,
        orders: u.count,
        fee: 0,
      })),
    ];
    for (let i = 0; i < stats.length; i += 300) await trx('audit_job_stats').insert(stats.slice(i, i + 300));
  });
}

/** Marks a job finished (done or failed) if this runner still owns it. */
export async function finishJob(db: Knex, id: string, runner: string, state: 'done' | 'failed', recordNow: string, error?: string): Promise<boolean> {
  const patch: Record<string, unknown> = { state, finished_at: recordNow, updated_at: recordNow, runner: null, lease_until: null };
  if (error !== undefined) patch.error = error.slice(0, 4000);
  if (state === 'done') {
    // The stored count is the truth (a finding is unique per job).
    const [{ n }] = await db('audit_findings').where({ job_id: id }).count({ n: '*' });
    patch.findings = Number(n);
  }
  const n = await db('audit_jobs').where({ id, runner, state: 'running' }).update(patch);
  return n > 0;
}

/** Lets go of a job without finishing it (the service is stopping): the next start resumes it. */
export async function releaseJob(db: Knex, id: string, runner: string): Promise<void> {
  await db('audit_jobs').where({ id, runner }).update({ runner: null, lease_until: null });
}

/** Cancels a queued or running job. */
export async function cancelJob(db: Knex, id: string, recordNow: string): Promise<boolean> {
  const n = await db('audit_jobs')
    .where({ id })
    .whereIn('state', ['queued', 'running'])
    .update({ state: 'cancelled', finished_at: recordNow, updated_at: recordNow, runner: null, lease_until: null });
  return n > 0;
}

/** Puts a cancelled or failed job back in the queue; its checkpoint and stored findings stay. */
export async function resumeJob(db: Knex, id: string, recordNow: string): Promise<boolean> {
  const n = await db('audit_jobs')
    .where({ id })
    .whereIn('state', ['cancelled', 'failed'])
    .update({ state: 'queued', finished_at: null, error: null, updated_at: recordNow, runner: null, lease_until: null });
  return n > 0;
}

/** Jobs that should be running but nobody runs (after a restart or a runner's death). */
export async function orphanedJobs(db: Knex): Promise<string[]> {
  const now = realNow();
  const rows = await db('audit_jobs')
    .whereIn('state', ['queued', 'running'])
    .andWhere((q) => {
      void q.whereNull('runner').orWhere('lease_until', '<', now);
    })
    .orderBy('created_at')
    .select('id');
  return rows.map((r: { id: string }) => r.id);
}

/** Filters of the findings list. */
export interface FindingFilters {
  rule_id?: string;
  dept_codg?: string;
  dr_codg?: string;
  sev_deg?: string;
  mdtrt_id?: string;
  hilist_code?: string;
}

const FILTER_KEYS: Array<keyof FindingFilters> = ['rule_id', 'dept_codg', 'dr_codg', 'sev_deg', 'mdtrt_id', 'hilist_code'];

/** One page of a job's findings, in the order they were found. */
export async function listFindings(db: Knex, jobId: string, filters: FindingFilters, limit: number, offset: number): Promise<{ total: number; items: Array<Record<string, unknown>> }> {
  const base = () => {
    let q = db('audit_findings').where('job_id', jobId);
    for (const k of FILTER_KEYS) if (filters[k]) q = q.where(k, filters[k]);
    return q;
  };
  const [{ n }] = await base().count({ n: '*' });
  const rows = await base().orderBy('id').limit(limit).offset(offset);
  const items = rows.map((r: Record<string, unknown>) => {
    const { id: _id, job_id: _job, details, ...rest } = r;
    const detailDtos: unknown = details ? JSON.parse(details as string) : [];
    return { ...rest, vola_amt: Number(rest.vola_amt), judge_result_detail_dtos: detailDtos };
  });
  return { total: Number(n), items };
}

/** Everything a report of a job needs. */
export async function reportInputs(db: Knex, jobId: string): Promise<{ findings: ReportFinding[]; stats: StatRow[]; unmapped: UnmappedCode[] }> {
  const findings = (
    await db('audit_findings')
      .where('job_id', jobId)
      .orderBy('id')
      .select('rule_id', 'rule_name', 'sev_deg', 'mdtrt_id', 'rx_id', 'hilist_code', 'hilist_name', 'hosplist_code', 'dept_codg', 'dept_name', 'dr_codg', 'dr_name', 'vola_amt')
  ).map((r: Record<string, unknown>) => ({ ...r, vola_amt: Number(r.vola_amt) })) as unknown as ReportFinding[];
  const grouped = await db('audit_job_stats')
    .where('job_id', jobId)
    .groupBy('dim', 'key')
    .select('dim', 'key', db.raw('max(name) as name'), db.raw('max(parent) as parent'))
    .sum({ encounters: 'encounters', orders: 'orders', fee: 'fee' });
  const stats: StatRow[] = [];
  const unmapped: UnmappedCode[] = [];
  for (const g of grouped as Array<Record<string, unknown>>) {
    if (g.dim === 'unmapped') {
      const u: UnmappedCode = { hosplist_code: cellText(g.key), count: Number(g.orders) };
      if (g.name) u.hosplist_name = cellText(g.name);
      unmapped.push(u);
    } else {
      stats.push({
        dim: g.dim as StatRow['dim'],
        key: cellText(g.key),
        name: cellText(g.name ?? ''),
        parent: cellText(g.parent ?? ''),
        encounters: Number(g.encounters),
        orders: Number(g.orders),
        fee: Number(g.fee),
      });
    }
  }
  unmapped.sort((a, b) => b.count - a.count || a.hosplist_code.localeCompare(b.hosplist_code));
  return { findings, stats, unmapped };
}
