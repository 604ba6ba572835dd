/**
 * First schema: checks, their findings, 3103 feedback and the hash-chained audit log.
 * Times are ISO-8601 UTC strings (`2025-03-01T08:00:00.000Z`): they sort as text, compare the
 * same on SQLite and PostgreSQL, and hash to the same bytes in the audit chain.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('checks', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('check_id', 40).notNullable().unique();
    t.string('time', 30).notNullable().index();
    t.string('channel', 10).notNullable();
    t.string('infno', 8);
    t.string('msgid', 64);
    t.string('task_id', 64);
    t.string('scene', 32);
    t.string('phase', 8);
    t.string('hospital', 64);
    t.string('department', 64);
    t.string('doctor', 64);
    t.string('patient', 64);
    t.integer('orders').notNullable().defaultTo(0);
    t.integer('findings_count').notNullable().defaultTo(0);
    t.text('findings', 'longtext').notNullable();
    t.text('errors', 'longtext');
    t.double('ana_dura').notNullable();
    t.string('rulebook', 120).notNullable();
    t.text('request', 'longtext');
  });
  await knex.schema.createTable('findings', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('jr_id', 80).notNullable().unique();
    t.string('check_id', 40).notNullable().index();
    t.string('time', 30).notNullable().index();
    t.string('rule_id', 64).notNullable().index();
    t.string('rule_name', 200).notNullable();
    t.string('sev_deg', 2);
    t.string('rx_id', 64);
    t.string('hilist_code', 64);
    t.double('vola_amt');
    t.string('hospital', 64);
    t.string('department', 64);
    t.string('doctor', 64);
  });
  await knex.schema.createTable('feedback', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('jr_id', 80).notNullable().unique();
    t.string('warn_type', 2);
    t.string('dspo_way', 2).notNullable();
    t.text('dspo_way_rea', 'longtext');
    t.string('time', 30).notNullable().index();
    t.string('msgid', 64);
    t.string('actor', 80);
    t.string('channel', 10);
  });
  await knex.schema.createTable('audit_log', (t) => {
    tableDefaults(knex, t);
    t.bigInteger('seq').primary();
    t.string('time', 30).notNullable().index();
    t.string('actor', 80).notNullable();
    t.string('role', 32).notNullable();
    t.string('route', 200).notNullable();
    t.string('action', 64).notNullable();
    t.string('ref', 200);
    t.string('outcome', 40).notNullable();
    t.text('detail', 'longtext');
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
  });
  // The last sequence number and hash written, in the same transaction as the rows: deleting
  // rows from the end of the log shows up as a mismatch with this head.
  await knex.schema.createTable('audit_head', (t) => {
    tableDefaults(knex, t);
    t.integer('id').primary();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
}

/** Drops the tables. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'feedback', 'findings', 'checks']) {
    await knex.schema.dropTableIfExists(table);
  }
}
