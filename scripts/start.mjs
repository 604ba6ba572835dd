#!/usr/bin/env node
/**
 * `npm start`: serve packages/server from its build. The workspace is built once at install
 * (`prepare`); this only rebuilds when a package's sources are newer than its build output, so
 * an ordinary start runs no development tools. The service then runs in THIS process (imported,
 * not spawned), so SIGTERM from systemd, Docker or a terminal reaches it directly and it closes
 * gracefully; package.json runs it with `exec`, so the signal npm forwards to its script's shell
 * lands here too (test/product/start-script.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time (ms) of the files under `target`, 0 if it does not exist. */
export function newestMtime(target, skip = () => false) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return skip(target) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'build') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry), skip));
  }
  return newest;
}

// Tests do not end up in dist/, so editing one does not call for a rebuild.
const isTest = (file) => /\.test\.[cm]?[jt]s$/.test(file) || file.includes(`${path.sep}test-support${path.sep}`);

/**
 * The workspace packages whose build output is older than their sources (or missing).
 * A package's build is judged by its entry point (package.json `main`): tsc rewrites every
 * output file on each build, so the entry's time is the build's time.
 */
export function staleWorkspaces(dir = root) {
  const rootPkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const stale = [];
  for (const ws of rootPkg.workspaces ?? []) {
    const wsDir = path.join(dir, ws);
    let pkg;
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(wsDir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    // Only packages whose entry is a build output (turbo.json's outputs: dist/, build/); an entry
    // committed as source (the rulebook package's index.js) has nothing to rebuild.
    if (!pkg.scripts?.build || !/^(\.\/)?(dist|build)\//.test(pkg.main ?? '')) continue;
    const built = newestMtime(path.join(wsDir, pkg.main));
    const sources = Math.max(...['src', 'include', 'Makefile', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => newestMtime(path.join(wsDir, p), isTest)));
    if (built === 0 || sources > built) stale.push(pkg.name);
  }
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stale = staleWorkspaces();
  if (stale.length > 0) {
    console.error(`preaudit: sources changed in ${stale.join(', ')}; building first`);
    const turbo = spawnSync(process.execPath, [path.join(root, 'scripts/turbo.mjs'), 'run', 'build', '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (turbo.status !== 0) {
      console.error('preaudit: the build failed (see above); not starting');
      process.exit(turbo.status ?? 1);
    }
    // A cache hit may leave identical outputs untouched; mark them current so the next start
    // does not rebuild again.
    const now = new Date();
    for (const ws of JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces ?? []) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, ws, 'package.json'), 'utf8'));
        if (stale.includes(pkg.name)) fs.utimesSync(path.join(root, ws, pkg.main), now, now);
      } catch {
        // a workspace without a build: nothing to mark
      }
    }
  }
  await import(pathToFileURL(path.join(root, 'packages/server/dist/start.js')).href);
}
