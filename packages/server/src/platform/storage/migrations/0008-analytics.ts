/**
 * Management analytics (issue 14 pages 总览/科室医生/遵从率, issue 15):
 * - `analytics_day`: per local day, the real-time checks and findings summed at several grains
 *   (department, doctor, rule, department×rule, doctor×rule), so the overview and the drill-down
 *   read a few thousand summary rows instead of a million findings. Keys are '' rather than null.
 * - `analytics_days`: which days are summed, when, and the feedback time seen then (later 3103
 *   feedback on a summed day makes it stale).
 * - `analytics_quotas`: 科室定额, one row per version (history kept; the current row has
 *   `superseded_at` null).
 * - Indexes the drill-down to encounters needs (checks and findings by department/doctor and time).
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_day', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('day', 10).notNullable();
    // dept | doc | rule | dept_rule | doc_rule
    t.string('grain', 10).notNullable();
    t.string('hospital', 64).notNullable().defaultTo('');
    t.string('department', 64).notNullable().defaultTo('');
    t.string('doctor', 64).notNullable().defaultTo('');
    t.string('rule_id', 64).notNullable().defaultTo('');
    t.string('rule_name', 200).notNullable().defaultTo('');
    t.integer('checks').notNullable().defaultTo(0);
    t.integer('flagged_checks').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('engine_errors').notNullable().defaultTo(0);
    t.double('ana_sum').notNullable().defaultTo(0);
    t.double('ana_max').notNullable().defaultTo(0);
    t.integer('le_10').notNullable().defaultTo(0);
    t.integer('le_50').notNullable().defaultTo(0);
    t.integer('le_100').notNullable().defaultTo(0);
    t.integer('le_300').notNullable().defaultTo(0);
    t.integer('le_1000').notNullable().defaultTo(0);
    t.integer('over_1000').notNullable().defaultTo(0);
    t.integer('findings').notNullable().defaultTo(0);
    t.double('vola_amt').notNullable().defaultTo(0);
    t.integer('continued').notNullable().defaultTo(0);
    t.integer('modified').notNullable().defaultTo(0);
    t.index(['grain', 'day']);
    t.index(['grain', 'department', 'day']);
    t.index(['grain', 'doctor', 'day']);
    t.index(['day']);
  });
  await knex.schema.createTable('analytics_days', (t) => {
    tableDefaults(knex, t);
    t.string('day', 10).primary();
    t.string('rolled_at', 30).notNullable();
  });
  await knex.schema.createTable('analytics_state', (t) => {
    tableDefaults(knex, t);
    t.string('key', 40).primary();
    t.string('value', 200).notNullable();
  });
  await knex.schema.createTable('analytics_quotas', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('department', 64).notNullable();
    // all | general_outpatient | chronic_outpatient | inpatient | maternity
    t.string('category', 24).notNullable();
    // cost_per_visit (次均费用) | cost_per_patient (人均定额)
    t.string('metric', 24).notNullable();
    // yyyy | yyyy-Qn | yyyy-MM
    t.string('period', 10).notNullable();
    t.decimal('amount', 14, 2).notNullable();
    t.string('method', 40);
    t.text('basis', 'longtext');
    t.text('reason', 'longtext');
    t.string('set_by', 80).notNullable();
    t.string('set_at', 30).notNullable();
    t.string('superseded_at', 30);
    t.index(['department', 'period']);
    t.index(['period', 'superseded_at']);
  });
  await knex.schema.alterTable('checks', (t) => {
    t.index(['department', 'time'], 'checks_department_time_index');
    t.index(['doctor', 'time'], 'checks_doctor_time_index');
  });
  await knex.schema.alterTable('findings', (t) => {
    t.index(['department', 'time'], 'findings_department_time_index');
    t.index(['doctor', 'time'], 'findings_doctor_time_index');
  });
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('findings', (t) => {
    t.dropIndex(['department', 'time'], 'findings_department_time_index');
    t.dropIndex(['doctor', 'time'], 'findings_doctor_time_index');
  });
  await knex.schema.alterTable('checks', (t) => {
    t.dropIndex(['department', 'time'], 'checks_department_time_index');
    t.dropIndex(['doctor', 'time'], 'checks_doctor_time_index');
  });
  for (const table of ['analytics_quotas', 'analytics_state', 'analytics_days', 'analytics_day']) await knex.schema.dropTableIfExists(table);
}
