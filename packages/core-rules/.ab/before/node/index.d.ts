import type { RulebookFiles, RulebookProblem } from '../rulebook/types.js';
import { type CompiledRulebook } from '../evaluate/compile.js';
/** Thrown by loadRulebookDir: carries every problem, each naming rule id and field. */
export declare class RulebookLoadError extends Error {
    readonly dir: string;
    readonly problems: RulebookProblem[];
    constructor(dir: string, problems: RulebookProblem[]);
}
/**
 * Reads a rulebook folder: rulebook.json, the knowledge files the manifest names, and every
 * .json/.csv file under cases/ (hidden entries skipped). Nothing else in the folder is part of
 * the rulebook, so a folder can also hold a package.json, sources and build tooling (the
 * national rulebook does) without them landing in bundles and diffs. A named file that is
 * missing, or outside the folder, is left out: loadRulebook reports it.
 */
export declare function readRulebookDir(dir: string): RulebookFiles;
/** Reads, validates and compiles a rulebook folder; throws RulebookLoadError listing every problem. */
export declare function loadRulebookDir(dir: string): CompiledRulebook;
//# sourceMappingURL=index.d.ts.map