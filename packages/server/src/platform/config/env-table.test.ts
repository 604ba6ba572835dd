/**
 * The README documents exactly the variables the schema declares (its table is generated).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ENV_VARIABLES } from './env-schema.js';
import { envTable, withEnvTable } from './env-table.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md');

t.test('the README table is what the schema generates (npm run env-table -w @preaudit/server)', async (t) => {
  const readme = fs.readFileSync(README, 'utf8');
  t.equal(withEnvTable(readme), readme);
});

t.test('every variable the server reads is in the schema, and every one is in the table', async (t) => {
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const read = new Set<string>();
  for (const file of fs.readdirSync(src, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.includes('.test') || file.includes('test-support') || file.startsWith('cli')) continue;
    const text = fs.readFileSync(path.join(src, file), 'utf8');
    for (const m of text.matchAll(/(?:process\.env|\benv)\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
    for (const m of text.matchAll(/\bs\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
  }
  t.ok(read.size >= 10, `found ${read.size} variables read`);
  for (const name of read) t.ok(name in ENV_VARIABLES, `${name} is declared`);
  const table = envTable();
  for (const name of Object.keys(ENV_VARIABLES)) t.match(table, `| \`${name}\` |`);
  t.notMatch(fs.readFileSync(README, 'utf8'), 'PA_TRUSTED_KEYS', 'no variable that does not exist');
});
