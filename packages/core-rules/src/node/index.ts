/**
 * Node-only helpers of the rules core: reading a rulebook folder from disk. The rest of the
 * package does no I/O.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RulebookFiles, RulebookProblem } from '../rulebook/types.js';
import { loadRulebook } from '../rulebook/load.js';
import { compileRulebook, type CompiledRulebook } from '../evaluate/compile.js';

/** Absolute path of the bundled national rulebook (rulebooks/nhsa-liangku in the repository). */
export const NATIONAL_RULEBOOK_DIR: string = fileURLToPath(new URL('../../../../rulebooks/nhsa-liangku', import.meta.url));

/** Thrown by loadRulebookDir: carries every problem, each naming rule id and field. */
export class RulebookLoadError extends Error {
  constructor(readonly dir: string, readonly problems: RulebookProblem[]) {
    super(`rulebook ${dir} has ${problems.length} problem(s):\n${problems.slice(0, 50).map((p) => `  ${p.rule_id ? `[${p.rule_id}] ` : ''}${p.field}: ${p.message}`).join('\n')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`);
    this.name = 'RulebookLoadError';
  }
}

const DATA_FILE = /\.(json|csv)$/i;

/** Reads rulebook.json and every .json/.csv file under the folder (hidden folders skipped). */
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
  walk(dir);
  delete files['rulebook.json'];
  return { manifest, files };
}

/** Reads, validates and compiles a rulebook folder; throws RulebookLoadError listing every problem. */
export function loadRulebookDir(dir: string = NATIONAL_RULEBOOK_DIR): CompiledRulebook {
  const loaded = loadRulebook(readRulebookDir(dir));
  if (!loaded.ok) throw new RulebookLoadError(dir, loaded.problems);
  return compileRulebook(loaded.rulebook);
}
