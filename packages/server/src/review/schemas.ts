/**
 * Schemas of the review routes (OpenAPI is generated from them). Replies are serialised with
 * JSON.stringify (nativeJson): the response schemas document them.
 */
import { ACTIONS, STATUSES } from './workflow.js';

const nullableString = { type: 'string', nullable: true } as const;

/** Most values a comma list of the queue's query may hold. */
export const MAX_LIST_VALUES = 100;
/** Page size bounds of the queue. */
export const PAGE_LIMIT = { default: 50, max: 200 } as const;
/** Rows an XLSX export holds at most. */
export const EXPORT_MAX_ROWS = 100_000;
/** Ids a bulk action takes at most. */
export const BULK_MAX_IDS = 500;
/** Longest reason or explanation (characters). */
export const MAX_TEXT = 4000;

const list = (description: string, pattern?: string) => ({ type: 'string', minLength: 1, maxLength: 4000, description, ...(pattern ? { pattern } : {}) }) as const;
const statusAlt = STATUSES.join('|');

/** The queue's filters (also the export's). */
export const filterProperties = {
  from: { type: 'string', format: 'date', description: 'first day (yyyy-MM-dd, local), inclusive; on the item time (real-time: check time; batch: order date)' },
  to: { type: 'string', format: 'date', description: 'last day (yyyy-MM-dd, local), inclusive' },
  department: list('department codes, comma-separated'),
  doctor: list('doctor codes, comma-separated'),
  rule_id: list('rule ids, comma-separated'),
  sev_deg: list('1 明确违规, 2 高度可疑, 3 轻度可疑; comma-separated', '^[123](,[123])*$'),
  phase: list('实时, 事中, 事后; comma-separated', '^(实时|事中|事后)(,(实时|事中|事后))*$'),
  source: { type: 'string', enum: ['rt', 'batch'], description: 'rt: real-time checks; batch: audit jobs' },
  status: list(`review statuses (${STATUSES.join(', ')}); comma-separated`, `^(${statusAlt})(,(${statusAlt}))*$`),
  amount_min: { type: 'number', minimum: 0, description: 'vola_amt at least' },
  amount_max: { type: 'number', minimum: 0, description: 'vola_amt at most' },
  job_id: { type: 'string', maxLength: 40, description: 'items of one audit job' },
  sort: { type: 'string', enum: ['time', 'amount', 'severity'], default: 'time' },
  order: { type: 'string', enum: ['desc', 'asc'], default: 'desc', description: 'severity desc = 明确违规 first' },
} as const;

/** GET /v1/review/items query. */
export const queueQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT.max, default: PAGE_LIMIT.default },
    cursor: { type: 'string', maxLength: 1000, description: 'next_cursor of the previous page (same filters and sort)' },
    with_total: { type: 'boolean', default: false, description: 'also count the filtered view' },
  },
} as const;

/** GET /v1/review/export.xlsx query. */
export const exportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    limit: { type: 'integer', minimum: 1, maximum: EXPORT_MAX_ROWS, default: EXPORT_MAX_ROWS, description: 'rows at most' },
  },
} as const;

/** An item as the queue shows it. */
export const itemSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    source: { type: 'string', enum: ['rt', 'batch'] },
    phase: { type: 'string', description: '实时 / 事中 / 事后' },
    time: { type: 'string', description: 'ISO-8601 UTC' },
    jr_id: { type: 'string' },
    rule_id: { type: 'string' },
    rule_name: { type: 'string' },
    sev_deg: nullableString,
    sev_label: nullableString,
    vola_amt: { type: 'number' },
    hospital: nullableString,
    department: nullableString,
    department_name: nullableString,
    doctor: nullableString,
    doctor_name: nullableString,
    patient: { ...nullableString, description: 'masked' },
    mdtrt_id: nullableString,
    rx_id: nullableString,
    hilist_code: nullableString,
    hilist_name: nullableString,
    job_id: nullableString,
    check_id: nullableString,
    status: { type: 'string', enum: STATUSES },
    status_label: { type: 'string' },
    deadline: nullableString,
    overdue: { type: 'boolean', description: 'referred and its deadline has passed' },
    final_decision: nullableString,
    updated_at: nullableString,
    updated_by: nullableString,
  },
} as const;

/** A history row. */
export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    item_id: { type: 'integer' },
    time: { type: 'string' },
    actor: { type: 'string' },
    role: { type: 'string' },
    user_role: nullableString,
    action: { type: 'string', enum: ACTIONS },
    action_label: { type: 'string' },
    from_status: { type: 'string' },
    to_status: { type: 'string' },
    reason: nullableString,
    deadline: nullableString,
    decision: nullableString,
  },
} as const;

const actionProperties = {
  reason: { type: 'string', maxLength: MAX_TEXT, description: 'why (required for exclude, and finalize with decision excluded)' },
  deadline: { type: 'string', format: 'date', description: 'refer: the last day for the department (default: 10 working days, Mon–Fri)' },
  explanation: { type: 'string', maxLength: MAX_TEXT, description: 'explain: the department head’s explanation (required)' },
  decision: { type: 'string', enum: ['confirmed', 'excluded'], description: 'finalize: 维持违规 / 撤销' },
} as const;

/** POST /v1/review/items/:id/actions body. */
export const actionBody = {
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: { action: { type: 'string', enum: ACTIONS }, ...actionProperties },
} as const;

/** POST /v1/review/bulk body. */
export const bulkBody = {
  type: 'object',
  required: ['ids', 'action'],
  additionalProperties: false,
  properties: {
    ids: { type: 'array', minItems: 1, maxItems: BULK_MAX_IDS, uniqueItems: true, items: { type: 'integer', minimum: 1 } },
    action: { type: 'string', enum: ACTIONS },
    ...actionProperties,
  },
} as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } } as const;
