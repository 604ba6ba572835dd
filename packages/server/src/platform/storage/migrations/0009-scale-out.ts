/**
 * Past one instance: recurring audit jobs on a schedule kept in the database (`audit_schedules`;
 * each due run is claimed by one instance with a conditional update on `next_run_at`).
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_schedules', (t) => {
    tableDefaults(knex, t);
    t.string('id', 40).primary();
    t.string('name', 200).notNullable();
    t.string('source', 100).notNullable();
    t.string('phase', 10).notNullable();
    t.string('cron', 200).notNullable();
    t.string('timezone', 64).notNullable();
    t.string('period', 20).notNullable();
    t.string('scenes', 100);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.string('next_run_at', 32);
    t.string('last_run_at', 32);
    t.string('last_job_id', 40);
    t.string('last_error', 1000);
    t.string('created_by', 120).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['enabled', 'next_run_at']);
  });
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_schedules');
}
