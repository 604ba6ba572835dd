/**
 * Former names of the compile steps, kept while server and his-adapter still import them; remove
 * once they call compileRulebookFiles and indexRulebook.
 */
import { compileRulebookFiles } from './rulebook/compile-files.js';
import { indexRulebook } from './evaluate/code-index.js';
import type { CompiledRules, CompileResult } from './rulebook/compile-files.js';
/** @deprecated Renamed {@link compileRulebookFiles}: it validates and compiles, it does not read files. */
export const loadRulebook = compileRulebookFiles;
/** @deprecated Renamed {@link indexRulebook}: it builds the code index of compiled rules. */
export const compileRulebook = indexRulebook;
/** @deprecated Renamed {@link CompiledRules}. */
export type LoadedRulebook = CompiledRules;
/** @deprecated Renamed {@link CompileResult}. */
export type LoadResult = CompileResult;
