/**
 * Node-only helpers of the rules core: reading a rulebook folder from disk. The rest of the
 * package does no I/O.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { RulebookFiles, RulebookProblem } from '../rulebook/types.js';
import { compileRulebookFiles } from '../rulebook/compile-files.js';
import { indexRulebook, type CompiledRulebook } from '../evaluate/code-index.js';

/** Thrown by loadRulebookDir: carries every problem, each naming rule id and field. */
export class RulebookLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: RulebookProblem[],
  ) {
    super(
      `rulebook ${dir} has ${problems.length} problem(s):\n${problems
        .slice(0, 50)
        .map((p) => `  ${p.rule_id ? `[${p.rule_id}] ` : ''}${p.field}: ${p.message}`)
        .join('\n')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`,
    );
    this.name = 'RulebookLoadError';
  }
}

const DATA_FILE = /\.(json|csv)$/i;

/** The knowledge files a manifest names (relative paths inside the folder); none if it does not parse. */
function knowledgeFiles(manifestText: string): string[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return []; // compileRulebookFiles reports the manifest itself
  }
  const knowledge = (manifest as { knowledge?: unknown } | null)?.knowledge;
  if (typeof knowledge !== 'object' || knowledge === null) return [];
  return Object.values(knowledge)
    .map((ref) => (ref as { file?: unknown } | null)?.file)
    .filter((file): file is string => typeof file === 'string');
}

/**
 * Reads a rulebook folder: rulebook.json, the knowledge files the manifest names, and every
 * .json/.csv file under cases/ (hidden entries skipped). Nothing else in the folder is part of
 * the rulebook, so a folder can also hold a package.json, sources and build tooling (the
 * national rulebook does) without them landing in bundles and diffs. A named file that is
 * missing, or outside the folder, is left out: compileRulebookFiles reports it.
 */
export function readRulebookDir(dir: string): RulebookFiles {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (DATA_FILE.test(name)) files[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  let manifest: string;
  try {
    manifest = readFileSync(join(dir, 'rulebook.json'), 'utf8');
  } catch (e) {
    throw new RulebookLoadError(dir, [{ field: 'rulebook.json', message: `cannot read: ${(e as Error).message}` }]);
  }
  const root = resolve(dir);
  for (const file of knowledgeFiles(manifest)) {
    const full = resolve(root, file);
    if (!full.startsWith(root + sep) || !existsSync(full) || statSync(full).isDirectory()) continue;
    files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  if (existsSync(join(dir, 'cases')) && statSync(join(dir, 'cases')).isDirectory()) walk(join(dir, 'cases'));
  return { manifest, files };
}

/** Loads a rulebook folder: reads it, compiles it and indexes it; throws RulebookLoadError listing every problem. */
export function loadRulebookDir(dir: string): CompiledRulebook {
  const compiled = compileRulebookFiles(readRulebookDir(dir));
  if (!compiled.ok) throw new RulebookLoadError(dir, compiled.problems);
  return indexRulebook(compiled.rulebook);
}
