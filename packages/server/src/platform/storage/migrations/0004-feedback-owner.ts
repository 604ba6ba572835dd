/**
 * Who may dispose of a warning (3103): the caller whose check produced it. Findings remember
 * the caller (`actor`: role and key digest, as in the audit log); feedback rows say whether their
 * warning was one of ours (`known`), so dispositions of unknown ids can be counted and bounded.
 * Rows written before this migration have no actor: their owner is judged by hospital only.
 */
import type { Knex } from 'knex';

/** Adds the columns. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('findings', (t) => {
    t.string('actor', 80);
  });
  await knex.schema.alterTable('feedback', (t) => {
    t.boolean('known').notNullable().defaultTo(true).index();
  });
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('feedback', (t) => {
    t.dropIndex(['known']);
    t.dropColumn('known');
  });
  await knex.schema.alterTable('findings', (t) => {
    t.dropColumn('actor');
  });
}
