/**
 * @preaudit/his-adapter: reads HIS/EMR data (database views through knex, web services through
 * soap) into the national model, maps hospital codes to national codes (对照), runs batch
 * audits page by page and builds reports. The generated hospital of the tests lives in the
 * development-only workspace @preaudit/his-fixtures.
 */
export * from './contract/view-contract.js';
export * from './config/source-config.js';
export * from './config/load-source-config.js';
export type { Dialect } from './db/dialects/dialect.js';
export { loadDialect } from './db/dialects/index.js';
export { localDate } from './db/dialects/dialect.js';
export { connect, compileOnly, requireDriver, DriverMissingError, type Connection } from './db/connect.js';
export { resolveViews, viewLocation, type ResolvedView, type ResolvedViews, type SelectedColumn, type ActualColumns } from './db/view-columns.js';
export { ViewQueries, nextDay, type ReadScope } from './db/view-queries.js';
export { DbSource } from './db/view-source.js';
export * from './source.js';
export { openSource } from './open-source.js';
export { asRows, cellText, type DbRow } from './db/db-rows.js';
export { normalizeValue, normalizeDateText, formatLocal, mapRow, compileRowMapper, type RowColumn } from './mapping/row-values.js';
export { assembleRequests, createAssembler, type Assembler, type PageRows, type PageColumns } from './mapping/assemble.js';
export * from './mapping/code-mapper.js';
export { SoapSource, fillArgs } from './soap/soap-source.js';
export { mapReply, payloadOf, pick, type SoapReplyMapping, type SoapChildMapping } from './soap/reply-mapping.js';
export { xmlToObject } from './soap/xml-to-object.js';
export * from './audit/rulebook-picker.js';
export * from './audit/judge.js';
export * from './audit/stats.js';
export * from './audit/audit-pages.js';
export * from './report/build-report.js';
export * from './report/report-tables.js';
export * from './report/findings-table.js';
export * from './report/export-report.js';
