/**
 * Reports of a batch audit job (insurance-office role), as JSON, CSV or XLSX with Chinese headers:
 *   GET /v1/reports/departments?job_id=…&format=json|csv|xlsx   by department
 *   GET /v1/reports/doctors?job_id=…                            by doctor
 *   GET /v1/reports/rules?job_id=…                              by rule
 *   GET /v1/reports/unmapped?job_id=…                           hospital codes without a national code
 *   GET /v1/reports/audit?job_id=…&format=json|xlsx             all of them (XLSX: one sheet each, plus the findings)
 * Each line: encounters, orders, findings, amount involved (vola_amt), its share of the
 * period's total fee, and the most frequent offending items.
 */
import type { SchemaTypes } from '../platform/type-provider.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findingsTable, reportTable, reportTables, tablesToXlsxBuffer, tableToCsv, type AuditReport, type FindingRow, type ReportKind, type ReportTable } from '@preaudit/his-adapter';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const KINDS: Array<{ path: string; kind: ReportKind; key: keyof AuditReport; summary: string }> = [
  { path: 'departments', kind: 'departments', key: 'by_department', summary: '按科室 by department' },
  { path: 'doctors', kind: 'doctors', key: 'by_doctor', summary: '按医生 by doctor' },
  { path: 'rules', kind: 'rules', key: 'by_rule', summary: '按规则 by rule' },
  { path: 'unmapped', kind: 'unmapped', key: 'unmapped', summary: '未对照编码 unmapped hospital codes' },
];

const query = <F extends readonly string[]>(formats: F) =>
  ({
    type: 'object',
    required: ['job_id'],
    properties: {
      job_id: { type: 'string', maxLength: 40, description: 'an audit job (POST /v1/audit-jobs)' },
      format: { type: 'string', enum: formats, default: 'json' },
    },
  }) as const;

function attach(reply: FastifyReply, name: string, type: string): void {
  reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}"`);
}

export default async function auditReportRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from a cast.
  const app = fastify.withTypeProvider<SchemaTypes>();
  const guard = app.requireRole('insurance-office');

  async function load(jobId: string): Promise<AuditReport> {
    if (!(await app.auditJobs.get(jobId))) throw new PreauditError(ErrorCode.notFound, `审核任务 ${jobId} 不存在`);
    return app.auditJobs.report(jobId);
  }

  for (const { path, kind, key, summary } of KINDS) {
    app.get(
      `/v1/reports/${path}`,
      {
        schema: {
          tags: ['reports'],
          summary,
          description:
            'One line per group: encounters, orders, total fee, findings, amount involved (vola_amt), its share of the period total fee, top offending items. format=csv gives UTF-8 CSV with a BOM; xlsx an Excel workbook.',
          querystring: query(['json', 'csv', 'xlsx'] as const),
          response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorSchema },
        },
        config: { action: `report.${path}` },
        onRequest: guard,
      },
      async (request, reply) => {
        const { job_id: jobId, format } = request.query;
        request.trail.ref = jobId;
        const report = await load(jobId);
        const table = reportTable(report, kind);
        const base = `audit-${jobId}-${table.slug}`;
        if (format === 'csv') {
          attach(reply, `${base}.csv`, 'text/csv; charset=utf-8');
          return tableToCsv(table);
        }
        if (format === 'xlsx') {
          attach(reply, `${base}.xlsx`, XLSX);
          return tablesToXlsxBuffer([reportTable(report, 'summary'), table]);
        }
        return { meta: report.meta, summary: report.summary, rows: report[key] };
      },
    );
  }

  app.get(
    '/v1/reports/audit',
    {
      schema: {
        tags: ['reports'],
        summary: '审核报告 the whole report of a job',
        description: 'Summary, by department, by doctor, by rule, unmapped codes; the XLSX adds the findings (违规明细).',
        querystring: query(['json', 'xlsx'] as const),
        response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorSchema },
      },
      config: { action: 'report.audit' },
      onRequest: guard,
    },
    async (request, reply) => {
      const { job_id: jobId, format } = request.query;
      request.trail.ref = jobId;
      const report = await load(jobId);
      if (format === 'xlsx') {
        const tables: ReportTable[] = reportTables(report);
        const all: FindingRow[] = [];
        for (let offset = 0; ; offset += 1000) {
          const page = await app.auditJobs.findings(jobId, {}, 1000, offset);
          all.push(...(page.items as unknown as FindingRow[]));
          if (page.items.length < 1000) break;
        }
        tables.push(findingsTable(all) as ReportTable);
        attach(reply, `audit-${jobId}.xlsx`, XLSX);
        return tablesToXlsxBuffer(tables);
      }
      return report;
    },
  );
}
