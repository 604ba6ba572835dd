/**
 * The hospital's own layer (本院规则层) above the bureau's rulebook: its versions (draft →
 * tested → active → retired, with the file as uploaded), its activations (a stack, as for
 * rulebooks: each names the version it replaced), and its exemptions (白名单), which are also
 * the exemption requests: a department's request is a row in state `requested` until the
 * insurance office approves or rejects it. `used` counts the findings an exemption suppressed
 * (its cap is checked against it). Findings gain `exemption_id`: a finding an exemption
 * suppressed is not shown to the doctor but is stored, with the exemption that hid it.
 * Times are ISO-8601 UTC strings, as in 0001.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables and the column. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('layer_versions', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    // layer id@version: the name every route and log line uses.
    t.string('ref', 120).notNullable().unique();
    t.string('layer_id', 64).notNullable().index();
    t.string('version', 40).notNullable();
    t.string('name', 200);
    // draft | tested | active | retired
    t.string('state', 12).notNullable().index();
    // upload | import
    t.string('source', 12).notNullable();
    // The layer file as uploaded (JSON).
    t.text('file', 'longtext').notNullable();
    t.string('file_sha256', 64).notNullable();
    t.string('created_by', 80).notNullable();
    t.string('created_role', 32).notNullable();
    t.string('created_at', 30).notNullable();
    // The rulebook id@version the last test ran against, and its outcome.
    t.string('tested_against', 120);
    t.string('tested_at', 30);
    t.string('tested_by', 80);
    t.integer('cases_passed').notNullable().defaultTo(0);
    t.integer('cases_failed').notNullable().defaultTo(0);
    t.string('activated_at', 30);
    t.string('retired_at', 30);
    t.integer('local_rules').notNullable().defaultTo(0);
    t.integer('overrides').notNullable().defaultTo(0);
    t.integer('exemptions').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('layer_activations', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('time', 30).notNullable();
    t.string('ref', 120).notNullable().index();
    // The version this one replaced (null: no layer before): where a rollback of `ref` returns to.
    t.string('previous_ref', 120);
    // command | rollback
    t.string('kind', 12).notNullable();
    t.string('actor', 80).notNullable();
    // The rulebook active at the time, and the conflict report shown (JSON).
    t.string('rulebook', 120);
    t.text('conflicts', 'longtext');
  });
  await knex.schema.createTable('layer_exemptions', (t) => {
    tableDefaults(knex, t);
    t.string('id', 40).primary();
    // requested | approved | rejected | revoked
    t.string('status', 12).notNullable().index();
    // request (a department asked) | direct (the insurance office) | layer (an entry of the active layer file)
    t.string('origin', 12).notNullable();
    // origin layer: the layer version it came with.
    t.string('layer_ref', 120);
    // The scope as the engine reads it (JSON: rule_id, dept_codg, dr_codg, patient, hilist_code,
    // diagnosis_prefix, insutype); the patient as its key (SHA-256), never the id.
    t.text('scope', 'longtext').notNullable();
    // Copies of the scope's rule and departments (comma-joined) for lists and department scoping.
    t.string('rule_id', 64).index();
    t.string('dept_codg', 200).index();
    // The patient as shown (masked id).
    t.string('patient_masked', 64);
    t.text('reason', 'longtext').notNullable();
    // Wall-clock or ISO bounds; null = open.
    t.string('valid_from', 30);
    t.string('valid_to', 30);
    t.integer('cap');
    t.integer('used').notNullable().defaultTo(0);
    t.string('requested_by', 80).notNullable();
    t.string('requested_role', 32).notNullable();
    t.string('requested_at', 30).notNullable();
    t.string('decided_by', 80);
    t.string('decided_at', 30);
    t.text('decision_reason', 'longtext');
  });
  await knex.schema.alterTable('findings', (t) => {
    // Set when an exemption suppressed the finding (not shown, stored for the cost report).
    t.string('exemption_id', 40).index();
  });
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('findings', (t) => {
    t.dropIndex(['exemption_id']);
    t.dropColumn('exemption_id');
  });
  await knex.schema.dropTableIfExists('layer_exemptions');
  await knex.schema.dropTableIfExists('layer_activations');
  await knex.schema.dropTableIfExists('layer_versions');
}
