/**
 * The list of migrations, in order. Listed here (not discovered on disk) so they run the same
 * from `src/` under tsx and from `dist/`. To add one: create `NNNN-name.ts` beside this file and
 * append a line below. They run on SQLite, PostgreSQL and MySQL/MariaDB: start every
 * `createTable` with `tableDefaults(knex, t)` and give large text columns `'longtext'` (MySQL's
 * plain TEXT holds 64 KB; the other engines ignore the type).
 */
import type { Knex } from 'knex';
import * as initial from './0001-initial.js';
import * as rulebookVersions from './0002-rulebook-versions.js';
import * as auditJobs from './0003-audit-jobs.js';
import * as feedbackOwner from './0004-feedback-owner.js';
import * as users from './0006-users.js';
import * as review from './0007-review.js';
import * as analytics from './0008-analytics.js';
import * as scaleOut from './0009-scale-out.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: Array<[name: string, migration: Migration]> = [
  ['0001-initial', initial],
  ['0002-rulebook-versions', rulebookVersions],
  ['0003-audit-jobs', auditJobs],
  ['0004-feedback-owner', feedbackOwner],
  ['0006-users', users],
  ['0007-review', review],
  ['0008-analytics', analytics],
  ['0009-scale-out', scaleOut],
];

/** A knex migration source over the list above. */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return MIGRATIONS.map(([name]) => name);
  },
  getMigrationName(name) {
    return name;
  },
  async getMigration(name) {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};

/** Runs every pending migration. */
export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
