/**
 * A batch audit as a stream of page results: read a page, fill national codes (对照), judge
 * every request, gather figures. The caller stores each page result (the service in one
 * transaction with its checkpoint; the CLI in memory), so the same loop serves both.
 */
import type { Phase, RuleErrorEntry } from '@preaudit/core-rules';
import { fillNationalCodes, UnmappedTally, type CodeMapper } from '../mapping/code-mapper.js';
import type { AuditSource, ReadScope } from '../source.js';
import { judgeRequest, type Finding, type RulebookSet } from './judge.js';
import { StatsCollector, type StatRow } from './stats.js';

/** What a batch audit runs over. */
export interface AuditPagesOptions {
  /** Where the data comes from. */
  source: AuditSource;
  /** Rulebooks to judge by. */
  rulebooks: RulebookSet;
  /** 事中 or 事后. */
  phase: Phase;
  /** Which encounters. */
  scope: ReadScope;
  /** trig_scen to run (e.g. ["9"] 住院预结算); omitted = the phase decides. */
  scenes?: string[];
  /** Resume after this cursor (the last stored checkpoint). */
  after?: string;
  /** Page size (patients for database sources). */
  pageSize?: number;
  /** jr_id prefix, unique per job. */
  idPrefix: string;
  /** 对照; defaults to the source's own. */
  codeMapper?: CodeMapper;
}

/** Everything one page produced. */
export interface PageResult {
  /** Checkpoint after this page. */
  cursor: string;
  /** Encounters judged. */
  encounters: number;
  /** Order lines judged. */
  orders: number;
  /** Findings. */
  findings: Finding[];
  /** Volume figures of the page. */
  stats: StatRow[];
  /** Hospital codes the page could not map to national codes. */
  unmapped: UnmappedTally;
  /** Rule failures (the other rules still ran). */
  errors: RuleErrorEntry[];
}

/** Runs the audit page by page; each yielded page is complete and independent of the others. */
export async function* auditPages(options: AuditPagesOptions): AsyncGenerator<PageResult> {
  const mapper = options.codeMapper ?? options.source.codeMapper;
  for await (const page of options.source.pages(options.scope, { after: options.after, pageSize: options.pageSize })) {
    const unmapped = new UnmappedTally();
    if (mapper) await fillNationalCodes(page.requests, mapper, unmapped);
    else {
      // Without 对照, orders lacking a national code are still counted as unmapped.
      for (const req of page.requests) {
        for (const p of req.patient_dtos)
          for (const e of p.fsi_encounter_dtos ?? [])
            for (const o of e.fsi_order_dtos ?? []) {
              if (!o.hilist_code) unmapped.add(o.hosplist_code ?? '', o.hosplist_name);
            }
      }
    }
    const findings: Finding[] = [];
    const errors: RuleErrorEntry[] = [];
    for (const req of page.requests) {
      const first = req.patient_dtos[0]?.fsi_encounter_dtos?.[0]?.mdtrt_id ?? req.patient_dtos[0]?.patn_id ?? '';
      const out = judgeRequest(options.rulebooks, req, {
        phase: options.phase,
        scenes: options.scenes,
        idPrefix: `${options.idPrefix}${first}-`,
      });
      for (const f of out.findings) findings.push(f);
      for (const e of out.errors) errors.push(e);
    }
    const stats = new StatsCollector();
    stats.addRequests(page.requests);
    yield { cursor: page.cursor, encounters: page.encounters, orders: page.orders, findings, stats: stats.rows(), unmapped, errors };
  }
}
