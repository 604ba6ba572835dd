/** Knowledge as the engine reads it: a table's rows, and the table with where each row came from. */

/**
 * One knowledge row as parsed: plain strings/numbers/arrays by column name. Two columns are
 * read by the engine for every template: `effective_from` (first day the point applies) and
 * `effective_to` (exclusive end), both yyyy-MM-dd[ HH:mm:ss] or empty = open; an order is judged
 * by the point only when its service date (drord_begn_date, else adm_date) is inside.
 */
export type KnowledgeRow = Record<string, unknown> & { codes?: string[] };

/** A loaded knowledge table: rows plus the line each came from (for error messages). */
export interface KnowledgeTable {
  /** Table id (key in rulebook.json "knowledge"). */
  id: string;
  /** File inside the rulebook folder. */
  file: string;
  /** Rows; `codes` is always an array when the column exists. */
  rows: KnowledgeRow[];
  /** Source line (CSV) or index (JSON) of each row, for error messages. */
  lines: number[];
}
