/**
 * Batch audit jobs (事中/事后): the jobs with their checkpoint, the findings they stored, and
 * the volume figures per page that reports divide by. A page's findings, figures and the job's
 * new checkpoint are written in one transaction, so a job killed mid-way resumes from its last
 * committed page with nothing lost and nothing twice (findings are also unique per job).
 * Times are ISO-8601 UTC strings, as in 0001; period bounds are wall-clock dates as given.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_jobs', (t) => {
    tableDefaults(knex, t);
    t.string('id', 40).primary();
    t.string('source', 100).notNullable().index();
    // 事中 | 事后
    t.string('phase', 8).notNullable();
    t.string('period_from', 30);
    t.string('period_to', 30);
    t.string('scenes', 60);
    t.boolean('incremental').notNullable().defaultTo(false);
    // 事中 incremental window over the HIS change timestamp: (changed_after, changed_up_to].
    t.string('changed_after', 30);
    t.string('changed_up_to', 30);
    t.integer('page_size');
    // queued | running | done | failed | cancelled
    t.string('state', 12).notNullable().index();
    t.integer('total');
    t.integer('processed').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('findings').notNullable().defaultTo(0);
    t.decimal('vola_amt', 16, 2).notNullable().defaultTo(0);
    t.integer('pages').notNullable().defaultTo(0);
    t.integer('unmapped_orders').notNullable().defaultTo(0);
    t.integer('rule_errors').notNullable().defaultTo(0);
    // The checkpoint: the source's cursor after the last committed page.
    t.string('cursor', 200);
    t.text('rulebooks', 'longtext');
    t.text('error', 'longtext');
    t.string('created_by', 80).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('started_at', 30);
    t.string('updated_at', 30);
    t.string('finished_at', 30);
    // Which process runs it, until when (a lease another process may take over once expired).
    t.string('runner', 80);
    t.string('lease_until', 30);
    // Start of the current run and what was processed before it: the rate excludes earlier runs.
    t.string('run_started_at', 30);
    t.integer('run_processed_start').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('audit_findings', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('job_id', 40).notNullable();
    t.string('jr_id', 160).notNullable();
    t.string('rule_id', 40).notNullable();
    t.string('rule_name', 100).notNullable();
    t.string('sev_deg', 2).notNullable();
    t.text('vola_cont', 'longtext');
    t.text('vola_evid', 'longtext');
    t.string('vola_bhvr_type', 40);
    t.decimal('vola_amt', 14, 2).notNullable().defaultTo(0);
    t.string('vola_amt_stas', 2);
    // Masked like every stored patient id (checks/masking.ts); mdtrt_id identifies the encounter.
    t.string('patn_id', 64);
    t.string('mdtrt_id', 64).notNullable();
    t.string('rx_id', 64);
    t.string('hilist_code', 64);
    t.string('hilist_name', 200);
    t.string('hosplist_code', 64);
    t.string('dept_codg', 64);
    t.string('dept_name', 100);
    t.string('dr_codg', 64);
    t.string('dr_name', 100);
    t.string('order_date', 30);
    t.string('med_mdtrt_type', 4);
    t.string('rulebook', 120);
    t.text('details', 'longtext');
    t.unique(['job_id', 'jr_id']);
    t.index(['job_id', 'rule_id']);
    t.index(['job_id', 'dept_codg']);
    t.index(['job_id', 'dr_codg']);
  });
  await knex.schema.createTable('audit_job_stats', (t) => {
    tableDefaults(knex, t);
    t.string('job_id', 40).notNullable();
    t.integer('page').notNullable();
    // total | dept | doctor | unmapped
    t.string('dim', 10).notNullable();
    t.string('key', 100).notNullable();
    t.string('name', 200);
    t.string('parent', 100);
    t.integer('encounters').notNullable().defaultTo(0);
    t.integer('orders').notNullable().defaultTo(0);
    t.decimal('fee', 16, 2).notNullable().defaultTo(0);
    t.index(['job_id', 'dim']);
  });
}

/** Drops the tables. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_job_stats');
  await knex.schema.dropTableIfExists('audit_findings');
  await knex.schema.dropTableIfExists('audit_jobs');
}
