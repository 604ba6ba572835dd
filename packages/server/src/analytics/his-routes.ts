/**
 * Analyses over the HIS sources (issue 15):
 *   GET /v1/analytics/periods           period views (month/quarter/year × hospital/department/doctor × category)
 *   GET /v1/quotas                      current 科室定额
 *   PUT /v1/quotas                      set one (insurance-office; a new version, in the trail)
 *   GET /v1/quotas/history              every version
 *   GET /v1/quotas/proposal             a quota derived from the same period of past years
 *   GET /v1/analytics/quota-excess      超定额比例 per department or doctor with the driving cost classes
 * Reads: insurance-office and department (scoped to their departments).
 */
import type { FastifyInstance } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { badInput } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { CATEGORIES, CATEGORY_LABEL, periodView } from './his-periods.js';
import { METRICS, METRIC_LABEL, PERIOD_PATTERN, currentQuotas, periodDays, proposeQuota, quotaExcess, quotaHistory, setQuota } from './quotas.js';
import { scopedDepartments } from './period.js';
import { sendFile, table, type Col } from './export.js';

const anyObject = { type: 'object', additionalProperties: true } as const;
const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const format = { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' } as const;
const source = { type: 'string', minLength: 1, maxLength: 100, description: 'a configured HIS source (as for audit jobs)' } as const;
const categoryAll = { type: 'string', enum: ['all', ...CATEGORIES], default: 'all' } as const;

const PERIOD_COLS: Col[] = [
  ['期间', 'period', 'text'],
  ['编码', 'key', 'text'],
  ['名称', 'name', 'text'],
  ['科室', 'department', 'text'],
  ['类别', 'category_label', 'text'],
  ['人数', 'patients', 'count'],
  ['人次', 'visits', 'count'],
  ['医疗总费用(元)', 'total_cost', 'money'],
  ['统筹基金支付(元)', 'fund_paid', 'money'],
  ['个人账户支付(元)', 'account_paid', 'money'],
  ['个人自付自费(元)', 'self_paid', 'money'],
  ['次均费用(元)', 'cost_per_visit', 'money'],
  ['人均住院天数', 'avg_stay_days', 'count'],
  ['药占比', 'drug_ratio', 'percent'],
  ['耗占比', 'material_ratio', 'percent'],
  ['检查检验占比', 'exam_lab_ratio', 'percent'],
];

export default async function analyticsHisRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const read = app.requireRole('insurance-office', 'department');

  app.get(
    '/v1/analytics/periods',
    {
      schema: {
        tags: ['analytics'],
        summary: '期间统计 period views over HIS data',
        description:
          'Per month/quarter/year and hospital/department/doctor, by patient category (普通门诊, 门诊慢特病 med_type 14x, 住院, 生育 insutype 510 / med_type 5x): 人数, 人次, total, fund-paid, self-paid, 次均费用, 人均住院天数, 药占比, 耗占比, 检查检验占比. Aggregated in the HIS database.',
        querystring: {
          type: 'object',
          required: ['source', 'from', 'to'],
          properties: {
            source,
            from: { type: 'string', pattern: DAY, description: 'first day yyyy-MM-dd' },
            to: { type: 'string', pattern: DAY, description: 'last day yyyy-MM-dd (inclusive)' },
            granularity: { type: 'string', enum: ['month', 'quarter', 'year'], default: 'month' },
            by: { type: 'string', enum: ['hospital', 'department', 'doctor'], default: 'department' },
            category: categoryAll,
            department: { type: 'string', maxLength: 2000 },
            format,
          },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.periods' },
      onRequest: read,
    },
    async (request, reply) => {
      const q = request.query;
      if (q.from > q.to) throw badInput([{ field: 'query.to', message: '应不早于 from' }]);
      if (Date.parse(q.to) - Date.parse(q.from) > 3 * 366 * 86_400_000) throw badInput([{ field: 'query.to', message: '时间跨度不能超过 3 年' }]);
      const departments = scopedDepartments(request.identity, q.department);
      request.trail.ref = q.source;
      request.trail.detail = { from: q.from, to: q.to, granularity: q.granularity, by: q.by };
      const his = await app.analytics.his(q.source);
      const category = q.category && q.category !== 'all' ? q.category : undefined;
      const rows = await periodView(his.knex, his.config, { from: q.from, to: q.to, granularity: q.granularity ?? 'month', by: q.by ?? 'department', category, departments });
      const labelled = rows.map((r) => ({ ...r, category_label: CATEGORY_LABEL[r.category] }));
      const file = await sendFile(reply, q.format, `periods-${q.granularity ?? 'month'}-${q.by ?? 'department'}`, [table('期间统计', 'periods', PERIOD_COLS, labelled)]);
      return file ?? { source: q.source, from: q.from, to: q.to, granularity: q.granularity ?? 'month', by: q.by ?? 'department', rows: labelled };
    },
  );

  app.get(
    '/v1/quotas',
    {
      schema: {
        tags: ['quotas'],
        summary: '科室定额 current quotas',
        querystring: { type: 'object', properties: { period: { type: 'string', pattern: PERIOD_PATTERN }, department: { type: 'string', maxLength: 2000 } } },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'quotas.list' },
      onRequest: read,
    },
    async (request) => {
      const departments = scopedDepartments(request.identity, request.query.department);
      return { quotas: await currentQuotas(app.db, { period: request.query.period, departments }) };
    },
  );

  app.put(
    '/v1/quotas',
    {
      schema: {
        tags: ['quotas'],
        summary: '设定科室定额 set a quota (a new version; the previous one is kept as history)',
        body: {
          type: 'object',
          required: ['department', 'metric', 'period', 'amount'],
          additionalProperties: false,
          properties: {
            department: { type: 'string', minLength: 1, maxLength: 64 },
            category: categoryAll,
            metric: { type: 'string', enum: [...METRICS] },
            period: { type: 'string', pattern: PERIOD_PATTERN, description: 'yyyy, yyyy-Qn or yyyy-MM' },
            amount: { type: 'number', exclusiveMinimum: 0, maximum: 1e10 },
            method: { type: 'string', maxLength: 40, description: 'manual, mean or trend (from a proposal)' },
            basis: { type: 'array', maxItems: 20, items: anyObject, description: 'the proposal basis, kept with the quota' },
            reason: { type: 'string', maxLength: 2000 },
          },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'quotas.set' },
      onRequest: app.requireRole('insurance-office'),
    },
    async (request) => {
      const b = request.body;
      const result = await setQuota(app.db, { ...b, category: b.category ?? 'all' }, request.identity.actor, app.config.now());
      request.trail.ref = `${b.department}/${b.category ?? 'all'}/${b.metric}/${b.period}`;
      request.trail.detail = { amount: result.quota.amount, previous: result.replaced?.amount ?? null, method: result.quota.method };
      return result;
    },
  );

  app.get(
    '/v1/quotas/history',
    {
      schema: {
        tags: ['quotas'],
        summary: '定额变更记录 every version, newest first',
        querystring: {
          type: 'object',
          properties: {
            department: { type: 'string', maxLength: 64 },
            period: { type: 'string', pattern: PERIOD_PATTERN },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'quotas.history' },
      onRequest: read,
    },
    async (request) => {
      const q = request.query;
      const departments = scopedDepartments(request.identity, q.department);
      return { versions: await quotaHistory(app.db, { period: q.period, departments }, q.limit ?? 100) };
    },
  );

  app.get(
    '/v1/quotas/proposal',
    {
      schema: {
        tags: ['quotas'],
        summary: '定额测算 a quota proposed from the same period of past years',
        description: 'method=mean: the average of the past years; trend: the last year × (1 + the average year-on-year growth).',
        querystring: {
          type: 'object',
          required: ['source', 'department', 'metric', 'period'],
          properties: {
            source,
            department: { type: 'string', minLength: 1, maxLength: 64 },
            category: categoryAll,
            metric: { type: 'string', enum: [...METRICS] },
            period: { type: 'string', pattern: PERIOD_PATTERN },
            years: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
            method: { type: 'string', enum: ['mean', 'trend'], default: 'mean' },
          },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'quotas.proposal' },
      onRequest: read,
    },
    async (request) => {
      const q = request.query;
      scopedDepartments(request.identity, q.department);
      const his = await app.analytics.his(q.source);
      return proposeQuota(his, {
        department: q.department,
        category: q.category ?? 'all',
        metric: q.metric,
        period: q.period,
        years: q.years ?? 3,
        method: q.method ?? 'mean',
      });
    },
  );

  app.get(
    '/v1/analytics/quota-excess',
    {
      schema: {
        tags: ['quotas'],
        summary: '超定额分析 excess over quota per department or doctor',
        querystring: {
          type: 'object',
          required: ['source', 'period'],
          properties: {
            source,
            period: { type: 'string', pattern: PERIOD_PATTERN },
            by: { type: 'string', enum: ['department', 'doctor'], default: 'department' },
            metric: { type: 'string', enum: [...METRICS], default: 'cost_per_visit' },
            category: categoryAll,
            department: { type: 'string', maxLength: 2000 },
            format,
          },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.quota-excess' },
      onRequest: read,
    },
    async (request, reply) => {
      const q = request.query;
      const departments = scopedDepartments(request.identity, q.department);
      periodDays(q.period);
      const his = await app.analytics.his(q.source);
      const metric = q.metric ?? 'cost_per_visit';
      const result = await quotaExcess(app.db, his, { period: q.period, by: q.by ?? 'department', metric, category: q.category ?? 'all', departments });
      const flat = result.rows.map((r) => ({ ...r, drivers_text: r.drivers.map((d) => `${d.label}${d.change >= 0 ? '+' : ''}${d.change.toFixed(2)}`).join('；') }));
      const label = METRIC_LABEL[metric];
      const file = await sendFile(reply, q.format, `quota-excess-${q.period}`, [
        table(
          '超定额分析',
          'quota-excess',
          [
            ['科室编码', 'department', 'text'],
            ...(q.by === 'doctor' ? ([['医生编码', 'doctor', 'text']] as Col[]) : []),
            ['人次', 'visits', 'count'],
            ['人数', 'patients', 'count'],
            ['医疗总费用(元)', 'total_cost', 'money'],
            [`实际${label}(元)`, 'actual', 'money'],
            [`定额${label}(元)`, 'quota', 'money'],
            ['超定额比例', 'excess_ratio', 'percent'],
            ['超定额金额(元)', 'excess_amount', 'money'],
            ['次均费用较上年同期变化(元)', 'drivers_text', 'text'],
          ],
          flat,
        ),
      ]);
      return file ?? result;
    },
  );
}
