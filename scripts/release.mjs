#!/usr/bin/env node
/**
 * `npm run release`: the offline installation archive
 * release/preaudit-<version>-<platform>.tar.gz, which a hospital copies to a server with no
 * internet, extracts, and starts with Node.js alone (no npm install, no registry, no compiler).
 *
 * It holds the built workspace packages the service needs, their production dependencies copied
 * from this checkout's node_modules (so native modules such as better-sqlite3 come already built
 * for this platform and Node ABI), the national rulebook, the native bridge (Linux .so, both
 * Windows DLLs, header, example caller), the deploy/ files, start scripts and INSTALL.md.
 *
 * Why copy node_modules instead of `npm install --omit=dev` into a staging folder: workspace
 * packages are not on a registry, and better-sqlite3's install step downloads a prebuilt binary
 * or compiles one; copying what `npm ls --omit=dev` lists from the installed tree needs neither.
 *
 *   node scripts/release.mjs [--skip-build] [--out <dir>] [--without-windows]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const seconds = () => ((Date.now() - t0) / 1000).toFixed(1);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

/** The workspace whose production closure is shipped (it depends on the others it needs). */
const SERVICE = '@preaudit/server';

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function run(command, argv, opts = {}) {
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error) fail(`${command}: ${r.error.message}`);
  return r;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const serverPkg = readJson(path.join(root, 'packages/server/package.json'));
const version = serverPkg.version;
const platform = `${process.platform}-${process.arch}`;
const name = `preaudit-${version}-${platform}`;
const outDir = path.resolve(root, value('--out', 'release'));
const staging = path.join(outDir, '.staging', name);
const archive = path.join(outDir, `${name}.tar.gz`);

// 1. Build (turbo's cache makes this quick when nothing changed).
if (!flag('--skip-build')) {
  const b = run(process.execPath, [path.join(root, 'scripts/turbo.mjs'), 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit' });
  if (b.status !== 0) fail('the build failed');
}
if (!fs.existsSync(path.join(root, 'packages/server/dist/start.js'))) fail('packages/server/dist is missing: run `npm run build` first');

fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(staging, { recursive: true });

// 2. The production dependency closure of the service, as installed here.
// npm is npm.cmd on Windows, which only a shell runs.
const ls = run('npm', ['ls', '--omit=dev', '--all', '--parseable', '-w', SERVICE], { shell: process.platform === 'win32' });
const paths = [
  ...new Set(
    ls.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ),
].filter((p) => path.resolve(p) !== root && (path.relative(root, p).startsWith('node_modules') || nestedInWorkspace(p)));
if (paths.length === 0) fail(`npm ls found no production dependencies of ${SERVICE}:\n${ls.stderr}`);

/**
 * A dependency npm installed inside a workspace's own node_modules (`packages/server/node_modules/x`,
 * when the root holds another version or none): where it goes in the archive, beside that
 * workspace's copy (`node_modules/@preaudit/server/node_modules/x`); undefined for other paths.
 */
function nestedInWorkspace(p) {
  const rel = path.relative(root, p).split(path.sep);
  const at = rel.indexOf('node_modules');
  if (at < 1 || rel[0] === 'node_modules') return undefined;
  const wsDir = path.join(root, ...rel.slice(0, at));
  if (!fs.existsSync(path.join(wsDir, 'package.json'))) return undefined;
  return path.join(staging, 'node_modules', readJson(path.join(wsDir, 'package.json')).name, ...rel.slice(at));
}

/** Files of a workspace package that belong in the archive: its `files`, else dist/ and bin/. */
function copyWorkspace(src, dest) {
  const pkg = readJson(path.join(src, 'package.json'));
  const entries = pkg.files ?? ['dist', 'bin'];
  for (const entry of [...entries, 'README.md', 'LICENSE']) {
    const from = path.join(src, entry);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(dest, entry), {
      recursive: true,
      // Tests are not shipped; nor incremental build state.
      filter: (f) => !/\.test\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(f) && !f.endsWith('.tsbuildinfo') && !f.includes(`${path.sep}test-support`),
    });
  }
  delete pkg.devDependencies;
  delete pkg.scripts;
  delete pkg.tap;
  fs.writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Build leftovers of native modules that the running code never loads. */
function keepNative(pkgDir, file) {
  const rel = path.relative(pkgDir, file).split(path.sep);
  if (path.basename(pkgDir) === 'better-sqlite3') {
    if (rel[0] === 'deps' || rel[0] === 'src') return false;
    if (rel[0] === 'build' && rel.length > 1 && !(rel[1] === 'Release' && (rel.length === 2 || rel[2].endsWith('.node')))) return false;
  }
  return true;
}

let workspaces = 0;
for (const p of paths) {
  const rel = path.relative(root, p);
  const dest = nestedInWorkspace(p) ?? path.join(staging, rel);
  const real = fs.realpathSync(p);
  if (fs.lstatSync(p).isSymbolicLink() && !real.includes(`${path.sep}node_modules${path.sep}`)) {
    copyWorkspace(real, dest);
    workspaces++;
    continue;
  }
  fs.cpSync(real, dest, {
    recursive: true,
    // Nested node_modules hold their own entries in the list (or are dev-only); copy them from there.
    filter: (f) => f === real || (!path.relative(real, f).split(path.sep).includes('node_modules') && keepNative(real, f)),
  });
}

// The web console's built pages, where the service looks for them (beside @preaudit/server).
const consoleDist = path.join(root, 'packages/console/dist');
if (fs.existsSync(consoleDist)) fs.cpSync(consoleDist, path.join(staging, 'node_modules/@preaudit/console/dist'), { recursive: true });

console.log(`release: ${paths.length} packages copied (${seconds()} s)`);

// 3. The native bridge: Linux library, both Windows DLLs, the header and an example caller.
const nb = path.join(root, 'packages/native-bridge');
const native = path.join(staging, 'native');
const nativeFiles = [
  ['build/libpreaudit.so', 'linux-x64/libpreaudit.so', process.platform === 'linux'],
  ['build/win32/preaudit.dll', 'win32/preaudit.dll', !flag('--without-windows')],
  ['build/win32/preaudit.def', 'win32/preaudit.def', !flag('--without-windows')],
  ['build/win32/libpreaudit.dll.a', 'win32/libpreaudit.dll.a', !flag('--without-windows')],
  ['build/win64/preaudit.dll', 'win64/preaudit.dll', !flag('--without-windows')],
  ['build/win64/libpreaudit.dll.a', 'win64/libpreaudit.dll.a', !flag('--without-windows')],
  ['include/preaudit.h', 'include/preaudit.h', true],
  ['examples/caller.c', 'examples/caller.c', true],
  ['README.md', 'README.md', true],
];
for (const [from, to, required] of nativeFiles) {
  const src = path.join(nb, from);
  if (!fs.existsSync(src)) {
    if (required) fail(`${path.relative(root, src)} is missing (the Windows DLLs need mingw-w64: packages/native-bridge/scripts/ci-deps.sh; or pass --without-windows)`);
    continue;
  }
  fs.mkdirSync(path.dirname(path.join(native, to)), { recursive: true });
  fs.copyFileSync(src, path.join(native, to));
}

// 4. Examples, deploy files, start scripts, INSTALL.md, build information.
fs.cpSync(path.join(root, 'examples'), path.join(staging, 'examples'), { recursive: true });
if (fs.existsSync(path.join(root, 'deploy'))) {
  fs.cpSync(path.join(root, 'deploy'), path.join(staging, 'deploy'), { recursive: true, filter: (f) => !/\.test\.[cm]?[jt]s$/.test(f) });
}
fs.copyFileSync(path.join(root, 'deploy/INSTALL.md'), path.join(staging, 'INSTALL.md'));

const commit = run('git', ['rev-parse', 'HEAD']).stdout.trim() || 'unknown';
const buildInfo = {
  name: 'preaudit',
  version,
  platform,
  commit,
  built_at: new Date().toISOString(),
  node: process.version,
  // Native modules are built for this ABI: the server must run on the same Node major version.
  node_abi: process.versions.modules,
};
fs.writeFileSync(path.join(staging, 'BUILD-INFO.json'), `${JSON.stringify(buildInfo, null, 2)}\n`);
fs.writeFileSync(
  path.join(staging, 'package.json'),
  `${JSON.stringify(
    {
      name: 'preaudit-installation',
      version,
      private: true,
      type: 'module',
      description: 'preaudit, installed from the offline archive (see INSTALL.md)',
      engines: { node: `>=${process.versions.node.split('.')[0]} <${Number(process.versions.node.split('.')[0]) + 1}` },
      scripts: { start: 'node launch.mjs server', preaudit: 'node launch.mjs cli' },
    },
    null,
    2,
  )}\n`,
);

// The launcher checks the Node ABI first: a mismatch would otherwise surface as a stack trace from
// deep inside better-sqlite3. The service runs in the launcher's own process, so SIGTERM reaches it.
fs.writeFileSync(
  path.join(staging, 'launch.mjs'),
  `// Starts the service (\`node launch.mjs server\`) or the CLI (\`node launch.mjs cli <args>\`).
import { readFileSync } from 'node:fs';
const here = new URL('.', import.meta.url);
const info = JSON.parse(readFileSync(new URL('BUILD-INFO.json', here), 'utf8'));
if (process.versions.modules !== info.node_abi) {
  console.error(\`preaudit: this installation was built for Node \${info.node.split('.')[0]} (ABI \${info.node_abi}); this is Node \${process.version} (ABI \${process.versions.modules}). Install Node \${info.node.split('.')[0]}.x LTS.\`);
  process.exit(1);
}
const [what, ...rest] = process.argv.slice(2);
if (what === 'cli') {
  const { runCli } = await import(new URL('node_modules/@preaudit/server/dist/cli/main.js', here).href);
  await runCli([process.argv[0], 'preaudit', ...rest]);
} else if (what === 'server' || what === undefined) {
  await import(new URL('node_modules/@preaudit/server/dist/start.js', here).href);
} else {
  console.error('usage: node launch.mjs server | cli <command> …');
  process.exit(2);
}
`,
);
/** V8 flags of the service process: a 64 MB young-generation semi-space (see packages/server/README.md, throughput). */
const SERVICE_NODE_FLAGS = '--max-semi-space-size=64';
const sh = (body) => `#!/bin/sh\n# ${body.comment}\nhere=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)\nexec "\${PA_NODE:-node}" ${body.node ?? ''}"$here/launch.mjs" ${body.args}\n`;
fs.mkdirSync(path.join(staging, 'bin'));
fs.writeFileSync(
  path.join(staging, 'bin/preaudit-server'),
  sh({ comment: 'Starts the preaudit service (settings from the environment; see INSTALL.md).', node: `${SERVICE_NODE_FLAGS} `, args: 'server' }),
  {
    mode: 0o755,
  },
);
fs.writeFileSync(path.join(staging, 'bin/preaudit'), sh({ comment: 'The preaudit command line (check, backup, restore, rulebook, audit-log, audit).', args: 'cli "$@"' }), {
  mode: 0o755,
});
const cmd = (args, node = '') =>
  `@echo off\r\nrem See INSTALL.md. PA_NODE may name node.exe if it is not on PATH.\r\nif "%PA_NODE%"=="" set PA_NODE=node\r\n"%PA_NODE%" ${node}"%~dp0launch.mjs" ${args}\r\n`;
fs.writeFileSync(path.join(staging, 'start.cmd'), cmd('server', `${SERVICE_NODE_FLAGS} `));
fs.writeFileSync(path.join(staging, 'preaudit.cmd'), cmd('cli %*'));

// 5. The archive. tar is on every Linux and on Windows 10+ (tar.exe).
fs.rmSync(archive, { force: true });
const tar = run('tar', ['-czf', archive, '-C', path.dirname(staging), name]);
if (tar.status !== 0) fail(`tar: ${tar.stderr}`);
fs.rmSync(path.join(outDir, '.staging'), { recursive: true, force: true });
const size = fs.statSync(archive).size;
console.log(
  `release: ${path.relative(process.cwd(), archive)} (${(size / 1024 / 1024).toFixed(1)} MB; ${paths.length} packages, ${workspaces} of them from the workspace; ${seconds()} s)`,
);
