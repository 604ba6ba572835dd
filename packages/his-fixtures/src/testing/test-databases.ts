/**
 * Test support: the databases integration tests run against, chosen from the environment
 * (PREAUDIT_TEST_DBS=sqlite,pg,mysql by default; PREAUDIT_TEST_PG / PREAUDIT_TEST_MYSQL hold
 * connection URLs, defaulting to the servers on this machine), and a generated hospital in a
 * uniquely named schema (or database, or file) that is dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { connect, type DbClient, type DbSourceConfig } from '@preaudit/his-adapter';
import { dropHis, writeHis, type HisSummary, type WriteHisOptions } from '../generate/his-writer.js';

/** One database to test against. */
export interface TestDatabase {
  /** Short name used in test titles and the env list. */
  name: 'sqlite' | 'pg' | 'mysql';
  /** knex client. */
  client: DbClient;
}

const ALL: TestDatabase[] = [
  { name: 'sqlite', client: 'better-sqlite3' },
  { name: 'pg', client: 'pg' },
  { name: 'mysql', client: 'mysql2' },
];

/** The databases selected by PREAUDIT_TEST_DBS (default all three). */
export function testDatabases(): TestDatabase[] {
  const wanted = (process.env.PREAUDIT_TEST_DBS ?? 'sqlite,pg,mysql').split(',').map((s) => s.trim());
  return ALL.filter((d) => wanted.includes(d.name));
}

/** A unique name for a schema/database/file: pa_<purpose>_<random>. */
export function uniqueName(purpose: string): string {
  return `pa_${purpose}_${randomBytes(4).toString('hex')}`;
}

/** Connection settings of a test database (the schema is separate). */
export function connectionOf(db: TestDatabase, file?: string): DbSourceConfig['connection'] {
  if (db.client === 'pg') return process.env.PREAUDIT_TEST_PG ?? { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
  if (db.client === 'mysql2') return process.env.PREAUDIT_TEST_MYSQL ?? { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };
  return { filename: file! };
}

/** A generated hospital in a test database. */
export interface TestHospital {
  /** The database. */
  db: TestDatabase;
  /** A source configuration reading the contract views. */
  config: DbSourceConfig;
  /** An open connection (for setting up extra views). */
  knex: Knex;
  /** Schema/database holding the data (undefined for SQLite). */
  schema?: string;
  /** What was generated. */
  summary: HisSummary;
}

/** Generates a hospital in its own schema, runs `fn`, drops everything even when `fn` fails. */
export async function withHospital<T>(db: TestDatabase, options: WriteHisOptions, fn: (h: TestHospital) => Promise<T>): Promise<T> {
  const name = uniqueName('his');
  const dir = db.client === 'better-sqlite3' ? mkdtempSync(join(tmpdir(), `${name}-`)) : undefined;
  const connection = connectionOf(db, dir && join(dir, 'his.db'));
  const schema = db.client === 'better-sqlite3' ? undefined : name;
  const { knex } = await connect({ client: db.client, connection });
  try {
    const summary = await writeHis(knex, { ...options, schema });
    const config: DbSourceConfig = {
      kind: 'database',
      name: `test-${db.name}`,
      client: db.client,
      connection,
      schema,
      page_size: 50,
      page_encounters: 2000,
      views: {},
      code_cache_size: 10_000,
    };
    return await fn({ db, config, knex, schema, summary });
  } finally {
    await dropHis(knex, schema).catch(() => undefined);
    await knex.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** A table or view reference inside the hospital's schema. */
export function inSchema(h: Pick<TestHospital, 'knex' | 'schema'>, name: string): Knex.QueryBuilder {
  return h.schema ? h.knex.withSchema(h.schema).table(name) : h.knex.table(name);
}
