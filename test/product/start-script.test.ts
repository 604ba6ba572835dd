/**
 * scripts/start.mjs (`npm start`) rebuilds only when a workspace package's sources are newer
 * than its build output; a changed test file or README does not count, a missing build does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ROOT } from './support/service.js';

const { staleWorkspaces } = (await import(path.join(ROOT, 'scripts/start.mjs'))) as { staleWorkspaces: (dir: string) => string[] };

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-start-'));
t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string, ageSeconds: number): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const when = new Date(Date.now() - ageSeconds * 1000);
  fs.utimesSync(file, when, when);
}

write('package.json', JSON.stringify({ workspaces: ['packages/a', 'packages/b', 'packages/c', 'docs'] }), 100);
write('packages/a/package.json', JSON.stringify({ name: 'a', main: 'dist/index.js', scripts: { build: 'tsc' } }), 100);
write('packages/a/src/index.ts', 'export {}', 100);
write('packages/a/dist/index.js', 'export {}', 50);
write('packages/b/package.json', JSON.stringify({ name: 'b', main: 'dist/index.js', scripts: { build: 'tsc' } }), 100);
write('packages/b/src/index.ts', 'export {}', 100);
write('docs/package.json', JSON.stringify({ name: 'docs' }), 100);
// An entry committed as source (like the rulebook package's index.js) is never "stale".
write('packages/c/index.js', 'export {}', 100);
write('packages/c/package.json', JSON.stringify({ name: 'c', main: 'index.js', scripts: { build: 'node build.js' } }), 1);

t.same(staleWorkspaces(root), ['b'], 'b was never built');
write('packages/b/dist/index.js', 'export {}', 50);
t.same(staleWorkspaces(root), [], 'both built after their sources: no build on start');
write('packages/a/src/index.test.ts', 'test', 1);
write('packages/a/README.md', 'docs', 1);
t.same(staleWorkspaces(root), [], 'a test or README edited: still no build');
write('packages/a/src/deep/rule.ts', 'export const x = 1', 1);
t.same(staleWorkspaces(root), ['a'], 'a source edited after the build: a is rebuilt');
