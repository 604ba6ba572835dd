/**
 * What every table of every migration starts with. On MySQL/MariaDB: utf8mb4 (any character a
 * HIS sends) and binary collation, so unique keys and lookups compare exactly, as on SQLite and
 * PostgreSQL (the server's default collation would take `ABC` and `abc`, or `x` and `x `, as the
 * same key). Nothing on the other engines.
 */
import type { Knex } from 'knex';

/** Applies the engine-specific table settings (call first in every `createTable`). */
export function tableDefaults(knex: Knex, t: Knex.CreateTableBuilder): void {
  if ((knex.client as { dialect: string }).dialect !== 'mysql') return;
  t.charset('utf8mb4');
  t.collate('utf8mb4_bin');
}
