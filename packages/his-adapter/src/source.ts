/**
 * A source of HIS data for audits: database views or a web service. Both hand out the same
 * thing: pages of national requests, one request per patient, resumable after a cursor.
 */
import type { CheckData } from '@preaudit/core-rules';
import type { CodeMapper } from './mapping/code-mapper.js';
import type { ReadScope } from './db/view-queries.js';

export type { ReadScope } from './db/view-queries.js';

/** One page of a read. */
export interface SourcePage {
  /** One request per patient, holding that patient's encounters of the page. */
  requests: CheckData[];
  /** Encounters in the page. */
  encounters: number;
  /** Order lines in the page. */
  orders: number;
  /** Resume point: pass it as `after` to continue with the next page. */
  cursor: string;
}

/** Options of `pages`. */
export interface PageOptions {
  /** Start after this cursor (a checkpoint). */
  after?: string;
  /** Patients (database) or records (web service) per page. */
  pageSize?: number;
}

/** Where audit data comes from. */
export interface AuditSource {
  /** The source's name (from the mapping file). */
  readonly name: string;
  /** database or soap. */
  readonly kind: 'database' | 'soap';
  /** Encounters in scope (a job's total), or null when the source cannot tell in advance. */
  count(scope: ReadScope): Promise<number | null>;
  /** Latest change timestamp in scope (where the next incremental run starts), or null. */
  maxChangeTime(scope: ReadScope): Promise<string | null>;
  /** Pages in a stable order; the next page is read while the caller works on the current one. */
  pages(scope: ReadScope, options?: PageOptions): AsyncIterable<SourcePage>;
  /** The source's 对照, when it has one. */
  readonly codeMapper?: CodeMapper;
  /** Releases connections. */
  close(): Promise<void>;
}

/**
 * Iterates pages produced by `read(after)` with one page of read-ahead, so reading the next
 * page overlaps with auditing the current one. `read` returns null at the end.
 */
export async function* readAhead(read: (after: string | undefined) => Promise<SourcePage | null>, after?: string): AsyncGenerator<SourcePage> {
  let next: Promise<SourcePage | null> | null = read(after);
  try {
    while (next) {
      const page: SourcePage | null = await next;
      next = null;
      if (!page) return;
      next = read(page.cursor);
      // Never leave a rejected read-ahead unobserved if the caller stops early.
      next.catch(() => undefined);
      yield page;
    }
  } finally {
    if (next) await next.catch(() => undefined);
  }
}
