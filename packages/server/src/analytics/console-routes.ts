/**
 * The console's analysis APIs over real-time checks (contract: README "Management analytics"):
 *   GET /v1/overview                     总览
 *   GET /v1/drilldown/departments        科室排名 (with the previous period)
 *   GET /v1/drilldown/doctors            医生排名
 *   GET /v1/drilldown/encounters         a department's/doctor's checks with findings, paged
 *   GET /v1/drilldown/checks/:check_id   one check: orders with the offending ones marked
 *   GET /v1/compliance                   遵从率 by rule / department / doctor, with reasons
 *   GET /v1/compliance/reasons           the feedback given, paged
 * Roles insurance-office and department (a department head sees only their departments).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { checkDetail, complianceBy, encountersPage, overview, ranking, reasonsPage, type AnalysisDeps } from './console-analyses.js';
import { cellText, readPeriod, scopedDepartments } from './period.js';
import type { Filters } from './rollup.js';
import { COLS, sendFile, table, type Col } from './export.js';

const common = {
  from: { type: 'string', maxLength: 40, description: 'yyyy-MM-dd (local) or ISO time; default 30 days ago' },
  to: { type: 'string', maxLength: 40, description: 'yyyy-MM-dd (inclusive) or ISO time (exclusive); default now' },
  hospital: { type: 'string', maxLength: 64 },
  department: { type: 'string', maxLength: 2000, description: 'department code(s), comma-separated' },
  doctor: { type: 'string', maxLength: 64 },
  format: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' },
} as const;

const paging = {
  page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 },
  page_size: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
} as const;

const anyObject = { type: 'object', additionalProperties: true } as const;

export default async function analyticsConsoleRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const guard = app.requireRole('insurance-office', 'department');
  const deps = (): AnalysisDeps => ({ db: app.db, rollup: app.analytics.rollup });

  /** Period and filters of a request; records them in the trail. */
  async function scope(request: FastifyRequest, q: { from?: string; to?: string; hospital?: string; department?: string; doctor?: string }) {
    const period = readPeriod(q, app.config.now());
    const departments = scopedDepartments(request.identity, q.department);
    const filters: Filters = { hospital: q.hospital || undefined, departments, doctor: q.doctor || undefined };
    request.trail.detail = { ...period, departments: departments ?? null, doctor: filters.doctor ?? null };
    // Checks are written behind the request: flush so today's figures include every answered check.
    await app.checkStore.flush();
    return { period, filters, departments };
  }

  app.get(
    '/v1/overview',
    {
      schema: {
        tags: ['analytics'],
        summary: '总览 overview of a period',
        description: 'Checks, findings, amounts at stake, 遵从率, top rules/departments/doctors, daily trend, engine latency. format=csv|xlsx exports the trend (xlsx: every table).',
        querystring: { type: 'object', properties: { ...common, top: { type: 'integer', minimum: 1, maximum: 50, default: 10 } } },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.overview' },
      onRequest: guard,
    },
    async (request, reply) => {
      const q = request.query;
      const { period, filters, departments } = await scope(request, q);
      const body = { ...period, scope: { departments: departments ?? null }, ...(await overview(deps(), period, filters, q.top ?? 10)) };
      const file = await sendFile(reply, q.format, 'overview', [
        table(
          '每日趋势',
          'trend',
          [
            ['日期', 'day', 'text'],
            ['审核次数', 'checks', 'count'],
            ['提醒条数', 'findings', 'count'],
            ['涉及金额(元)', 'vola_amt', 'money'],
            ['返回修改', 'modified', 'count'],
            ['继续执行', 'continued', 'count'],
          ],
          body.trend,
        ),
        table('规则排名', 'rules', [['规则编码', 'rule_id', 'text'], ['规则名称', 'rule_name', 'text'], ...COLS.counts.filter((c) => c[1] !== 'checks')], body.top_rules),
        table('科室排名', 'departments', [['科室编码', 'department', 'text'], ...COLS.counts], body.top_departments),
        table('医生排名', 'doctors', [['科室编码', 'department', 'text'], ['医生编码', 'doctor', 'text'], ...COLS.counts], body.top_doctors),
      ]);
      return file ?? body;
    },
  );

  for (const level of ['department', 'doctor'] as const) {
    app.get(
      `/v1/drilldown/${level}s`,
      {
        schema: {
          tags: ['analytics'],
          summary: level === 'department' ? '科室排名 departments ranked' : '医生排名 doctors ranked',
          description: 'Ranked by `sort`, with the previous period of equal length beside each row (compare=previous).',
          querystring: {
            type: 'object',
            properties: {
              ...common,
              sort: { type: 'string', enum: ['findings', 'vola_amt', 'checks', 'compliance_rate'], default: 'findings' },
              compare: { type: 'string', enum: ['previous', 'none'], default: 'previous' },
            },
          },
          response: { 200: anyObject, '4xx': errorSchema },
        },
        config: { action: `analytics.drilldown.${level}s` },
        onRequest: guard,
      },
      async (request, reply) => {
        const q = request.query;
        const { period, filters } = await scope(request, q);
        const result = await ranking(deps(), level, period, filters, q.sort ?? 'findings', q.compare !== 'none');
        const keyCols: Col[] =
          level === 'department'
            ? [['科室编码', 'department', 'text']]
            : [
                ['科室编码', 'department', 'text'],
                ['医生编码', 'doctor', 'text'],
              ];
        const flat = result.rows.map((r) => ({
          ...r,
          prev_findings: r.previous?.findings ?? null,
          prev_vola_amt: r.previous?.vola_amt ?? null,
          change_findings: r.change?.findings ?? null,
        }));
        const file = await sendFile(reply, q.format, `${level}s`, [
          table(
            level === 'department' ? '科室排名' : '医生排名',
            `${level}s`,
            [
              ['排名', 'rank', 'count'],
              ...keyCols,
              ...COLS.counts,
              ['上期提醒条数', 'prev_findings', 'count'],
              ['上期涉及金额(元)', 'prev_vola_amt', 'money'],
              ['提醒条数环比', 'change_findings', 'percent'],
            ],
            flat,
          ),
        ]);
        return file ?? { ...period, ...result };
      },
    );
  }

  app.get(
    '/v1/drilldown/encounters',
    {
      schema: {
        tags: ['analytics'],
        summary: '就诊 checks with findings of a department or doctor',
        querystring: { type: 'object', properties: { ...common, ...paging } },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.drilldown.encounters' },
      onRequest: guard,
    },
    async (request, reply) => {
      const q = request.query;
      if (!q.department && !q.doctor)
        throw new PreauditError(ErrorCode.badInput, 'query.department 或 query.doctor 必填其一', [{ field: 'query.department', message: '科室或医生必填其一' }]);
      const { period, filters } = await scope(request, q);
      const page = await encountersPage(app.db, period, filters, q.page ?? 1, q.page_size ?? 50);
      const file = await sendFile(reply, q.format, 'encounters', [
        table(
          '就诊',
          'encounters',
          [
            ['审核编号', 'check_id', 'text'],
            ['时间', 'time', 'text'],
            ['科室编码', 'department', 'text'],
            ['医生编码', 'doctor', 'text'],
            ['患者(脱敏)', 'patient', 'text'],
            ['医嘱数', 'orders', 'count'],
            ['提醒条数', 'findings_count', 'count'],
            ['涉及金额(元)', 'vola_amt', 'money'],
          ],
          page.rows,
        ),
      ]);
      return file ?? { ...period, ...page };
    },
  );

  app.get(
    '/v1/drilldown/checks/:check_id',
    {
      schema: {
        tags: ['analytics'],
        summary: '医嘱 one check: its orders, the offending ones marked, and its findings with their feedback',
        params: { type: 'object', required: ['check_id'], properties: { check_id: { type: 'string', maxLength: 40 } } },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.drilldown.check' },
      onRequest: guard,
    },
    async (request) => {
      const id = request.params.check_id;
      request.trail.ref = id;
      await app.checkStore.flush();
      const detail = await checkDetail(app.db, id);
      const scopeDepts = scopedDepartments(request.identity, undefined);
      const visible = detail && (!scopeDepts || scopeDepts.includes(cellText(detail.check.department)) || detail.findings.some((f) => scopeDepts.includes(cellText(f.department))));
      if (!detail || !visible) throw new PreauditError(ErrorCode.notFound, `审核记录 ${id} 不存在`);
      return detail;
    },
  );

  app.get(
    '/v1/compliance',
    {
      schema: {
        tags: ['analytics'],
        summary: '遵从率 by rule, department or doctor',
        description: '遵从率 = 返回修改 (3103 dspo_way 2) / 提醒条数; each row lists the five reasons most given for 继续执行.',
        querystring: {
          type: 'object',
          properties: { ...common, by: { type: 'string', enum: ['rule', 'department', 'doctor'], default: 'rule' }, rule_id: { type: 'string', maxLength: 64 } },
        },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.compliance' },
      onRequest: guard,
    },
    async (request, reply) => {
      const q = request.query;
      const by = q.by ?? 'rule';
      const { period, filters } = await scope(request, q);
      if (q.rule_id) filters.rule_id = q.rule_id;
      const result = await complianceBy(deps(), by, period, filters);
      const keyCols: Col[] =
        by === 'rule'
          ? [
              ['规则编码', 'rule_id', 'text'],
              ['规则名称', 'rule_name', 'text'],
            ]
          : by === 'department'
            ? [['科室编码', 'department', 'text']]
            : [
                ['科室编码', 'department', 'text'],
                ['医生编码', 'doctor', 'text'],
              ];
      const flat = result.rows.map((r) => ({ ...r, reasons_text: r.reasons.map((x) => `${x.reason}×${x.count}`).join('；') }));
      const file = await sendFile(reply, q.format, `compliance-${by}`, [
        table(
          '遵从率',
          `compliance-${by}`,
          [
            ...keyCols,
            ['提醒条数', 'warnings', 'count'],
            ['返回修改', 'modified', 'count'],
            ['继续执行', 'continued', 'count'],
            ['未反馈', 'no_answer', 'count'],
            ['遵从率', 'compliance_rate', 'percent'],
            ['继续执行理由', 'reasons_text', 'text'],
          ],
          flat,
        ),
      ]);
      return file ?? { ...period, by, ...result };
    },
  );

  app.get(
    '/v1/compliance/reasons',
    {
      schema: {
        tags: ['analytics'],
        summary: '反馈明细 the dispositions doctors gave, with reasons, paged',
        querystring: { type: 'object', properties: { ...common, ...paging, rule_id: { type: 'string', maxLength: 64 } } },
        response: { 200: anyObject, '4xx': errorSchema },
      },
      config: { action: 'analytics.compliance.reasons' },
      onRequest: guard,
    },
    async (request, reply) => {
      const q = request.query;
      const { period, filters } = await scope(request, q);
      if (q.rule_id) filters.rule_id = q.rule_id;
      const page = await reasonsPage(deps(), period, filters, q.page ?? 1, q.page_size ?? 50);
      const file = await sendFile(reply, q.format, 'feedback', [
        table(
          '反馈明细',
          'feedback',
          [
            ['反馈时间', 'time', 'text'],
            ['规则编码', 'rule_id', 'text'],
            ['规则名称', 'rule_name', 'text'],
            ['科室编码', 'department', 'text'],
            ['医生编码', 'doctor', 'text'],
            ['处理方式', 'dspo_way', 'text'],
            ['理由', 'dspo_way_rea', 'text'],
          ],
          page.rows,
        ),
      ]);
      return file ?? { ...period, ...page };
    },
  );
}
