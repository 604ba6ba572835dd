/**
 * The review queue in the database (`review_items`, `review_events`; migration 0007).
 *
 * How items arrive: findings are written by their own writers (the check store's write-behind
 * queue, the audit jobs' page commits) and copied into `review_items` incrementally by id: each
 * sync reads the findings of each source after the highest finding id already copied (less a
 * look-back window, for rows another transaction committed late with a lower id), in chunks,
 * and inserts them with ON CONFLICT DO NOTHING. A sync costs two `max(id)` look-ups when
 * nothing is new. The queue never joins the finding tables at query time, so its filters and
 * sorts run on one table with indexes made for them.
 *
 * Paging is keyset: ORDER BY the sort columns then id, all in one direction, and the next page
 * starts after the last row's values `(c1, …, id) < (v1, …, id)`: a page deep in a 1M-row queue
 * costs what the first one does.
 */
import type { Knex } from 'knex';
import { dialectOf } from '../platform/storage/connect.js';
import type { ReviewStatus } from './workflow.js';

/** A `review_items` row. */
export interface ItemRow {
  id: number;
  source: 'rt' | 'batch';
  finding_id: number;
  jr_id: string;
  check_id: string | null;
  job_id: string | null;
  phase: string;
  time: string;
  rule_id: string;
  rule_name: string;
  sev_deg: string | null;
  sev_rank: number;
  vola_amt: number;
  hospital: string | null;
  department: string | null;
  department_name: string | null;
  doctor: string | null;
  doctor_name: string | null;
  patient: string | null;
  mdtrt_id: string | null;
  rx_id: string | null;
  hilist_code: string | null;
  hilist_name: string | null;
  status: ReviewStatus;
  deadline: string | null;
  final_decision: string | null;
  explanation: string | null;
  explained_by: string | null;
  explained_at: string | null;
  updated_at: string | null;
  updated_by: string | null;
  version: number;
}

/** A `review_events` row. */
export interface EventRow {
  id: number;
  item_id: number;
  time: string;
  actor: string;
  role: string;
  user_role: string | null;
  action: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  deadline: string | null;
  decision: string | null;
}

/** Server-side filters of the queue (all optional; lists match any of their values). */
export interface QueueFilters {
  /** First local day (yyyy-MM-dd), inclusive. */
  from?: string;
  /** Last local day (yyyy-MM-dd), inclusive. */
  to?: string;
  department?: string[];
  doctor?: string[];
  rule_id?: string[];
  sev_deg?: string[];
  phase?: string[];
  source?: 'rt' | 'batch';
  status?: string[];
  amount_min?: number;
  amount_max?: number;
  job_id?: string;
}

/** Sort keys of the queue. */
export type SortKey = 'time' | 'amount' | 'severity';
export type SortOrder = 'asc' | 'desc';

/** The columns each sort orders by (then id), all in the one direction. */
const SORT_COLUMNS: Readonly<Record<SortKey, readonly string[]>> = {
  time: ['time', 'id'],
  amount: ['vola_amt', 'id'],
  severity: ['sev_rank', 'time', 'id'],
};

/** Where the next page starts: the sort it belongs to and the last row's sort values. */
export interface Cursor {
  sort: SortKey;
  order: SortOrder;
  values: Array<string | number>;
}

/** Opaque cursor text (base64url JSON). */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.values]), 'utf8').toString('base64url');
}

/** Parses a cursor; undefined when it is not one of ours. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3) return undefined;
    const [sort, order, values] = v as [unknown, unknown, unknown];
    if (typeof sort !== 'string' || !(sort in SORT_COLUMNS) || (order !== 'asc' && order !== 'desc') || !Array.isArray(values)) return undefined;
    const cols = SORT_COLUMNS[sort as SortKey];
    if (values.length !== cols.length || !values.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))) return undefined;
    if (typeof values[values.length - 1] !== 'number') return undefined;
    return { sort: sort as SortKey, order, values: values as Array<string | number> };
  } catch {
    return undefined;
  }
}

/** `yyyy-MM-dd` local day → ISO instant of its start (the service's time zone). */
function dayStartIso(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** Applies the filters and the caller's department scope to a query on review_items. */
export function applyFilters(q: Knex.QueryBuilder, f: QueueFilters, scope: readonly string[] | undefined): Knex.QueryBuilder {
  if (scope !== undefined) {
    if (scope.length === 0) q.whereRaw('1 = 0');
    else q.whereIn('department', [...scope]);
  }
  if (f.from) q.where('time', '>=', dayStartIso(f.from));
  if (f.to) q.where('time', '<', dayStartIso(f.to, 1));
  const lists: Array<[keyof QueueFilters, string]> = [
    ['department', 'department'],
    ['doctor', 'doctor'],
    ['rule_id', 'rule_id'],
    ['sev_deg', 'sev_deg'],
    ['phase', 'phase'],
    ['status', 'status'],
  ];
  for (const [key, col] of lists) {
    const v = f[key] as string[] | undefined;
    if (!v || v.length === 0) continue;
    if (v.length === 1) q.where(col, v[0]);
    else q.whereIn(col, v);
  }
  if (f.source) q.where('source', f.source);
  if (f.job_id) q.where('job_id', f.job_id);
  if (f.amount_min !== undefined) q.where('vola_amt', '>=', f.amount_min);
  if (f.amount_max !== undefined) q.where('vola_amt', '<=', f.amount_max);
  return q;
}

/** One page of the queue. */
export async function listItems(
  db: Knex,
  opts: { filters: QueueFilters; scope: readonly string[] | undefined; sort: SortKey; order: SortOrder; limit: number; after?: Cursor; withTotal?: boolean },
): Promise<{ rows: ItemRow[]; next: Cursor | null; total?: number }> {
  const cols = SORT_COLUMNS[opts.sort];
  const q = applyFilters(db<ItemRow>('review_items'), opts.filters, opts.scope);
  if (opts.after) {
    const op = opts.order === 'desc' ? '<' : '>';
    q.whereRaw(`(${cols.map(() => '??').join(', ')}) ${op} (${cols.map(() => '?').join(', ')})`, [...cols, ...opts.after.values]);
  }
  for (const c of cols) q.orderBy(c, opts.order);
  // One more than asked: whether there is a next page, without a count.
  const rows = (await q.limit(opts.limit + 1).select('*')) as ItemRow[];
  const more = rows.length > opts.limit;
  if (more) rows.length = opts.limit;
  const last = rows[rows.length - 1];
  const next = more && last ? { sort: opts.sort, order: opts.order, values: cols.map((c) => sortValue(last, c)) } : null;
  let total: number | undefined;
  if (opts.withTotal) {
    const [{ n }] = await applyFilters(db('review_items'), opts.filters, opts.scope).count({ n: '*' });
    total = Number(n);
  }
  return { rows: rows.map(normalizeRow), next, total };
}

function sortValue(row: ItemRow, col: string): string | number {
  const v = (row as unknown as Record<string, unknown>)[col];
  return typeof v === 'number' ? v : col === 'vola_amt' || col === 'sev_rank' || col === 'id' ? Number(v) : String(v);
}

/** Numbers as numbers whatever the driver returns (PostgreSQL gives some as strings). */
export function normalizeRow(r: ItemRow): ItemRow {
  return { ...r, id: Number(r.id), finding_id: Number(r.finding_id), sev_rank: Number(r.sev_rank), vola_amt: Number(r.vola_amt), version: Number(r.version) };
}

/** One item. */
export async function readItem(db: Knex, id: number): Promise<ItemRow | undefined> {
  const row = (await db<ItemRow>('review_items').where({ id }).first()) as ItemRow | undefined;
  return row ? normalizeRow(row) : undefined;
}

/** An item's history, oldest first. */
export async function itemEvents(db: Knex, itemId: number): Promise<EventRow[]> {
  const rows = (await db<EventRow>('review_events').where({ item_id: itemId }).orderBy('id')) as EventRow[];
  return rows.map((r) => ({ ...r, id: Number(r.id), item_id: Number(r.item_id) }));
}

/** sev_deg → rank (3 明确违规 … 1 轻度可疑, 0 unknown). */
function sevRank(sev: unknown): number {
  return sev === '1' ? 3 : sev === '2' ? 2 : sev === '3' ? 1 : 0;
}

const text = (v: unknown, n: number): string | null => (v === undefined || v === null || v === '' ? null : String(v).slice(0, n));

/** A wall-clock `yyyy-MM-dd[ HH:mm[:ss]]` in the service's time zone → ISO; undefined when it is not one. */
export function wallClockIso(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s.trim());
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A real-time finding (findings joined with its check) → a new item. */
function rtItem(f: Record<string, unknown>): Partial<ItemRow> {
  return {
    source: 'rt',
    finding_id: Number(f.id),
    jr_id: String(f.jr_id).slice(0, 160),
    check_id: text(f.check_id, 40),
    job_id: null,
    phase: '实时',
    time: String(f.time),
    rule_id: String(f.rule_id).slice(0, 64),
    rule_name: String(f.rule_name).slice(0, 200),
    sev_deg: text(f.sev_deg, 2),
    sev_rank: sevRank(f.sev_deg),
    vola_amt: f.vola_amt === null || f.vola_amt === undefined ? 0 : Number(f.vola_amt),
    hospital: text(f.hospital, 64),
    department: text(f.department, 64),
    doctor: text(f.doctor, 64),
    patient: text(f.patient, 64),
    rx_id: text(f.rx_id, 64),
    hilist_code: text(f.hilist_code, 64),
    status: 'pending',
    version: 0,
  };
}

/** A batch finding (audit_findings joined with its job) → a new item. */
function batchItem(f: Record<string, unknown>): Partial<ItemRow> {
  return {
    source: 'batch',
    finding_id: Number(f.id),
    jr_id: String(f.jr_id).slice(0, 160),
    check_id: null,
    job_id: text(f.job_id, 40),
    phase: text(f.phase, 8) ?? '事后',
    time: wallClockIso(f.order_date) ?? String(f.created_at),
    rule_id: String(f.rule_id).slice(0, 64),
    rule_name: String(f.rule_name).slice(0, 200),
    sev_deg: text(f.sev_deg, 2),
    sev_rank: sevRank(f.sev_deg),
    vola_amt: Number(f.vola_amt ?? 0),
    hospital: null,
    department: text(f.dept_codg, 64),
    department_name: text(f.dept_name, 100),
    doctor: text(f.dr_codg, 64),
    doctor_name: text(f.dr_name, 100),
    patient: text(f.patn_id, 64),
    mdtrt_id: text(f.mdtrt_id, 64),
    rx_id: text(f.rx_id, 64),
    hilist_code: text(f.hilist_code, 64),
    hilist_name: text(f.hilist_name, 200),
    status: 'pending',
    version: 0,
  };
}

interface SourceDef {
  source: 'rt' | 'batch';
  table: string;
  read(db: Knex, afterId: number, limit: number): Promise<Array<Record<string, unknown>>>;
  toItem(f: Record<string, unknown>): Partial<ItemRow>;
}

const SOURCES: readonly SourceDef[] = [
  {
    source: 'rt',
    table: 'findings',
    read: (db, afterId, limit) =>
      db('findings as f')
        .leftJoin('checks as c', 'c.check_id', 'f.check_id')
        .where('f.id', '>', afterId)
        .orderBy('f.id')
        .limit(limit)
        .select('f.id', 'f.jr_id', 'f.check_id', 'f.time', 'f.rule_id', 'f.rule_name', 'f.sev_deg', 'f.rx_id', 'f.hilist_code', 'f.vola_amt', 'f.hospital', 'f.department', 'f.doctor', 'c.patient'),
    toItem: rtItem,
  },
  {
    source: 'batch',
    table: 'audit_findings',
    read: (db, afterId, limit) =>
      db('audit_findings as a')
        .join('audit_jobs as j', 'j.id', 'a.job_id')
        .where('a.id', '>', afterId)
        .orderBy('a.id')
        .limit(limit)
        .select(
          'a.id',
          'a.job_id',
          'a.jr_id',
          'a.rule_id',
          'a.rule_name',
          'a.sev_deg',
          'a.vola_amt',
          'a.patn_id',
          'a.mdtrt_id',
          'a.rx_id',
          'a.hilist_code',
          'a.hilist_name',
          'a.dept_codg',
          'a.dept_name',
          'a.dr_codg',
          'a.dr_name',
          'a.order_date',
          'j.phase',
          'j.created_at',
        ),
    toItem: batchItem,
  },
];

/** Options of the copy from the finding tables. */
export interface SyncOptions {
  /** Findings read per query (default 2000). */
  chunk?: number;
  /** Ids re-read below the highest copied one, for rows committed late with a lower id (default 1000). */
  lookBack?: number;
  /** After this long without a look-back pass, one runs even when no new id is seen (ms, default 5000). */
  lookBackEveryMs?: number;
}

/** Copies new findings into review_items (see the file comment); one sync at a time. */
export class ReviewSync {
  private running: Promise<number> | undefined;
  private again = false;
  private readonly seen = new Map<string, number>();
  private lastPass = 0;
  private readonly chunk: number;
  private readonly lookBack: number;
  private readonly lookBackEveryMs: number;

  constructor(
    private readonly db: Knex,
    opts: SyncOptions = {},
  ) {
    this.chunk = opts.chunk ?? 2000;
    this.lookBack = opts.lookBack ?? 1000;
    this.lookBackEveryMs = opts.lookBackEveryMs ?? 5000;
  }

  /** Brings review_items up to date with the finding tables; resolves with the findings beyond those copied before (rows added). */
  sync(): Promise<number> {
    if (this.running) {
      // A sync is under way: it may have read before the caller's findings were committed; run once more after it.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let added = 0;
      try {
        do {
          this.again = false;
          added += await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
      return added;
    })();
    return this.running;
  }

  private async pass(): Promise<number> {
    const maxes = await Promise.all(SOURCES.map(async (s) => Number((await this.db(s.table).max({ m: 'id' }).first())?.m ?? 0)));
    const due = Date.now() - this.lastPass >= this.lookBackEveryMs;
    if (!due && SOURCES.every((s, i) => this.seen.get(s.source) === maxes[i])) return 0;
    this.lastPass = Date.now();
    let added = 0;
    for (const [i, s] of SOURCES.entries()) {
      const copied = Number((await this.db('review_items').where('source', s.source).max({ m: 'finding_id' }).first())?.m ?? 0);
      let after = Math.max(0, copied - this.lookBack);
      for (;;) {
        const rows = await s.read(this.db, after, this.chunk);
        if (rows.length === 0) break;
        await insertItems(this.db, rows.map(s.toItem));
        for (const r of rows) if (Number(r.id) > copied) added++;
        after = Number(rows[rows.length - 1].id);
        if (rows.length < this.chunk) break;
      }
      this.seen.set(s.source, maxes[i]);
    }
    return added;
  }
}

/** Inserts items, skipping those already copied. */
async function insertItems(db: Knex, items: Array<Partial<ItemRow>>): Promise<void> {
  if (items.length === 0) return;
  const mysql = dialectOf(db) === 'mysql';
  await db.transaction(async (trx) => {
    for (let i = 0; i < items.length; i += 500) {
      const q = trx('review_items')
        .insert(items.slice(i, i + 500))
        .onConflict(['source', 'finding_id']);
      await (mysql ? q.merge(['finding_id']) : q.ignore());
    }
  });
}
