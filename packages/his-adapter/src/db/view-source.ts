/**
 * A source over database views: opens the connection, checks the mapping against the views'
 * real columns (every problem reported at once, column by column), then reads pages.
 */
import type { Knex } from 'knex';
import { VIEW_KEYS } from '../contract/view-contract.js';
import type { DbSourceConfig } from '../config/source-config.js';
import { SourceConfigError } from '../config/load-source-config.js';
import { createAssembler, type Assembler, type PageRows } from '../mapping/assemble.js';
import { CachedCodeMapper, type CodeMapper, type CodeMapping } from '../mapping/code-mapper.js';
import { formatLocal, normalizeDateText } from '../mapping/row-values.js';
import { pipelinePages, type AuditSource, type PageKeys, type PageOptions, type SourcePage } from '../source.js';
import { connect, type Connection } from './connect.js';
import { asRows, cellText, type DbRow } from './db-rows.js';
import type { Dialect } from './dialects/dialect.js';
import { resolveViews, viewLocation, type ActualColumns, type ResolvedViews } from './view-columns.js';
import { ViewQueries, type ReadScope } from './view-queries.js';

async function actualColumns(knex: Knex, config: DbSourceConfig, dialect: Dialect): Promise<ActualColumns> {
  const out: ActualColumns = {};
  for (const key of VIEW_KEYS) {
    const loc = viewLocation(config, key, dialect.supportsSchema);
    if (!loc) continue;
    // A missing view lists no columns; an error here is the connection (or a permission), and
    // propagates as such rather than as a mapping problem.
    if (dialect.listColumns) out[key] = await dialect.listColumns(knex, loc.name, loc.schema);
    else {
      const q = loc.schema ? knex.withSchema(loc.schema).table(loc.name) : knex.table(loc.name);
      out[key] = Object.keys(await q.columnInfo());
    }
  }
  return out;
}

/** Reads the national model from database views. */
export class DbSource implements AuditSource {
  readonly kind = 'database' as const;
  readonly name: string;
  readonly codeMapper?: CodeMapper;
  /** The queries (exposed for compile tests and diagnostics). */
  readonly queries: ViewQueries;
  private readonly assemble: Assembler;

  private constructor(
    private readonly conn: Connection,
    readonly config: DbSourceConfig,
    /** The resolved views. */
    readonly views: ResolvedViews,
  ) {
    this.name = config.name;
    this.queries = new ViewQueries(conn.knex, conn.dialect, views);
    this.assemble = createAssembler({
      encounters: views.encounters?.columns ?? [],
      diagnoses: views.diagnoses?.columns ?? [],
      orders: views.orders?.columns ?? [],
      operations: views.operations?.columns ?? [],
    });
    if (views.code_map) {
      this.codeMapper = new CachedCodeMapper((codes) => this.loadCodes(codes), config.code_cache_size);
    }
  }

  /**
   * Connects and validates the mapping against the views. Throws SourceConfigError listing
   * every column that is mapped to nothing or required and missing.
   */
  static async open(config: DbSourceConfig): Promise<DbSource> {
    const conn = await connect(config);
    try {
      const actual = await actualColumns(conn.knex, config, conn.dialect);
      const { views, problems } = resolveViews(config, actual, conn.dialect.supportsSchema);
      if (problems.length) throw new SourceConfigError(problems, `source ${config.name} (${conn.dialect.label})`);
      return new DbSource(conn, config, views);
    } catch (err) {
      await conn.knex.destroy();
      throw err;
    }
  }

  /** The underlying knex (for callers that share the connection, e.g. the generator's tests). */
  get knex(): Knex {
    return this.conn.knex;
  }

  /** Whether the encounter view has the change timestamp needed for incremental reads. */
  get hasChangeTime(): boolean {
    return !!this.views.encounters?.byNational.updt_time;
  }

  /** @inheritdoc */
  async count(scope: ReadScope): Promise<number> {
    const [row] = asRows(await this.queries.countEncounters(scope), 'count of encounters');
    return Number(row.n);
  }

  /** @inheritdoc */
  async maxChangeTime(scope: ReadScope): Promise<string | null> {
    const [row] = asRows(await this.queries.maxChangeTime(scope), 'latest change time');
    const t = (row as DbRow | undefined)?.t;
    if (t === null || t === undefined) return null;
    return t instanceof Date ? formatLocal(t) : normalizeDateText(cellText(t));
  }

  private async inChunks(key: 'diagnoses' | 'orders' | 'operations', ids: string[]): Promise<Record<string, unknown>[]> {
    if (!this.queries.has(key) || ids.length === 0) return [];
    const parts = await Promise.all(this.queries.chunks(ids).map(async (c) => asRows(await this.queries.childrenOf(key, c), key)));
    return parts.length === 1 ? parts[0] : parts.flat();
  }

  /** The next page's patients (whole patients, at most `maxEncounters` encounters) and the cursor after them. */
  async nextPatients(scope: ReadScope, after: string | undefined, pageSize: number, maxEncounters = this.config.page_encounters): Promise<PageKeys<string[]> | null> {
    const candidates = asRows(await this.queries.patientPage(scope, after, pageSize), 'patient page');
    if (candidates.length === 0) return null;
    // Whole patients only, and no more encounters than the cap (one patient always fits).
    const ids: string[] = [];
    let count = 0;
    for (const c of candidates) {
      const n = Number(c.n);
      if (ids.length > 0 && count + n > maxEncounters) break;
      ids.push(c.patn_id as string);
      count += n;
    }
    return { keys: ids, cursor: String(ids[ids.length - 1]) };
  }

  /** Loads the page of these patients: their encounters in scope, the encounters' children. */
  async loadPatients(scope: ReadScope, page: PageKeys<string[]>): Promise<SourcePage> {
    const encounters: Record<string, unknown>[] = (
      await Promise.all(this.queries.chunks(page.keys).map(async (c) => asRows(await this.queries.encountersOf(scope, c), 'encounters')))
    ).flat();
    const mdtrtIds = encounters.map((e) => e.mdtrt_id as string);
    const [diagnoses, orders, operations] = await Promise.all([this.inChunks('diagnoses', mdtrtIds), this.inChunks('orders', mdtrtIds), this.inChunks('operations', mdtrtIds)]);
    const rows: PageRows = { encounters, diagnoses, orders, operations };
    return { requests: this.assemble(rows), encounters: encounters.length, orders: orders.length, cursor: page.cursor };
  }

  /** Reads one page: patients after `after`, their encounters in scope, the encounters' children. */
  async readPage(scope: ReadScope, after: string | undefined, pageSize: number, maxEncounters = this.config.page_encounters): Promise<SourcePage | null> {
    const keys = await this.nextPatients(scope, after, pageSize, maxEncounters);
    return keys ? this.loadPatients(scope, keys) : null;
  }

  /** @inheritdoc */
  pages(scope: ReadScope, options: PageOptions = {}): AsyncIterable<SourcePage> {
    const size = options.pageSize ?? this.config.page_size;
    return pipelinePages(
      (after) => this.nextPatients(scope, after, size),
      (keys) => this.loadPatients(scope, keys),
      options.after,
      2,
    );
  }

  private async loadCodes(codes: string[]): Promise<Map<string, CodeMapping>> {
    const out = new Map<string, CodeMapping>();
    for (const chunk of this.queries.chunks(codes)) {
      const rows = asRows(await this.queries.codeMap(chunk), 'code map');
      for (const r of rows) {
        const hil = r.hilist_code == null ? '' : cellText(r.hilist_code).trim();
        if (!hil) continue;
        const m: CodeMapping = { hilist_code: hil };
        const name = r.hilist_name == null ? '' : cellText(r.hilist_name).trim();
        if (name) m.hilist_name = name;
        out.set(cellText(r.hosplist_code).trimEnd(), m);
      }
    }
    return out;
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    await this.conn.knex.destroy();
  }
}
