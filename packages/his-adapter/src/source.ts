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
 * Iterates pages produced by `read(after)` with read-ahead: while the caller works on one page,
 * the next is being read (its patient list first, so the one after can start as soon as that
 * is known). `read` returns null at the end.
 */
export async function* readAhead(read: (after: string | undefined) => Promise<SourcePage | null>, after?: string): AsyncGenerator<SourcePage> {
  let next: Promise<SourcePage | null> | null = read(after);
  try {
    while (next !== null) {
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

/** What the first, quick step of reading a page gives: the keys of the page and the cursor after it. */
export interface PageKeys<K> {
  /** The page's keys (patient ids). */
  keys: K;
  /** Cursor after this page. */
  cursor: string;
}

/**
 * Pages read by a background producer, up to `depth` ahead of the caller: the producer finds
 * the next page's keys (a small query), starts loading that page (the heavy queries), and goes
 * on to the next keys while the caller works, so the database is never idle waiting for the
 * caller. Pages come out in order; memory is bounded by `depth` loaded pages.
 */
export async function* pipelinePages<K>(
  nextKeys: (after: string | undefined) => Promise<PageKeys<K> | null>,
  load: (keys: PageKeys<K>) => Promise<SourcePage>,
  after: string | undefined,
  depth = 2,
): AsyncGenerator<SourcePage> {
  const buffer: Array<Promise<SourcePage>> = [];
  let space: (() => void) | null = null;
  let ready: (() => void) | null = null;
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  const wakeConsumer = () => {
    const r = ready;
    ready = null;
    r?.();
  };
  const producer = (async () => {
    try {
      let cursor = after;
      while (!stopped) {
        if (buffer.length >= depth) {
          await new Promise<void>((r) => {
            space = r;
          });
          continue;
        }
        const keys = await nextKeys(cursor);
        if (!keys || stopped) break;
        cursor = keys.cursor;
        const page = load(keys);
        page.catch(() => undefined);
        buffer.push(page);
        wakeConsumer();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer();
    }
  })();
  try {
    for (;;) {
      if (buffer.length) {
        // Leave the page in the buffer until it has loaded, so at most `depth` pages load at once.
        const loaded = await buffer[0];
        void buffer.shift(); // the page just awaited
        const s = space as (() => void) | null;
        space = null;
        s?.();
        yield loaded;
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (finished) return;
      await new Promise<void>((r) => {
        ready = r;
      });
    }
  } finally {
    stopped = true;
    const s = space as (() => void) | null;
    space = null;
    s?.();
    await producer;
    await Promise.allSettled(buffer);
  }
}
