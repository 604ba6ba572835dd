/**
 * Verifies the audit log stored in a database, page by page (the log can be large).
 */
import type { Knex } from 'knex';
import { type AuditRow, type ChainProblem, initialChainState, verifyHead, verifyRows } from './chain.js';

/** What `verifyAuditLog` found. */
export interface AuditVerification {
  /** true when no problem was found. */
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** Last sequence number and hash (record them elsewhere to anchor the chain). */
  head: { seq: number; hash: string };
  /** Every break found. */
  problems: ChainProblem[];
}

/** Reads `audit_log` in sequence order and checks every link, then the stored head. */
export async function verifyAuditLog(db: Knex, pageSize = 5000): Promise<AuditVerification> {
  const problems: ChainProblem[] = [];
  let state = initialChainState();
  let after = -1;
  for (;;) {
    const page: AuditRow[] = await db('audit_log').where('seq', '>', after).orderBy('seq').limit(pageSize);
    if (page.length === 0) break;
    state = verifyRows(page, state, problems);
    after = Number(page[page.length - 1].seq);
  }
  const head = await db('audit_head').where({ id: 1 }).first();
  verifyHead(state, head, problems);
  return { ok: problems.length === 0, rows: state.rows, head: { seq: state.lastSeq, hash: state.lastHash }, problems };
}
