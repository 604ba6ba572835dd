/**
 * Schemas of the audit-job routes (OpenAPI is generated from them).
 */

const nullableString = { type: 'string', nullable: true } as const;
const nullableNumber = { type: 'number', nullable: true } as const;

/** A job as the API shows it. */
export const jobSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    source: { type: 'string' },
    phase: { type: 'string', description: '事中 or 事后' },
    from: nullableString,
    to: nullableString,
    scenes: { type: 'array', items: { type: 'string' } },
    incremental: { type: 'boolean' },
    changed_after: { ...nullableString, description: '事中 incremental window: changes after this time …' },
    changed_up_to: { ...nullableString, description: '… up to this time (the next run starts here)' },
    state: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
    total: { ...nullableNumber, description: 'encounters in scope (null when the source cannot count in advance)' },
    processed: { type: 'integer', description: 'encounters audited so far' },
    orders: { type: 'integer', description: 'order lines audited so far' },
    findings: { type: 'integer' },
    vola_amt: { type: 'number', description: '违规金额 so far' },
    unmapped_orders: { type: 'integer', description: 'order lines without a national code after 对照' },
    rule_errors: { type: 'integer' },
    progress: { ...nullableNumber, description: 'processed / total' },
    rate: { ...nullableNumber, description: 'encounters per second in the current run' },
    eta_seconds: { ...nullableNumber, description: 'seconds left at that rate' },
    rulebooks: { type: 'array', items: { type: 'string' }, description: 'rulebook versions judging this job (id@version)' },
    created_by: { type: 'string' },
    created_at: { type: 'string' },
    started_at: nullableString,
    updated_at: nullableString,
    finished_at: nullableString,
    error: nullableString,
  },
} as const;

/** POST /v1/audit-jobs body. */
export const createBody = {
  type: 'object',
  required: ['source', 'phase'],
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1, maxLength: 100, description: 'a source configured in the service (GET /v1/audit-jobs/sources)' },
    phase: { type: 'string', enum: ['事中', '事后'] },
    from: { type: 'string', format: 'date', description: 'yyyy-MM-dd; 事后: discharge dates from, 事中: admission dates from' },
    to: { type: 'string', format: 'date', description: 'yyyy-MM-dd, inclusive' },
    scenes: { type: 'array', items: { type: 'string', pattern: '^(10|[1-9])$' }, description: 'trig_scen codes (e.g. ["9"] 住院预结算)' },
    incremental: { type: 'boolean', description: '事中: only encounters changed since the last run (watermark)' },
    page_size: { type: 'integer', minimum: 1, maximum: 5000, description: 'patients per page' },
  },
  allOf: [
    // 事后 reads settled encounters by discharge date: a period is required.
    {
      if: { required: ['phase'], properties: { phase: { const: '事后' } } },
      then: { required: ['from', 'to'], properties: { incremental: { const: false, description: '只有事中审核按水位增量读取' } } },
    },
    // 事中 reads by admission date, or incrementally from the source's watermark.
    { if: { required: ['phase'], properties: { phase: { const: '事中' }, incremental: { not: { const: true } } } }, then: { required: ['from', 'to'] } },
  ],
} as const;

/** A stored finding. */
export const findingSchema = {
  type: 'object',
  properties: {
    jr_id: { type: 'string' },
    rule_id: { type: 'string' },
    rule_name: { type: 'string' },
    sev_deg: { type: 'string' },
    vola_cont: { type: 'string' },
    vola_evid: { type: 'string' },
    vola_bhvr_type: { type: 'string' },
    vola_amt: { type: 'number' },
    vola_amt_stas: { type: 'string' },
    patn_id: { type: 'string', description: 'masked' },
    mdtrt_id: { type: 'string' },
    rx_id: { type: 'string' },
    hilist_code: { type: 'string' },
    hilist_name: { type: 'string' },
    hosplist_code: { type: 'string' },
    dept_codg: { type: 'string' },
    dept_name: { type: 'string' },
    dr_codg: { type: 'string' },
    dr_name: { type: 'string' },
    order_date: { type: 'string' },
    med_mdtrt_type: { type: 'string' },
    rulebook: { type: 'string' },
    judge_result_detail_dtos: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          jrd_id: { type: 'string' },
          patn_id: { type: 'string' },
          mdtrt_id: { type: 'string' },
          rx_id: { type: 'string' },
          vola_item_type: { type: 'string' },
          vola_amt: { type: 'number' },
        },
      },
    },
  },
} as const;

/** Paging query. */
export const pagingQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  // Bounded: PostgreSQL refuses an OFFSET beyond bigint, and no list is a billion rows long.
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
} as const;
