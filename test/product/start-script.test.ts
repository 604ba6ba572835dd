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

// `docker stop` and `kill <pid of npm>` signal npm alone; npm forwards the signal to the script's
// shell only, so the script must `exec` node, or the service never hears it and is killed later.
t.test('npm start: SIGTERM to npm alone reaches the service, which closes gracefully', async (t) => {
  const { freePort } = await import('./support/service.js');
  const { spawn } = await import('node:child_process');
  const port = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), PA_DATA_DIR: path.join(root, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  npm.stdout.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const closed = new Promise<void>((resolve) => npm.on('close', () => resolve()));
  t.teardown(() => {
    try {
      process.kill(-npm.pid!, 'SIGKILL'); // whatever is left of the group if the test failed
    } catch {
      // all gone
    }
  });
  const deadline = Date.now() + 300_000;
  while (!new RegExp(`listening at http://127\\.0\\.0\\.1:${port}`).test(out)) {
    if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not listen:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(npm.pid!, 'SIGTERM');
  await Promise.race([closed, new Promise((r) => setTimeout(r, 20_000))]);
  t.match(out, /"msg":"closed"/, 'the service logged its graceful close');
});
