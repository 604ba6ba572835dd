/**
 * Verifies the trail stored in a database, page by page (the log can be large).
 */
import type { Knex } from 'knex';
import { type TrailRow, type ChainProblem, initialChainState, verifyHead, verifyRows } from './chain.js';

/** What `verifyTrail` found. */
export interface TrailVerification {
  /** true when no problem was found. */
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** Last sequence number and hash (record them elsewhere to anchor the chain). */
  head: { seq: number; hash: string };
  /** Every break found. */
  problems: ChainProblem[];
}

/**
 * Reads `audit_log` in sequence order and checks every link, then the stored head, then an
 * anchor recorded outside the database (the service's anchor file, or a head printed by an
 * earlier verify): rows deleted from the end together with the head row still show against it.
 */
export async function verifyTrail(db: Knex, pageSize = 5000, anchor?: { seq: number; hash: string }): Promise<TrailVerification> {
  const problems: ChainProblem[] = [];
  let state = initialChainState();
  let after = -1;
  let anchoredHash: string | undefined;
  for (;;) {
    const page = (await db('audit_log').where('seq', '>', after).orderBy('seq').limit(pageSize)) as TrailRow[];
    if (page.length === 0) break;
    state = verifyRows(page, state, problems);
    if (anchor) for (const row of page) if (Number(row.seq) === anchor.seq) anchoredHash = row.hash;
    after = Number(page[page.length - 1].seq);
  }
  // seq is a bigint column: a string on PostgreSQL.
  const head = (await db('audit_head').where({ id: 1 }).first()) as { seq: number | string; hash: string } | undefined;
  verifyHead(state, head, problems);
  if (anchor && anchor.seq > state.lastSeq && !problems.some((p) => p.kind === 'truncated')) {
    problems.push({ seq: state.lastSeq + 1, kind: 'truncated', message: `rows ${state.lastSeq + 1}..${anchor.seq} are missing at the end (anchor)` });
  } else if (anchor && anchoredHash !== undefined && anchoredHash !== anchor.hash) {
    problems.push({ seq: anchor.seq, kind: 'altered', message: 'the row does not match the anchored head' });
  }
  return { ok: problems.length === 0, rows: state.rows, head: { seq: state.lastSeq, hash: state.lastHash }, problems };
}
