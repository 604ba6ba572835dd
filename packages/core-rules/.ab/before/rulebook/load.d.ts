import type { RuleCase, RulebookFiles, RulebookManifest, RulebookProblem } from './types.js';
import { type KnowledgeTable } from '../knowledge/table.js';
import { type CompiledRule } from '../evaluate/compile-rules.js';
/** A rulebook that passed validation: its manifest, tables, compiled rules and test cases. */
export interface LoadedRulebook {
    manifest: RulebookManifest;
    tables: ReadonlyMap<string, KnowledgeTable>;
    rules: CompiledRule[];
    cases: RuleCase[];
    files: RulebookFiles;
}
/** Outcome of loading: the rulebook, or every problem found (never an exception). */
export type LoadResult = {
    ok: true;
    rulebook: LoadedRulebook;
} | {
    ok: false;
    problems: RulebookProblem[];
};
/** The JSON Schema of rulebook.json. */
export declare const RULEBOOK_SCHEMA: object;
/**
 * Validates a rulebook given as data: the manifest against the JSON Schema, every knowledge
 * table, every rule's template params and knowledge rows, conditions, message placeholders and
 * test cases. Reports every problem with the rule id and the field; never throws.
 */
export declare function loadRulebook(files: RulebookFiles): LoadResult;
//# sourceMappingURL=load.d.ts.map