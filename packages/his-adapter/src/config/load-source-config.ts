/**
 * Reading the mapping file from disk (JSON or YAML) and turning its problems into one error
 * that lists every bad field, one per line.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { interpolateEnv, validateSourceConfig, type ConfigProblem, type SourceConfig } from './source-config.js';

/** Thrown when a mapping file (or the views it names) is wrong; `problems` lists every bad field. */
export class SourceConfigError extends Error {
  /** Every problem found, by field. */
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], where = 'mapping file') {
    super(`${where}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p.field || '(file)'}: ${p.message}`).join('\n')}`);
    this.name = 'SourceConfigError';
    this.problems = problems;
  }
}

/** Parses mapping-file text; YAML is a superset of JSON, but JSON files get JSON's clearer errors. */
export function parseSourceConfigText(text: string, fileName = 'source.yaml'): unknown {
  if (/\.json$/i.test(fileName)) return JSON.parse(text);
  return parseYaml(text);
}

/** Options for loading a mapping file. */
export interface LoadSourceConfigOptions {
  /** Values for `${NAME}` placeholders (the CLI passes process.env). */
  env?: Record<string, string | undefined>;
}

/**
 * Reads, interpolates and validates a mapping file. Relative SQLite file names are resolved
 * against the file's folder, so a config and its database can travel together.
 * Throws SourceConfigError listing every problem.
 */
export async function loadSourceConfig(path: string, options: LoadSourceConfigOptions = {}): Promise<SourceConfig> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = parseSourceConfigText(text, path);
  } catch (err) {
    throw new SourceConfigError([{ field: '', message: `cannot parse: ${(err as Error).message}` }], path);
  }
  const envProblems: ConfigProblem[] = [];
  raw = interpolateEnv(raw, options.env ?? {}, envProblems);
  const result = validateSourceConfig(raw);
  const problems = [...envProblems, ...(result.ok ? [] : result.problems)];
  if (problems.length || !result.ok) throw new SourceConfigError(problems, path);
  const config = result.config;
  const base = dirname(resolve(path));
  const fixSqlite = (c: { client: string; connection: unknown }) => {
    if (c.client === 'better-sqlite3' && typeof c.connection === 'object' && c.connection !== null) {
      const conn = c.connection as { filename?: unknown };
      if (typeof conn.filename === 'string' && conn.filename !== ':memory:' && !isAbsolute(conn.filename)) {
        conn.filename = resolve(base, conn.filename);
      }
    }
  };
  if (config.kind === 'database') fixSqlite(config);
  else if (config.code_map) fixSqlite(config.code_map);
  return config;
}
