/**
 * People, not keys: console users (named accounts with a user role), their sessions, and the
 * user changes made from the command line while the service may be running, which the service
 * copies into the trail (one process writes the trail's chain). Times are ISO-8601 UTC strings.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    // Login name, lower-case; the trail's actor.
    t.string('username', 64).notNullable().unique();
    t.string('display_name', 100).notNullable();
    // reviewer | head | dept-head | bureau | admin
    t.string('user_role', 16).notNullable();
    // JSON array of HIS department codes (dept-head only).
    t.text('departments');
    // scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
    t.string('password_hash', 255).notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.integer('failed_attempts').notNullable().defaultTo(0);
    // Start of the current window of failures, and the end of a lockout.
    t.string('first_failed_at', 30);
    t.string('locked_until', 30);
    t.string('last_login_at', 30);
    t.string('password_changed_at', 30);
    t.string('created_by', 80).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_by', 80).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('sessions', (t) => {
    tableDefaults(knex, t);
    // SHA-256 (hex) of the random 256-bit token the cookie holds; the token itself is never stored.
    t.string('id_hash', 64).primary();
    t.integer('user_id').notNullable().index();
    t.string('created_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    // Absolute end, and the idle timeout (seconds) counted from last_seen_at.
    t.string('expires_at', 30).notNullable().index();
    t.integer('idle_timeout_s').notNullable();
    t.string('ip', 64);
    t.string('user_agent', 200);
  });
  await knex.schema.createTable('user_events', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.string('time', 30).notNullable();
    t.string('actor', 80).notNullable();
    t.string('action', 64).notNullable();
    t.string('username', 64).notNullable();
    t.text('detail');
    // false until the service has appended the event to the trail.
    t.boolean('recorded').notNullable().defaultTo(false).index();
  });
}

/** Drops the tables. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('user_events');
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('users');
}
