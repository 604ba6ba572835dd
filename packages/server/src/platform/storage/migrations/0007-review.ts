/**
 * The review queue (疑点审核): one row per finding of either source — real-time (`findings`,
 * source `rt`) and batch jobs (`audit_findings`, source `batch`) — holding its review status and
 * the columns the queue filters and sorts on, copied from the finding (see review/store.ts for
 * how rows arrive: an incremental copy by id, never a join at query time). Every action on an
 * item is a `review_events` row. Indexes serve the queue's common filter + sort combinations with
 * keyset paging: each ends in the sort columns and `id`, all in one direction.
 */
import type { Knex } from 'knex';
import { tableDefaults } from './table-defaults.js';

/** Creates the tables. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('review_items', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    // rt | batch, and the id of the finding in its table (findings.id, audit_findings.id)
    t.string('source', 8).notNullable();
    t.integer('finding_id').notNullable();
    t.string('jr_id', 160).notNullable();
    t.string('check_id', 40);
    t.string('job_id', 40);
    // 实时 | 事中 | 事后
    t.string('phase', 8).notNullable();
    // ISO-8601 UTC: the check's time (rt) or the order date (batch)
    t.string('time', 30).notNullable();
    t.string('rule_id', 64).notNullable();
    t.string('rule_name', 200).notNullable();
    t.string('sev_deg', 2);
    // 3 明确违规 … 1 轻度可疑, 0 unknown: sorts "most severe first" in the same direction as time and id
    t.integer('sev_rank').notNullable().defaultTo(0);
    t.double('vola_amt').notNullable().defaultTo(0);
    t.string('hospital', 64);
    t.string('department', 64);
    t.string('department_name', 100);
    t.string('doctor', 64);
    t.string('doctor_name', 100);
    // masked, as stored with the finding
    t.string('patient', 64);
    t.string('mdtrt_id', 64);
    t.string('rx_id', 64);
    t.string('hilist_code', 64);
    t.string('hilist_name', 200);
    // pending | confirmed | excluded | referred | explained | final
    t.string('status', 12).notNullable().defaultTo('pending');
    // yyyy-MM-dd: the department's deadline (referred)
    t.string('deadline', 10);
    // confirmed | excluded: the final decision (终审)
    t.string('final_decision', 12);
    t.text('explanation', 'longtext');
    t.string('explained_by', 80);
    t.string('explained_at', 30);
    t.string('updated_at', 30);
    t.string('updated_by', 80);
    // optimistic concurrency: every action bumps it
    t.integer('version').notNullable().defaultTo(0);
    t.unique(['source', 'finding_id']);
  });
  // Filter + sort combinations of the queue (ORDER BY <sort> desc, id desc; keyset on the same columns).
  const indexes: Array<[string, string]> = [
    ['review_items_time', 'time, id'],
    ['review_items_amount', 'vola_amt, id'],
    ['review_items_severity', 'sev_rank, time, id'],
    ['review_items_status_time', 'status, time, id'],
    ['review_items_dept_time', 'department, time, id'],
    ['review_items_dept_status_time', 'department, status, time, id'],
    ['review_items_doctor_time', 'doctor, time, id'],
    ['review_items_rule_time', 'rule_id, time, id'],
    ['review_items_job_time', 'job_id, time, id'],
  ];
  for (const [name, cols] of indexes) await knex.raw(`create index ${name} on review_items (${cols})`);

  await knex.schema.createTable('review_events', (t) => {
    tableDefaults(knex, t);
    t.increments('id').primary();
    t.integer('item_id').notNullable().index();
    t.string('time', 30).notNullable();
    t.string('actor', 80).notNullable();
    t.string('role', 32).notNullable();
    t.string('user_role', 16);
    // confirm | exclude | refer | explain | finalize
    t.string('action', 16).notNullable();
    t.string('from_status', 12).notNullable();
    t.string('to_status', 12).notNullable();
    t.text('reason', 'longtext');
    t.string('deadline', 10);
    t.string('decision', 12);
  });
}

/** Drops the tables. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('review_events');
  await knex.schema.dropTableIfExists('review_items');
}
