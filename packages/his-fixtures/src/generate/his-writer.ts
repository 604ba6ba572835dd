/**
 * Writing a generated hospital into any supported database: HIS-side tables with the national
 * column names, and the contract views over them (pa_encounter, pa_diagnose, pa_order,
 * pa_operation, pa_code_map), so a source with no mapping file reads it directly.
 */
import type { Knex } from 'knex';
import { VIEW_CONTRACT, PATIENT_COLUMNS, type ColumnKind } from '@preaudit/his-adapter';
import { localDate } from '@preaudit/his-adapter';
import { HisGenerator, type GenerateOptions, type Row } from './his-generator.js';

/** Where and how to write. */
export interface WriteHisOptions extends GenerateOptions {
  /** PostgreSQL schema / MySQL database / SQL Server schema / Oracle user; ignored for SQLite. */
  schema?: string;
  /** Called after each flush with the order lines written so far. */
  onProgress?: (orders: number) => void;
}

/** Bumped whenever the generator's output changes, so cached databases are regenerated. */
const GENERATOR_VERSION = 3;

/** What was written (also stored in his_meta). */
export interface HisSummary {
  /** GENERATOR_VERSION of the generator that wrote it. */
  generator: number;
  seed: number;
  from: string;
  to: string;
  requested_order_lines: number;
  patients: number;
  encounters: number;
  orders: number;
  diagnoses: number;
  operations: number;
  code_map: number;
  violation_rate: number;
  national_code_share: number;
  medins_lv: string;
}

type ColumnSpec = [name: string, kind: ColumnKind | 'int' | 'day'];

const cols = (view: keyof typeof VIEW_CONTRACT, skip: string[] = []): ColumnSpec[] => VIEW_CONTRACT[view].columns.filter((c) => !skip.includes(c.name)).map((c) => [c.name, c.kind]);

/** The HIS-side tables. */
export const HIS_TABLES: Record<string, { columns: ColumnSpec[]; key?: string[]; indexes?: string[][] }> = {
  his_dept: {
    columns: [
      ['dept_codg', 'string'],
      ['dept_name', 'string'],
    ],
    key: ['dept_codg'],
  },
  his_doctor: {
    columns: [
      ['dr_codg', 'string'],
      ['dr_name', 'string'],
      ['dept_codg', 'string'],
      ['dr_profttl', 'string'],
    ],
    key: ['dr_codg'],
  },
  his_patient: {
    columns: [
      ['patn_id', 'string'],
      ['patn_name', 'string'],
      ['gend', 'string'],
      ['brdy', 'day'],
      ['poolarea', 'string'],
      ['insutype', 'string'],
    ],
    key: ['patn_id'],
  },
  his_encounter: {
    columns: [['patn_id', 'string'], ...cols('encounters', [...PATIENT_COLUMNS])],
    key: ['mdtrt_id'],
    indexes: [['patn_id'], ['dscg_date'], ['adm_date'], ['updt_time']],
  },
  his_diagnosis: { columns: cols('diagnoses').map(([n, k]) => [n, n === 'dias_srt_no' ? 'int' : k] as ColumnSpec), indexes: [['mdtrt_id']] },
  his_order: { columns: cols('orders'), key: ['rx_id'], indexes: [['mdtrt_id']] },
  his_operation: { columns: cols('operations'), indexes: [['mdtrt_id']] },
  his_code_map: {
    columns: [
      ['hosplist_code', 'string'],
      ['hosplist_name', 'string'],
      ['hilist_code', 'string'],
      ['hilist_name', 'string'],
    ],
    key: ['hosplist_code'],
  },
  his_meta: {
    columns: [
      ['meta_key', 'string'],
      ['meta_value', 'string'],
    ],
    key: ['meta_key'],
  },
};

const TEXT_COLUMNS = new Set(['hilist_name', 'hosplist_name', 'dscg_main_dise_name', 'dise_name', 'oprn_name', 'hilist_memo', 'meta_value', 'medins_name']);

/** The knex client name ('pg', 'mysql2', …); knex types its client as `any`. */
function clientOf(knex: Knex | Knex.Transaction): string {
  return (knex.client as { config: { client: string } }).config.client;
}

function schemaOf(knex: Knex, schema?: string): Knex.SchemaBuilder {
  return schema && clientOf(knex) !== 'better-sqlite3' ? knex.schema.withSchema(schema) : knex.schema;
}

function table(knex: Knex | Knex.Transaction, name: string, schema?: string): Knex.QueryBuilder {
  return schema && clientOf(knex) !== 'better-sqlite3' ? knex.withSchema(schema).table(name) : knex.table(name);
}

/** Creates the schema (or MySQL database) when the database has such a thing. */
async function createSchema(knex: Knex, schema?: string): Promise<void> {
  if (!schema) return;
  const client = clientOf(knex);
  if (client === 'pg') await knex.raw('create schema if not exists ??', [schema]);
  else if (client === 'mysql2') await knex.raw('create database if not exists ?? character set utf8mb4', [schema]);
  else if (client === 'mssql') await knex.raw(`if schema_id(?) is null exec('create schema ' + quotename(?))`, [schema, schema]);
}

/** Drops everything the writer created (the schema itself for PostgreSQL and MySQL). */
export async function dropHis(knex: Knex, schema?: string): Promise<void> {
  const client = clientOf(knex);
  if (schema && client === 'pg') {
    await knex.raw('drop schema if exists ?? cascade', [schema]);
    return;
  }
  if (schema && client === 'mysql2') {
    await knex.raw('drop database if exists ??', [schema]);
    return;
  }
  for (const v of ['pa_encounter', 'pa_diagnose', 'pa_order', 'pa_operation', 'pa_code_map']) await schemaOf(knex, schema).dropViewIfExists(v);
  for (const t of Object.keys(HIS_TABLES)) await schemaOf(knex, schema).dropTableIfExists(t);
}

/** Creates the HIS tables and the contract views. */
export async function createHisTables(knex: Knex, schema?: string): Promise<void> {
  await createSchema(knex, schema);
  for (const [name, def] of Object.entries(HIS_TABLES)) {
    await schemaOf(knex, schema).createTable(name, (t) => {
      for (const [col, kind] of def.columns) {
        const long = TEXT_COLUMNS.has(col);
        if (kind === 'string') t.string(col, long ? 400 : 64);
        else if (kind === 'number') t.decimal(col, 14, 3);
        else if (kind === 'int') t.integer(col);
        else if (kind === 'day') t.date(col);
        else t.datetime(col, { useTz: false });
      }
      if (def.key) t.primary(def.key);
      for (const idx of def.indexes ?? []) t.index(idx);
    });
  }
  const q = (name: string) => table(knex, name, schema);
  const patient = ['patn_name', 'gend', 'brdy', 'poolarea'];
  const encounterCols = HIS_TABLES.his_encounter.columns.map(([c]) => `e.${c}`);
  const views: Array<[string, Knex.QueryBuilder]> = [
    [
      'pa_encounter',
      q('his_encounter as e')
        .join('his_patient as p', 'p.patn_id', 'e.patn_id')
        .select([...encounterCols, ...patient.map((c) => `p.${c}`)]),
    ],
    ['pa_diagnose', q('his_diagnosis').select('*')],
    ['pa_order', q('his_order').select('*')],
    ['pa_operation', q('his_operation').select('*')],
    ['pa_code_map', q('his_code_map').select('hosplist_code', 'hilist_code', 'hilist_name')],
  ];
  for (const [name, query] of views) {
    await schemaOf(knex, schema).createView(name, (v) => {
      v.as(query);
    });
  }
}

/** Reads what a previous run wrote, or null when the tables are not there. */
export async function readHisSummary(knex: Knex, schema?: string): Promise<HisSummary | null> {
  try {
    const row = (await table(knex, 'his_meta', schema).where('meta_key', 'summary').first()) as { meta_value?: unknown } | undefined;
    return typeof row?.meta_value === 'string' ? (JSON.parse(row.meta_value) as HisSummary) : null;
  } catch {
    return null;
  }
}

/** Counts the order lines actually present (a cache check must not trust the summary alone). */
export async function countOrders(knex: Knex, schema?: string): Promise<number> {
  const [row] = await table(knex, 'his_order', schema).count<Array<{ n: unknown }>>({ n: '*' });
  return Number(row.n);
}

function rowsPerInsert(client: string, columns: number): number {
  const params = client === 'mssql' ? 2000 : client === 'better-sqlite3' ? 32000 : 60000;
  // knex inserts many SQLite rows as one compound SELECT, which SQLite caps at 500 terms.
  const cap = client === 'better-sqlite3' ? 400 : 2000;
  return Math.max(1, Math.min(cap, Math.floor(params / columns)));
}

/**
 * Generates a hospital and writes it (tables, views, rows) in one transaction. The tables
 * must not exist yet; call `dropHis` first to regenerate.
 */
export async function writeHis(knex: Knex, options: WriteHisOptions = {}): Promise<HisSummary> {
  const client = clientOf(knex);
  const gen = new HisGenerator(options);
  await createHisTables(knex, options.schema);
  const dateCols = new Set(Object.values(HIS_TABLES).flatMap((t) => t.columns.filter(([, k]) => k === 'date' || k === 'day').map(([c]) => c)));
  const toDb =
    client === 'oracledb' || client === 'mssql'
      ? (r: Row): Row => {
          const out: Record<string, unknown> = { ...r };
          for (const c of dateCols) if (typeof out[c] === 'string') out[c] = localDate(out[c]);
          return out as Row;
        }
      : (r: Row) => r;
  const counts = { patients: 0, encounters: 0, orders: 0, diagnoses: 0, operations: 0, code_map: 0 };
  await knex.transaction(async (trx) => {
    const buffers = new Map<string, Row[]>();
    const flush = async (name: string) => {
      const rows = buffers.get(name);
      if (!rows || rows.length === 0) return;
      buffers.set(name, []);
      const per = rowsPerInsert(client, HIS_TABLES[name].columns.length);
      for (let i = 0; i < rows.length; i += per) await table(trx, name, options.schema).insert(rows.slice(i, i + per).map(toDb));
    };
    const push = async (name: string, rows: Row[]) => {
      let buf = buffers.get(name);
      if (!buf) buffers.set(name, (buf = []));
      for (const r of rows) buf.push(r);
      if (buf.length >= 4000) await flush(name);
    };
    const ref = gen.reference();
    await push('his_dept', ref.departments);
    await push('his_doctor', ref.doctors);
    await push('his_patient', ref.patients);
    await push('his_code_map', ref.codeMap);
    counts.patients = ref.patients.length;
    counts.code_map = ref.codeMap.length;
    let reported = 0;
    for (const e of gen.encounters()) {
      counts.encounters++;
      counts.orders += e.orders.length;
      counts.diagnoses += e.diagnoses.length;
      counts.operations += e.operations.length;
      await push('his_encounter', [e.encounter]);
      await push('his_diagnosis', e.diagnoses);
      await push('his_order', e.orders);
      if (e.operations.length) await push('his_operation', e.operations);
      if (options.onProgress && counts.orders - reported >= 20_000) {
        reported = counts.orders;
        options.onProgress(counts.orders);
      }
    }
    for (const name of buffers.keys()) await flush(name);
    const summary = makeSummary(gen, options, counts);
    await table(trx, 'his_meta', options.schema).insert({ meta_key: 'summary', meta_value: JSON.stringify(summary) });
  });
  return makeSummary(gen, options, counts);
}

function makeSummary(
  gen: HisGenerator,
  options: WriteHisOptions,
  counts: Omit<HisSummary, 'generator' | 'seed' | 'from' | 'to' | 'requested_order_lines' | 'violation_rate' | 'national_code_share' | 'medins_lv'>,
): HisSummary {
  return {
    generator: GENERATOR_VERSION,
    seed: options.seed ?? 1,
    ...gen.period,
    requested_order_lines: options.orderLines ?? 2000,
    ...counts,
    violation_rate: options.violationRate ?? 0.05,
    national_code_share: options.nationalCodeShare ?? 0.5,
    medins_lv: options.medinsLv ?? '05',
  };
}

/**
 * Writes the hospital unless an identical one (same seed, size and period, and the order
 * count in the table matching) is already there: benchmarks reuse a million-line database.
 */
export async function ensureHis(knex: Knex, options: WriteHisOptions = {}): Promise<{ summary: HisSummary; reused: boolean }> {
  const existing = await readHisSummary(knex, options.schema);
  if (
    existing &&
    existing.generator === GENERATOR_VERSION &&
    existing.seed === (options.seed ?? 1) &&
    existing.requested_order_lines === (options.orderLines ?? 2000) &&
    existing.from === (options.from ?? '2025-01-01') &&
    (await countOrders(knex, options.schema)) === existing.orders
  ) {
    return { summary: existing, reused: true };
  }
  await dropHis(knex, options.schema);
  return { summary: await writeHis(knex, options), reused: false };
}
