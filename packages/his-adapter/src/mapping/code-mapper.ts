/**
 * Code mapping (对照): hospitals bill under their own item codes (hosplist_code); the rules
 * match national catalogue codes (hilist_code). A mapper answers "which national code is this
 * hospital code", cached with lru-cache (unmapped answers too, so a missing code costs one
 * query, not one per order). `fillNationalCodes` fills the national code wherever it is missing
 * and counts what could not be mapped: such orders are reported, never silently dropped.
 */
import { LRUCache } from 'lru-cache';
import type { CheckData, OrderDto } from '@preaudit/core-rules';

/** What a hospital code maps to. */
export interface CodeMapping {
  /** National catalogue code. */
  hilist_code: string;
  /** National catalogue name, when the mapping table has it. */
  hilist_name?: string;
}

/** Answers 对照 lookups. */
export interface CodeMapper {
  /** Maps each hospital code to its national code, or null when the hospital has no mapping for it. */
  lookup(codes: readonly string[]): Promise<Map<string, CodeMapping | null>>;
}

/** Fetches mappings for codes not in the cache; codes absent from the answer are unmapped. */
export type CodeLoader = (codes: string[]) => Promise<Map<string, CodeMapping>>;

const NONE = Symbol('unmapped');

/** A mapper over any loader, with an LRU cache in front (negative answers cached as well). */
export class CachedCodeMapper implements CodeMapper {
  private readonly cache: LRUCache<string, CodeMapping | typeof NONE>;
  /** Loader calls made (for tests and metrics). */
  loads = 0;

  constructor(
    private readonly loader: CodeLoader,
    maxEntries = 50_000,
  ) {
    this.cache = new LRUCache({ max: maxEntries });
  }

  /** @inheritdoc */
  async lookup(codes: readonly string[]): Promise<Map<string, CodeMapping | null>> {
    const out = new Map<string, CodeMapping | null>();
    const missing: string[] = [];
    for (const code of codes) {
      if (out.has(code)) continue;
      const hit = this.cache.get(code);
      if (hit === undefined) {
        missing.push(code);
        out.set(code, null);
      } else out.set(code, hit === NONE ? null : hit);
    }
    if (missing.length) {
      this.loads++;
      const found = await this.loader(missing);
      for (const code of missing) {
        const m = found.get(code);
        this.cache.set(code, m ?? NONE);
        out.set(code, m ?? null);
      }
    }
    return out;
  }
}

/** A mapper over a fixed table (a CSV export of the 对照 table, tests, the SOAP path). */
export function staticCodeMapper(entries: Iterable<readonly [string, string | CodeMapping]>): CodeMapper {
  const table = new Map<string, CodeMapping>();
  for (const [code, m] of entries) table.set(code, typeof m === 'string' ? { hilist_code: m } : m);
  return {
    async lookup(codes) {
      return new Map(codes.map((c) => [c, table.get(c) ?? null]));
    },
  };
}

/** An unmapped hospital code and how often it occurred. */
export interface UnmappedCode {
  /** The hospital code ('' when the order carried neither code). */
  hosplist_code: string;
  /** The hospital's name for it (first seen). */
  hosplist_name?: string;
  /** Orders carrying it. */
  count: number;
}

/** Counts unmapped codes across many requests (a whole job). */
export class UnmappedTally {
  private readonly codes = new Map<string, UnmappedCode>();
  /** Orders that could not be given a national code. */
  orders = 0;

  /** Records one order that could not be mapped. */
  add(code: string, name?: string, count = 1): void {
    this.orders += count;
    const entry = this.codes.get(code);
    if (entry) {
      entry.count += count;
      if (!entry.hosplist_name && name) entry.hosplist_name = name;
    } else this.codes.set(code, name ? { hosplist_code: code, hosplist_name: name, count } : { hosplist_code: code, count });
  }

  /** Adds another tally into this one. */
  merge(other: UnmappedTally): void {
    for (const e of other.list()) this.add(e.hosplist_code, e.hosplist_name, e.count);
  }

  /** Unmapped codes, most frequent first. */
  list(): UnmappedCode[] {
    return [...this.codes.values()].sort((a, b) => b.count - a.count || a.hosplist_code.localeCompare(b.hosplist_code));
  }

  /** Number of distinct unmapped codes. */
  get size(): number {
    return this.codes.size;
  }
}

/** What one call of fillNationalCodes did. */
export interface FillResult {
  /** Orders looked at. */
  orders: number;
  /** Orders given a national code from the mapping. */
  filled: number;
  /** Orders left without a national code (also added to the tally). */
  unmapped: number;
  /** The tally (the one passed in, or a new one). */
  tally: UnmappedTally;
}

/**
 * Fills `hilist_code` (and `hilist_name` when absent) from `hosplist_code` on every order that
 * lacks a national code, in place. One lookup per call, for all missing codes at once: the
 * batch path passes a whole page, the real-time path one request. Orders that stay without a
 * national code are counted in the tally by hospital code; they are still audited (rules that
 * need no code still apply) and the report lists them.
 */
export async function fillNationalCodes(data: CheckData | readonly CheckData[], mapper: CodeMapper, tally: UnmappedTally = new UnmappedTally()): Promise<FillResult> {
  const requests = Array.isArray(data) ? (data as readonly CheckData[]) : [data as CheckData];
  const pending: OrderDto[] = [];
  const codes = new Set<string>();
  let orders = 0;
  let unmapped = 0;
  for (const req of requests) {
    for (const p of req.patient_dtos ?? []) {
      for (const e of p.fsi_encounter_dtos ?? []) {
        const list = e.fsi_order_dtos;
        if (!list) continue;
        orders += list.length;
        for (const o of list) {
          if (o.hilist_code) continue;
          if (o.hosplist_code) {
            pending.push(o);
            codes.add(o.hosplist_code);
          } else {
            tally.add('', o.hosplist_name);
            unmapped++;
          }
        }
      }
    }
  }
  let filled = 0;
  if (pending.length) {
    const found = await mapper.lookup([...codes]);
    for (const o of pending) {
      const m = found.get(o.hosplist_code!);
      if (m) {
        o.hilist_code = m.hilist_code;
        if (!o.hilist_name && m.hilist_name) o.hilist_name = m.hilist_name;
        filled++;
      } else {
        tally.add(o.hosplist_code!, o.hosplist_name);
        unmapped++;
      }
    }
  }
  return { orders, filled, unmapped, tally };
}
