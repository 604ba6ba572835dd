/**
 * Rewrites the environment table of packages/server/README.md from the schema
 * (`npm run env-table -w @preaudit/server`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withEnvTable } from '../src/platform/config/env-table.js';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md');
const before = fs.readFileSync(readme, 'utf8');
const after = withEnvTable(before);
if (after !== before) fs.writeFileSync(readme, after);
process.stdout.write(after !== before ? `updated ${readme}\n` : `${readme} is up to date\n`);
