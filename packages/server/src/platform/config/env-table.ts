/**
 * The README's table of environment variables, generated from the schema (env-schema.ts) and
 * kept between two markers; `npm run env-table -w @preaudit/server` rewrites it, and a test fails
 * when the README differs from what this generates.
 */
import { ENV_VARIABLES, type EnvVariable } from './env-schema.js';

/** The markers around the generated table in README.md. */
const TABLE_START = '<!-- env-table:start (generated from src/platform/config/env-schema.ts by `npm run env-table -w @preaudit/server`; do not edit) -->';
const TABLE_END = '<!-- env-table:end -->';

const GROUPS: Record<EnvVariable['group'], string> = {
  service: 'service',
  storage: 'storage',
  keys: 'API keys',
  tls: 'TLS',
  logs: 'logs',
  rulebooks: 'rulebooks (RULEBOOKS.md)',
  audits: 'batch audits',
};

function kind(v: EnvVariable): string {
  if (v.valueText) return v.valueText;
  if (v.enum) return v.enum.map((e) => `\`${e}\``).join(' \\| ');
  if (v.type === 'integer')
    return v.minimum !== undefined && v.maximum !== undefined ? `integer ${v.minimum}–${v.maximum}` : v.minimum !== undefined ? `integer ≥ ${v.minimum}` : 'integer';
  if (v.patternText) return v.patternText;
  return 'text';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown table of every variable. */
export function envTable(): string {
  const lines = ['| variable | group | value | default | meaning |', '|---|---|---|---|---|'];
  for (const [name, v] of Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>) {
    const def = v.defaultText ?? (v.default !== undefined ? `\`${v.default}\`` : '–');
    lines.push(`| \`${name}\` | ${GROUPS[v.group]} | ${kind(v)} | ${def} | ${cell(v.description)} |`);
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by the generated table; throws when a marker is missing. */
export function withEnvTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md: env-table markers not found');
  return `${readme.slice(0, start + TABLE_START.length)}\n${envTable()}\n${readme.slice(end)}`;
}
