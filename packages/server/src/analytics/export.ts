/**
 * Analyses as files: a table of rows with Chinese headers, answered as CSV (UTF-8 with a BOM)
 * or XLSX through the batch reports' writers (his-adapter), or as the JSON the route returns.
 */
import type { FastifyReply } from 'fastify';
import { cellText } from './period.js';
import { tablesToXlsxBuffer, tableToCsv, type CellFormat, type ReportTable } from '@preaudit/his-adapter';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A column: header, the row's field, format. */
export type Col = [header: string, field: string, format: CellFormat];

/** Builds a report table over plain rows. */
export function table(sheet: string, slug: string, cols: Col[], rows: Array<Record<string, unknown>>): ReportTable {
  return {
    sheet,
    slug,
    columns: cols.map(([header, field, format]) => ({
      header,
      format,
      value: (r: unknown) => {
        const v = (r as Record<string, unknown>)[field];
        if (v === null || v === undefined) return '';
        return typeof v === 'number' ? v : cellText(v);
      },
    })),
    rows,
  };
}

/** Sends `tables` as the format asked; undefined for json (the route returns its JSON). */
export async function sendFile(reply: FastifyReply, format: string | undefined, name: string, tables: ReportTable[]): Promise<Buffer | string | undefined> {
  if (format === 'csv') {
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
    return tableToCsv(tables[0]);
  }
  if (format === 'xlsx') {
    reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`);
    return tablesToXlsxBuffer(tables);
  }
  return undefined;
}

/** Column sets shared by the routes. */
export const COLS = {
  counts: [
    ['审核次数', 'checks', 'count'],
    ['提醒条数', 'findings', 'count'],
    ['涉及金额(元)', 'vola_amt', 'money'],
    ['返回修改', 'modified', 'count'],
    ['继续执行', 'continued', 'count'],
    ['遵从率', 'compliance_rate', 'percent'],
  ] as Col[],
};
