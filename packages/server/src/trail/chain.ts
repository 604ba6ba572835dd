/**
 * The trail's hash chain: each row's hash = sha256(previous hash + canonical row), so
 * altering a row breaks its own hash and deleting one breaks the link of the next.
 */
import { createHash } from 'node:crypto';

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** One trail row as stored (table `audit_log`, its name since the first migration). */
export interface TrailRow {
  /** Sequence number, 1, 2, 3 … without gaps. */
  seq: number;
  /** ISO-8601 UTC. */
  time: string;
  /** Who: the API key's label, or `anonymous` without keys. */
  actor: string;
  /** The caller's role (`none` without keys). */
  role: string;
  /** Route pattern, e.g. `/nhsa/3101`. */
  route: string;
  /** What was done, e.g. `check.3101`. */
  action: string;
  /** The caller's reference: msgid / task_id / hookInstance. */
  ref: string | null;
  /** `ok` or the stable error code. */
  outcome: string;
  /** Extra facts as a JSON string (never patient names or full ids). */
  detail: string | null;
  /** Hash of the previous row. */
  prev_hash: string;
  /** This row's hash. */
  hash: string;
}

/** NUL, and halves of UTF-16 surrogate pairs without their other half. */
// eslint-disable-next-line no-control-regex -- NUL is what this must find (PostgreSQL refuses it in text)
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A text field as every engine stores and returns it: NUL (refused by PostgreSQL) and lone
 * surrogates (no UTF-8 form: SQLite stores U+FFFD, PostgreSQL refuses) become U+FFFD. The chain
 * hashes this, so the hash is over exactly what the database gives back and verifies for ever.
 */
export function storableText(s: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE, '\uFFFD') : s;
}

/** The fields that are hashed, in a fixed order. */
export type AuditFields = Omit<TrailRow, 'prev_hash' | 'hash'>;

/** Canonical text of a row: a JSON array in fixed field order (no key-order ambiguity). */
export function canonicalRow(row: AuditFields): string {
  return JSON.stringify([row.seq, row.time, row.actor, row.role, row.route, row.action, row.ref ?? null, row.outcome, row.detail ?? null]);
}

/** sha256(prevHash + canonical row), hex. */
export function rowHash(prevHash: string, row: AuditFields): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(row)).digest('hex');
}

/** A break in the chain. */
export interface ChainProblem {
  /** Sequence number where it shows. */
  seq: number;
  /** `altered` (hash mismatch), `deleted` (gap or broken link), `truncated` (rows missing at the end). */
  kind: 'altered' | 'deleted' | 'truncated';
  /** In words. */
  message: string;
}

/**
 * Walks rows in sequence order and reports every break. Feed it rows in pages: pass the state
 * it returns into the next call.
 */
export interface ChainState {
  /** Hash of the last row seen. */
  lastHash: string;
  /** Sequence number of the last row seen (0 before the first). */
  lastSeq: number;
  /** Rows checked. */
  rows: number;
}

/** Starting state. */
export function initialChainState(): ChainState {
  return { lastHash: GENESIS_HASH, lastSeq: 0, rows: 0 };
}

/** Checks a page of rows (ascending seq), appending to `problems`; returns the state after it. */
export function verifyRows(rows: readonly TrailRow[], state: ChainState, problems: ChainProblem[]): ChainState {
  let { lastHash, lastSeq, rows: count } = state;
  for (const raw of rows) {
    const row = { ...raw, seq: Number(raw.seq) };
    if (row.seq !== lastSeq + 1) {
      problems.push({ seq: row.seq, kind: 'deleted', message: `rows ${lastSeq + 1}..${row.seq - 1} are missing` });
    } else if (row.prev_hash !== lastHash) {
      problems.push({ seq: row.seq, kind: 'deleted', message: 'link to the previous row is broken' });
    }
    const expected = rowHash(row.prev_hash, row);
    if (expected !== row.hash) {
      problems.push({ seq: row.seq, kind: 'altered', message: 'content does not match its hash' });
    }
    lastHash = row.hash;
    lastSeq = row.seq;
    count++;
  }
  return { lastHash, lastSeq, rows: count };
}

/** Compares the end of the walk with the stored head (last seq and hash written). */
export function verifyHead(state: ChainState, head: { seq: number | string; hash: string } | undefined, problems: ChainProblem[]): void {
  if (!head) {
    if (state.rows > 0) problems.push({ seq: state.lastSeq, kind: 'altered', message: 'the log head record is missing' });
    return;
  }
  const headSeq = Number(head.seq);
  if (headSeq > state.lastSeq) {
    problems.push({ seq: state.lastSeq + 1, kind: 'truncated', message: `rows ${state.lastSeq + 1}..${headSeq} are missing at the end` });
  } else if (headSeq === state.lastSeq && head.hash !== state.lastHash) {
    problems.push({ seq: headSeq, kind: 'altered', message: 'the last row does not match the log head' });
  }
}
