/**
 * The review queue (疑点审核), for the console and any client:
 *   GET  /v1/review/meta                      statuses, actions, transitions, limits
 *   GET  /v1/review/items                     the queue: filters, sort, keyset paging
 *   GET  /v1/review/items/:id                 one item: patient (masked), encounter, orders, rule, history
 *   GET  /v1/review/items/:id/history         its history
 *   POST /v1/review/items/:id/actions         confirm | exclude | refer | explain | finalize
 *   POST /v1/review/bulk                      one action on up to 500 items (per-item results)
 *   GET  /v1/review/export.xlsx               a filtered view as XLSX (streamed)
 *   GET  /v1/review/items/:id/appeal.xlsx     the appeal packet of one item (申诉材料)
 * Readers: insurance-office, department (own departments only), bureau, admin. Department
 * callers never see another department's items: such an id answers 404, as an unknown one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { departmentScope, mayUnmask } from '../platform/auth.js';
import { badInput, ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema, nativeJson } from '../platform/schemas.js';
import { act, itemNotFound, type ActionInput } from './actions.js';
import { itemDetail } from './detail.js';
import { appealXlsx, EXPORT_HEADERS, localTime, sevLabel, streamQueueXlsx, XLSX_TYPE } from './export.js';
import { decodeCursor, encodeCursor, itemEvents, listItems, readItem, type EventRow, type ItemRow, type QueueFilters } from './store.js';
import {
  ACTION_LABEL,
  ACTION_ROLES,
  ACTIONS,
  DECISION_LABEL,
  deadlinePassed,
  DEFAULT_DEADLINE_WORKING_DAYS,
  inScope,
  STATUS_LABEL,
  STATUSES,
  TRANSITIONS,
  type FinalDecision,
  type ReviewAction,
} from './workflow.js';
import {
  actionBody,
  BULK_MAX_IDS,
  bulkBody,
  eventSchema,
  EXPORT_MAX_ROWS,
  exportQuery,
  idParams,
  itemSchema,
  MAX_LIST_VALUES,
  MAX_TEXT,
  PAGE_LIMIT,
  queueQuery,
} from './schemas.js';

/** An item as the API shows it. */
export function itemView(r: ItemRow, now: Date): Record<string, unknown> {
  return {
    id: r.id,
    source: r.source,
    phase: r.phase,
    time: r.time,
    jr_id: r.jr_id,
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    sev_deg: r.sev_deg,
    sev_label: sevLabel(r.sev_deg),
    vola_amt: r.vola_amt,
    hospital: r.hospital,
    department: r.department,
    department_name: r.department_name,
    doctor: r.doctor,
    doctor_name: r.doctor_name,
    patient: r.patient,
    mdtrt_id: r.mdtrt_id,
    rx_id: r.rx_id,
    hilist_code: r.hilist_code,
    hilist_name: r.hilist_name,
    job_id: r.job_id,
    check_id: r.check_id,
    status: r.status,
    status_label: STATUS_LABEL[r.status] ?? r.status,
    deadline: r.deadline,
    overdue: r.status === 'referred' && deadlinePassed(r.deadline, now),
    final_decision: r.final_decision,
    final_decision_label: r.final_decision ? DECISION_LABEL[r.final_decision as FinalDecision] : null,
    updated_at: r.updated_at,
    updated_by: r.updated_by,
  };
}

function eventView(e: EventRow): Record<string, unknown> {
  return { ...e, action_label: ACTION_LABEL[e.action as ReviewAction] ?? e.action };
}

/** Splits a comma list of the query, naming the field when it holds too many values. */
function splitList(field: string, v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const values = [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (values.length > MAX_LIST_VALUES) throw badInput([{ field: `query.${field}`, message: `最多 ${MAX_LIST_VALUES} 个值` }]);
  return values;
}

interface FilterQuery {
  from?: string;
  to?: string;
  department?: string;
  doctor?: string;
  rule_id?: string;
  sev_deg?: string;
  phase?: string;
  source?: 'rt' | 'batch';
  status?: string;
  amount_min?: number;
  amount_max?: number;
  job_id?: string;
}

/** The query's filters, checked beyond the schema (ranges). */
function filtersOf(q: FilterQuery): QueueFilters {
  const problems = [];
  if (q.from && q.to && q.from > q.to) problems.push({ field: 'query.to', message: `不能早于 from (${q.from})` });
  if (q.amount_min !== undefined && q.amount_max !== undefined && q.amount_min > q.amount_max) problems.push({ field: 'query.amount_max', message: `不能小于 amount_min (${q.amount_min})` });
  if (problems.length) throw badInput(problems);
  return {
    from: q.from,
    to: q.to,
    department: splitList('department', q.department),
    doctor: splitList('doctor', q.doctor),
    rule_id: splitList('rule_id', q.rule_id),
    sev_deg: splitList('sev_deg', q.sev_deg),
    phase: splitList('phase', q.phase),
    source: q.source,
    status: splitList('status', q.status),
    amount_min: q.amount_min,
    amount_max: q.amount_max,
    job_id: q.job_id,
  };
}

export default async function reviewRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from a cast.
  const app = fastify.withTypeProvider<SchemaTypes>();
  const readers = app.requireRole('insurance-office', 'department', 'bureau');
  const actors = app.requireRole('insurance-office', 'department');
  const now = () => app.config.now();

  /** An item the caller may see, after a sync; 404 otherwise. */
  async function visibleItem(request: FastifyRequest, id: number): Promise<ItemRow> {
    const item = await readItem(app.db, id);
    if (!item || !inScope(request.identity, item.department)) throw itemNotFound(id);
    return item;
  }

  /** Each action on an item is its own trail entry (bulk actions too), beside the request's. */
  function trailAction(request: FastifyRequest, id: number, action: ReviewAction | 'unmask', outcome: string, detail: Record<string, unknown>): void {
    app.trail.append({
      actor: request.identity.actor,
      role: request.identity.role,
      route: request.routeOptions.url ?? request.url.split('?')[0],
      action: `review.${action}`,
      ref: String(id),
      outcome,
      detail,
    });
  }

  app.get(
    '/v1/review/meta',
    {
      schema: { tags: ['review'], summary: '审核状态与操作 statuses, actions and limits', response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorSchema } },
      config: { action: 'review.meta' },
      onRequest: readers,
      ...nativeJson,
    },
    async () => ({
      statuses: STATUSES.map((code) => ({ code, label: STATUS_LABEL[code] })),
      actions: ACTIONS.map((code) => ({ code, label: ACTION_LABEL[code], from: TRANSITIONS[code].from, to: TRANSITIONS[code].to, who: ACTION_ROLES[code] })),
      decisions: Object.entries(DECISION_LABEL).map(([code, label]) => ({ code, label })),
      limits: {
        page_max: PAGE_LIMIT.max,
        page_default: PAGE_LIMIT.default,
        bulk_max_ids: BULK_MAX_IDS,
        export_max_rows: EXPORT_MAX_ROWS,
        max_list_values: MAX_LIST_VALUES,
        max_text: MAX_TEXT,
        deadline_working_days: DEFAULT_DEADLINE_WORKING_DAYS,
      },
      export_headers: EXPORT_HEADERS,
    }),
  );

  app.get(
    '/v1/review/items',
    {
      schema: {
        tags: ['review'],
        summary: '疑点审核队列 the review queue',
        description:
          'Real-time and batch findings in one queue. Filters are ANDed; comma lists match any value. Keyset paging: pass next_cursor as cursor with the same filters and sort. with_total=true adds the count of the filtered view.',
        querystring: queueQuery,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: itemSchema }, next_cursor: { type: 'string', nullable: true }, limit: { type: 'integer' }, total: { type: 'integer' } } },
          '4xx': errorSchema,
        },
      },
      config: { action: 'review.list' },
      onRequest: readers,
      ...nativeJson,
    },
    async (request) => {
      const { limit, cursor, with_total: withTotal, sort, order, ...rest } = request.query;
      const filters = filtersOf(rest);
      let after;
      if (cursor !== undefined) {
        after = decodeCursor(cursor);
        if (!after) throw badInput([{ field: 'query.cursor', message: '不是有效的分页游标 (not a cursor of this API)' }]);
        if (after.sort !== sort || after.order !== order) throw badInput([{ field: 'query.cursor', message: `游标属于排序 ${after.sort} ${after.order}，与本次 ${sort} ${order} 不符` }]);
      }
      await app.review.fresh();
      const page = await listItems(app.db, { filters, scope: departmentScope(request.identity), sort, order, limit, after, withTotal });
      const t = now();
      return {
        items: page.rows.map((r) => itemView(r, t)),
        next_cursor: page.next ? encodeCursor(page.next) : null,
        limit,
        ...(page.total !== undefined ? { total: page.total } : {}),
      };
    },
  );

  app.get(
    '/v1/review/items/:id',
    {
      schema: {
        tags: ['review'],
        summary: '疑点详情 one item',
        description: 'unmask=true needs the head or admin role (403 otherwise) and is recorded in the trail as review.unmask.',
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { unmask: { type: 'boolean', default: false } } },
        response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorSchema },
      },
      config: { action: 'review.get' },
      onRequest: readers,
      ...nativeJson,
    },
    async (request) => {
      const { id } = request.params;
      request.trail.ref = String(id);
      await app.review.fresh();
      const item = await visibleItem(request, id);
      if (request.query.unmask) {
        if (!mayUnmask(request.identity)) throw new PreauditError(ErrorCode.forbidden, '查看完整患者标识需要医保办主任或管理员角色 (unmask needs head or admin)');
        trailAction(request, id, 'unmask', 'ok', { item: id, patient: item.patient, mdtrt_id: item.mdtrt_id });
      }
      const detail = await itemDetail(app.db, app.rulebooks.active(), item);
      const t = now();
      return {
        item: itemView(item, t),
        patient: {
          id_masked: item.patient,
          unmask_requested: request.query.unmask,
          // The service stores patient ids masked only (first and last characters kept to match against the HIS).
          id: null,
          note: '本服务只保存脱敏后的参保人标识（保留首尾字符，可与 HIS 核对）；完整标识请在 HIS 中按就诊标识查询',
        },
        encounter: detail.encounter,
        orders: detail.orders,
        rule: detail.rule,
        explanation: item.explanation ? { text: item.explanation, by: item.explained_by, at: item.explained_at } : null,
        history: detail.history.map(eventView),
      };
    },
  );

  app.get(
    '/v1/review/items/:id/history',
    {
      schema: {
        tags: ['review'],
        summary: '处理记录 history of an item',
        params: idParams,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: eventSchema } } }, '4xx': errorSchema },
      },
      config: { action: 'review.history' },
      onRequest: readers,
      ...nativeJson,
    },
    async (request) => {
      const { id } = request.params;
      request.trail.ref = String(id);
      await visibleItem(request, id);
      return { items: (await itemEvents(app.db, id)).map(eventView) };
    },
  );

  app.post(
    '/v1/review/items/:id/actions',
    {
      schema: {
        tags: ['review'],
        summary: '审核操作 act on an item',
        description:
          'confirm/exclude/refer: pending items (insurance-office). explain: referred items of the caller’s departments (department). finalize: confirmed, excluded, explained, or referred past its deadline (head or admin). 409 names the current status when the action does not apply.',
        params: idParams,
        body: actionBody,
        response: { 200: { type: 'object', properties: { item: itemSchema, event: eventSchema } }, '4xx': errorSchema },
      },
      config: { action: 'review.action' },
      onRequest: actors,
      ...nativeJson,
    },
    async (request) => {
      const { id } = request.params;
      request.trail.ref = String(id);
      const input = request.body as ActionInput;
      await visibleItem(request, id);
      const t = now();
      const { item, event } = await act(app.db, id, input, { identity: request.identity, authEnabled: app.config.authEnabled, now: t });
      trailAction(request, id, input.action, 'ok', { from: event.from_status, to: event.to_status, deadline: event.deadline, decision: event.decision });
      request.trail.detail = { review_action: input.action, from: event.from_status, to: event.to_status };
      return { item: itemView(item, t), event: eventView(event) };
    },
  );

  app.post(
    '/v1/review/bulk',
    {
      schema: {
        tags: ['review'],
        summary: '批量审核 one action on many items',
        description: `At most ${BULK_MAX_IDS} ids. Per-item results, not all-or-nothing: each item is its own transaction; a refused item (404, 403, 409) does not stop the others.`,
        body: bulkBody,
        response: {
          200: {
            type: 'object',
            properties: {
              done: { type: 'integer' },
              failed: { type: 'integer' },
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    ok: { type: 'boolean' },
                    status: { type: 'string' },
                    error: { type: 'object', properties: { code: { type: 'string' }, statusCode: { type: 'integer' }, message: { type: 'string' } } },
                  },
                },
              },
            },
          },
          '4xx': errorSchema,
        },
      },
      config: { action: 'review.bulk' },
      onRequest: actors,
      ...nativeJson,
    },
    async (request) => {
      const { ids, ...rest } = request.body;
      const input = rest as ActionInput;
      const t = now();
      const results: Array<Record<string, unknown>> = [];
      let done = 0;
      for (const id of ids) {
        try {
          const { event } = await act(app.db, id, input, { identity: request.identity, authEnabled: app.config.authEnabled, now: t });
          trailAction(request, id, input.action, 'ok', { bulk: true, from: event.from_status, to: event.to_status, deadline: event.deadline, decision: event.decision });
          results.push({ id, ok: true, status: event.to_status });
          done++;
        } catch (err) {
          if (!(err instanceof PreauditError)) throw err;
          // Bad input is the same for every id: refuse the whole request.
          if (err.code === ErrorCode.badInput) throw err;
          trailAction(request, id, input.action, err.code, { bulk: true });
          results.push({ id, ok: false, error: { code: err.code, statusCode: err.statusCode, message: err.message } });
        }
      }
      request.trail.detail = { review_action: input.action, ids: ids.length, done, failed: ids.length - done };
      return { done, failed: ids.length - done, results };
    },
  );

  app.get(
    '/v1/review/export.xlsx',
    {
      schema: {
        tags: ['review'],
        summary: '导出疑点清单 export a filtered view (XLSX)',
        description: `The queue's filters and sort; at most ${EXPORT_MAX_ROWS} rows (limit). Headers: x-review-total (rows in the view), x-review-truncated (true when the file holds fewer).`,
        querystring: exportQuery,
        response: { '4xx': errorSchema },
      },
      config: { action: 'review.export' },
      onRequest: readers,
    },
    async (request, reply) => {
      const { limit, sort, order, ...rest } = request.query;
      const filters = filtersOf(rest);
      await app.review.fresh();
      const scope = departmentScope(request.identity);
      const counted = await listItems(app.db, { filters, scope, sort, order, limit: 1, withTotal: true });
      const total = counted.total ?? 0;
      request.trail.detail = { rows: Math.min(total, limit), total };
      const stamp = localTime(now().toISOString()).replace(/\D/g, '').slice(0, 12);
      reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="review-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`疑点清单-${stamp}.xlsx`)}`)
        .header('x-review-total', String(total))
        .header('x-review-truncated', String(total > limit));
      return reply.send(streamQueueXlsx(app.db, { filters, scope, sort, order, max: limit }));
    },
  );

  app.get(
    '/v1/review/items/:id/appeal.xlsx',
    {
      schema: {
        tags: ['review'],
        summary: '申诉材料 appeal packet of one item (XLSX)',
        description: 'Sheets 疑点信息 (item, rule, evidence, policy basis), 医嘱明细 (orders, the offending one marked), 处理记录 (history), 科室说明 (the department’s explanation).',
        params: idParams,
        response: { '4xx': errorSchema },
      },
      config: { action: 'review.appeal' },
      onRequest: readers,
    },
    async (request, reply) => {
      const { id } = request.params;
      request.trail.ref = String(id);
      await app.review.fresh();
      const item = await visibleItem(request, id);
      const detail = await itemDetail(app.db, app.rulebooks.active(), item);
      reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="appeal-${id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`申诉材料-${id}.xlsx`)}`);
      return appealXlsx(item, detail, item.patient);
    },
  );
}

