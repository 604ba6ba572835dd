import type { KnowledgeRow, RulebookProblem } from '../rulebook/types.js';
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
/** Parses a knowledge table file (CSV with header, or JSON array of objects). */
export declare function parseKnowledgeTable(id: string, file: string, text: string, problems: RulebookProblem[]): KnowledgeTable | undefined;
//# sourceMappingURL=table.d.ts.map