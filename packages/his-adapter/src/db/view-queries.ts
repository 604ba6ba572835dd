/**
 * The SQL a source runs, built but not run: every query here is a knex builder, so each
 * dialect's SQL is compiled and checked in unit tests without its database.
 *
 * Reading is keyset-paged by patient: a page of patient ids, their encounters in scope, then
 * the children of those encounters. A patient's encounters never straddle two pages, so the
 * window rules see all of a patient's orders in the period at once.
 */
import type { Knex } from 'knex';
import type { Dialect } from './dialects/dialect.js';
import type { ResolvedView, ResolvedViews } from './view-columns.js';
import type { ViewKey } from '../contract/view-contract.js';

/** Which encounters a read covers. */
export interface ReadScope {
  /** Encounter column the period applies to (事后: dscg_date, 事中: adm_date). */
  dateColumn?: 'dscg_date' | 'adm_date';
  /** First day (yyyy-MM-dd, inclusive). */
  from?: string;
  /** Last day (yyyy-MM-dd inclusive, or a date-time, inclusive). */
  to?: string;
  /** Only encounters changed after this time (exclusive): the 事中 watermark. */
  changedAfter?: string;
  /** … and up to this time (inclusive), fixed when the run starts so a run has an end. */
  changedUpTo?: string;
  /** Only these encounters (the real-time path, re-audits). */
  mdtrtIds?: string[];
}

/** The day after a `yyyy-MM-dd` date, as text. */
export function nextDay(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return t.toISOString().slice(0, 10);
}

/** Builds the queries of one source. */
export class ViewQueries {
  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
    private readonly views: ResolvedViews,
  ) {}

  private view(key: ViewKey): ResolvedView {
    const v = this.views[key];
    if (!v) throw new Error(`the source has no ${key} view`);
    return v;
  }

  /** Whether the source has a view. */
  has(key: ViewKey): boolean {
    return !!this.views[key];
  }

  private from(v: ResolvedView): Knex.QueryBuilder {
    return v.schema ? this.knex.withSchema(v.schema).from(v.name) : this.knex.from(v.name);
  }

  private col(v: ResolvedView, national: string, what: string): string {
    const c = v.byNational[national];
    if (!c) throw new Error(`the ${what} view has no ${national} column (map it in the mapping file)`);
    return c;
  }

  /** Applies the scope to a query over the encounter view. */
  private scoped(q: Knex.QueryBuilder, scope: ReadScope): Knex.QueryBuilder {
    const v = this.view('encounters');
    if (scope.from || scope.to) {
      const c = this.col(v, scope.dateColumn ?? 'dscg_date', 'encounters');
      if (scope.from) q = q.where(c, '>=', this.dialect.dateParam(scope.from));
      if (scope.to) {
        q = scope.to.length <= 10 ? q.where(c, '<', this.dialect.dateParam(nextDay(scope.to))) : q.where(c, '<=', this.dialect.dateParam(scope.to));
      }
    }
    if (scope.changedAfter || scope.changedUpTo) {
      const c = this.col(v, 'updt_time', 'encounters (change timestamp)');
      if (scope.changedAfter) q = q.where(c, '>', this.dialect.dateParam(scope.changedAfter));
      if (scope.changedUpTo) q = q.where(c, '<=', this.dialect.dateParam(scope.changedUpTo));
    }
    if (scope.mdtrtIds) q = q.whereIn(this.col(v, 'mdtrt_id', 'encounters'), scope.mdtrtIds);
    return q;
  }

  /** Number of encounters in scope (the job's total). */
  countEncounters(scope: ReadScope): Knex.QueryBuilder {
    return this.scoped(this.from(this.view('encounters')), scope).count({ n: '*' });
  }

  /** Latest change timestamp in scope: where the next incremental run starts. */
  maxChangeTime(scope: ReadScope): Knex.QueryBuilder {
    const v = this.view('encounters');
    return this.scoped(this.from(v), scope).max({ t: this.col(v, 'updt_time', 'encounters (change timestamp)') });
  }

  /** The next `limit` patient ids in scope after `after` (keyset, in the database's order), with their encounter counts. */
  patientPage(scope: ReadScope, after: string | undefined, limit: number): Knex.QueryBuilder {
    const v = this.view('encounters');
    const patn = this.col(v, 'patn_id', 'encounters');
    let q = this.scoped(this.from(v), scope).select({ patn_id: patn }).count({ n: '*' });
    if (after !== undefined) q = q.where(patn, '>', after);
    return q.groupBy(patn).orderBy(patn).limit(limit);
  }

  /** The encounters in scope of these patients, ordered by patient then encounter. */
  encountersOf(scope: ReadScope, patnIds: string[]): Knex.QueryBuilder {
    const v = this.view('encounters');
    const patn = this.col(v, 'patn_id', 'encounters');
    return this.scoped(this.from(v), scope)
      .select(Object.fromEntries(v.columns.map((c) => [c.national, c.column])))
      .whereIn(patn, patnIds)
      .orderBy([{ column: patn }, { column: this.col(v, 'mdtrt_id', 'encounters') }]);
  }

  /** Rows of a child view (diagnoses, orders, operations) for these encounters, in a stable order. */
  childrenOf(key: 'diagnoses' | 'orders' | 'operations', mdtrtIds: string[]): Knex.QueryBuilder {
    const v = this.view(key);
    const mdtrt = this.col(v, 'mdtrt_id', key);
    const order: Array<{ column: string }> = [{ column: mdtrt }];
    const second = key === 'orders' ? 'rx_id' : key === 'diagnoses' ? 'dias_srt_no' : 'setl_list_oprn_id';
    if (v.byNational[second]) order.push({ column: v.byNational[second] });
    return this.from(v)
      .select(Object.fromEntries(v.columns.map((c) => [c.national, c.column])))
      .whereIn(mdtrt, mdtrtIds)
      .orderBy(order);
  }

  /** 对照 rows for these hospital codes. */
  codeMap(hosplistCodes: string[]): Knex.QueryBuilder {
    const v = this.view('code_map');
    return this.from(v)
      .select(Object.fromEntries(v.columns.map((c) => [c.national, c.column])))
      .whereIn(this.col(v, 'hosplist_code', 'code_map'), hosplistCodes);
  }

  /** Splits an id list so no IN list exceeds what the database accepts. */
  chunks<T>(ids: T[]): T[][] {
    const size = this.dialect.maxInList;
    const out: T[][] = [];
    for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
    return out;
  }
}
