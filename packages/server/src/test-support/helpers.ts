/**
 * Test helpers for @preaudit/server: the national rulebook compiled once per test process,
 * the committed examples (real national codes) as fixtures, and an app builder with a pinned clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { AppOptions } from '../options.js';
import { apalutamideOrder } from './orders.js';

/** Repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The server's test fixtures (test/fixtures: CDS Hooks examples, test rulebooks), inside the repository. */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');

/** The evaluation time the examples are written for (after every order in them). */
export const NOW = new Date('2025-06-15T12:00:00+08:00');

/** Version of the bundled national rulebook (rulebook.json), so tests follow its bumps. */
export const NATIONAL_VERSION: string = JSON.parse(fs.readFileSync(path.join(NATIONAL_RULEBOOK_DIR, 'rulebook.json'), 'utf8')).version;

let national: CompiledRulebook | undefined;
/** The bundled national rulebook, compiled once per process. */
export function nationalRulebook(): CompiledRulebook {
  national ??= loadRulebookDir(NATIONAL_RULEBOOK_DIR);
  return national;
}

/** A committed example (examples/<name>), parsed, as a fresh copy. */
export function example<T = Record<string, any>>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as T;
}

/** Builds an app on a private in-memory SQLite with the national rulebook and the pinned clock. */
export function testApp(options: AppOptions = {}): Promise<FastifyInstance> {
  return buildApp({ rulebook: nationalRulebook(), now: () => NOW, ...options });
}

/** A unique lower-case name for a database schema of one test run. */
export function uniqueName(purpose: string): string {
  return `pa_${purpose}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The local PostgreSQL used by integration tests. */
export const PG_URL = process.env.PA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The local MariaDB (or MySQL) used by integration tests; each run works in a database of its own (`databaseSchema`). */
export const MYSQL_URL = process.env.PA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Drops a database created by a MySQL test run. */
export async function dropMysqlDatabase(name: string): Promise<void> {
  const { default: knexFactory } = await import('knex');
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('drop database if exists ??', [name]);
  } finally {
    await admin.destroy();
  }
}

/** A 3101 envelope whose single order violates 药品区分性别使用 (a male-only drug for a woman). */
export function genderViolation(msgid = 'MSG-GENDER-1'): Record<string, any> {
  return {
    infno: '3101',
    msgid,
    fixmedins_code: 'H33010000001',
    input: {
      data: {
        task_id: 'T-GENDER',
        trig_scen: '2',
        patient_dtos: [
          {
            patn_id: '330102198003150028',
            patn_name: '张某某',
            gend: '2',
            brdy: '1980-03-15',
            fsi_encounter_dtos: [
              {
                mdtrt_id: 'MZ-1',
                medins_lv: '02',
                med_mdtrt_type: '1',
                adm_dept_codg: 'D01',
                dr_codg: 'DR01',
                fsi_order_dtos: [apalutamideOrder('R1', '2025-06-10 09:00:00', { drord_dept_codg: 'D01', drord_dr_codg: 'DR01' })],
              },
            ],
          },
        ],
      },
    },
  };
}
