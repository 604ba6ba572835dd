/**
 * @preaudit/his-fixtures (private, development only): a realistic generated hospital for
 * `preaudit generate`, the integration tests and the benchmarks. The published
 * @preaudit/his-adapter holds no generator; the test databases are at `./testing`.
 */
export { HisGenerator, type GenerateOptions, type EncounterRows, type ReferenceRows } from './generate/his-generator.js';
export { loadCatalog, type Catalog, type CatalogItem } from './generate/catalog.js';
export { writeHis, ensureHis, dropHis, createHisTables, readHisSummary, countOrders, HIS_TABLES, type HisSummary, type WriteHisOptions } from './generate/his-writer.js';
