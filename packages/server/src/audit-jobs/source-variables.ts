/**
 * Which environment variables the HIS mapping files name (`${NAME}`), so the service hands the
 * sources those values only, never the whole environment (API keys, DATABASE_URL's password).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A mapping file of a sources folder. */
export const SOURCE_FILE = /\.(ya?ml|json)$/i;

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names referenced as `${NAME}` by the mapping files of `dir`, sorted. */
export function referencedVariables(dir: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!SOURCE_FILE.test(file)) continue;
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(PLACEHOLDER)) names.add(m[1]);
  }
  return [...names].sort();
}

/** The values of `names` in `env` (unset ones left out, so the source reports them as not set). */
export function pickVariables(env: Record<string, string | undefined>, names: readonly string[]): Record<string, string> {
  const picked = Object.create(null) as Record<string, string>;
  for (const name of names) {
    const v = env[name];
    if (v !== undefined) picked[name] = v;
  }
  return picked;
}
