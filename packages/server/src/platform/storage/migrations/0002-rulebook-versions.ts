/**
 * Rulebook lifecycle: every version the service has accepted (with its signed bundle, so it can
 * be re-activated after a restart or a rollback) and every activation (a stack: each records
 * the version it replaced, which is where a rollback returns to). Refusals are not stored
 * here; they are in the audit log. Times are ISO-8601 UTC strings, as in 0001.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rulebook_versions', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    // id@version: the name every route and log line uses.
    t.string('ref', 120).notNullable().unique();
    t.string('rulebook_id', 64).notNullable().index();
    t.string('version', 40).notNullable();
    t.string('name', 200);
    t.string('issuer', 200);
    // Wall-clock times as the rulebook states them (yyyy-MM-dd[ HH:mm:ss]).
    t.string('effective_from', 30).notNullable();
    t.string('effective_to', 30);
    // active | scheduled | pending | retired
    t.string('state', 12).notNullable().index();
    // builtin | upload | feed
    t.string('source', 12).notNullable();
    t.string('loaded_by', 80).notNullable();
    t.string('loaded_role', 32).notNullable();
    t.string('loaded_at', 30).notNullable();
    t.string('key_id', 32);
    t.string('bundle_sha256', 64);
    // The bundle as accepted (JSON); null for the built-in rulebook, which ships with the service.
    t.text('bundle', 'longtext');
    // Wall-clock moment of a scheduled activation.
    t.string('activate_at', 30);
    t.string('activated_at', 30);
    t.string('retired_at', 30);
    t.integer('rules').notNullable().defaultTo(0);
    t.integer('codes').notNullable().defaultTo(0);
    t.integer('cases_passed').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('rulebook_activations', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('time', 30).notNullable();
    t.string('ref', 120).notNullable().index();
    // The version this one replaced: where a rollback of `ref` returns to.
    t.string('previous_ref', 120);
    // start | upgrade | scheduled | command | rollback
    t.string('kind', 12).notNullable();
    t.string('actor', 80).notNullable();
  });
}

/** Drops the tables. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rulebook_activations');
  await knex.schema.dropTableIfExists('rulebook_versions');
}
