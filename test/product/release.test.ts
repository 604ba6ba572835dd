/**
 * The offline installation archive (`npm run release` → scripts/release.mjs): built from the
 * current build, extracted into an empty folder, started there with every registry unreachable
 * (npm_config_offline, a registry URL on a closed port, an empty HOME), it answers 3101 with
 * findings; the CLI inside it checks a file; the shipped C example, compiled against the shipped
 * header and .so, calls the service through the native bridge; the 32-bit DLL exports its entries
 * undecorated. Wall time: the archive (~30 MB) takes 20–40 s to build on an idle 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freePort, ROOT, startService } from './support/service.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-release-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8')).version as string;
const name = `preaudit-${version}-${process.platform}-${process.arch}`;
const hasMingw = fs.existsSync(path.join(ROOT, 'packages/native-bridge/build/win32/preaudit.dll'));

// No registry, no npm cache, no user configuration: only what the archive holds.
const OFFLINE = {
  npm_config_offline: 'true',
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_cache: path.join(tmp, 'empty-npm-cache'),
  HOME: path.join(tmp, 'home'),
};

t.test('npm run release builds an archive that installs and serves 3101 with no registry', async (t) => {
  const out = path.join(tmp, 'out');
  const started = Date.now();
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/release.mjs'), '--skip-build', '--out', out, ...(hasMingw ? [] : ['--without-windows'])], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  t.equal(build.status, 0, `release.mjs: ${build.stderr}`);
  const archive = path.join(out, `${name}.tar.gz`);
  t.ok(fs.existsSync(archive), archive);
  t.comment(`archive built in ${((Date.now() - started) / 1000).toFixed(1)} s, ${(fs.statSync(archive).size / 1024 / 1024).toFixed(1)} MB`);

  const install = path.join(tmp, 'install');
  fs.mkdirSync(install);
  fs.mkdirSync(OFFLINE.HOME);
  t.equal(spawnSync('tar', ['-xzf', archive, '-C', install]).status, 0, 'extracted');
  const dir = path.join(install, name);
  for (const f of [
    'INSTALL.md',
    'BUILD-INFO.json',
    'bin/preaudit-server',
    'bin/preaudit',
    'start.cmd',
    'preaudit.cmd',
    'native/include/preaudit.h',
    'native/examples/caller.c',
    'native/linux-x64/libpreaudit.so',
    'deploy/systemd/preaudit.service',
    'deploy/windows/preaudit-service.xml',
  ]) {
    t.ok(fs.existsSync(path.join(dir, f)), f);
  }
  t.ok((fs.statSync(path.join(dir, 'bin/preaudit-server')).mode & 0o111) !== 0, 'bin/preaudit-server is executable');
  t.notOk(fs.existsSync(path.join(dir, 'node_modules/tap')), 'no development dependencies');
  t.notOk(fs.existsSync(path.join(dir, 'node_modules/typescript')), 'no TypeScript');
  t.ok(fs.existsSync(path.join(dir, 'node_modules/@preaudit/nhsa-liangku/rulebook.json')), 'the national rulebook');
  // The HIS adapter's drivers are optional peers; the service depends on all five, so the archive has them.
  for (const driver of ['pg', 'mysql2', 'mssql', 'oracledb', 'better-sqlite3']) t.ok(fs.existsSync(path.join(dir, 'node_modules', driver, 'package.json')), `driver ${driver}`);
  t.notOk(fs.existsSync(path.join(dir, 'node_modules/@preaudit/his-fixtures')), 'no generated-hospital fixtures');
  t.notOk(fs.existsSync(path.join(dir, 'node_modules/@preaudit/his-adapter/dist/generate')), 'no generator in the adapter');
  t.notOk(fs.lstatSync(path.join(dir, 'node_modules/@preaudit/server')).isSymbolicLink(), 'workspace packages are copies, not links');

  // The CLI from the archive, offline.
  const check = spawnSync(path.join(dir, 'bin/preaudit'), ['check', 'examples/3101-outpatient-violations.json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...OFFLINE },
  });
  t.equal(check.status, 1, `preaudit check exits 1 on findings: ${check.stderr}`);
  t.ok(JSON.parse(check.stdout).output.result.length > 0);

  // The service from the archive, offline, with its data outside the installation folder.
  const port = await freePort();
  const data = path.join(tmp, 'data');
  const service = await startService('bin/preaudit-server', { cwd: dir, port, env: { ...OFFLINE, PORT: String(port), PA_DATA_DIR: data } });
  t.teardown(() => service.stop());
  const res = await fetch(`http://127.0.0.1:${port}/nhsa/3101`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: fs.readFileSync(path.join(dir, 'examples/3101-outpatient-violations.json')),
  });
  t.equal(res.status, 200);
  const reply = (await res.json()) as { infcode: number; output: { result: Array<{ rule_id: string }> } };
  t.equal(reply.infcode, 0);
  t.ok(
    reply.output.result.some((f) => f.rule_id === 'GZ10000301004000'),
    'finds 药品区分性别使用 (GZ10000301004000)',
  );
  const page = await fetch(`http://127.0.0.1:${port}/console/`);
  t.equal(page.status, 200, 'the archive serves the web console');
  t.match(await page.text(), /<div id="app"|<!doctype html/i);
  t.equal((await fetch(`http://127.0.0.1:${port}/console/reminder.js`)).status, 200, 'and the reminder script');

  // The shipped C example against the shipped header and library, calling that service.
  const gcc = spawnSync('gcc', ['--version']);
  if (gcc.status === 0) {
    const exe = path.join(tmp, 'caller');
    const cc = spawnSync(
      'gcc',
      ['-std=c99', '-Inative/include', 'native/examples/caller.c', '-Lnative/linux-x64', '-lpreaudit', `-Wl,-rpath,${path.join(dir, 'native/linux-x64')}`, '-o', exe],
      { cwd: dir, encoding: 'utf8' },
    );
    t.equal(cc.status, 0, `caller.c compiles: ${cc.stderr}`);
    const call = spawnSync(exe, [`http://127.0.0.1:${port}`, 'examples/3101-outpatient-violations.json'], { cwd: dir, encoding: 'utf8' });
    t.equal(call.status, 1, `caller exits 1 (findings): ${call.stderr}`);
    t.match(call.stdout, /GZ10000301004000/);
  } else {
    t.comment('gcc not installed: the C example is not compiled');
  }

  t.ok(await service.stop(), 'SIGTERM: the service closes gracefully');
  t.ok(fs.existsSync(path.join(data, 'preaudit.sqlite')), 'the database is in PA_DATA_DIR');

  if (hasMingw) {
    for (const bits of ['win32', 'win64']) t.ok(fs.existsSync(path.join(dir, `native/${bits}/preaudit.dll`)), `${bits} DLL shipped`);
    const dump = spawnSync('objdump', ['-p', path.join(dir, 'native/win32/preaudit.dll')], { encoding: 'utf8' });
    if (dump.status === 0) {
      const names = [...dump.stdout.slice(dump.stdout.indexOf('[Ordinal/Name Pointer] Table')).matchAll(/^\t\[\s*\d+\] (\S+)$/gm)].map((m) => m[1]);
      for (const entry of ['pa_init', 'pa_call', 'pa_free', 'INIT', 'BUSINESS_HANDLE', 'business_handle']) t.ok(names.includes(entry), `32-bit DLL exports ${entry} undecorated`);
      t.notOk(
        names.some((n) => n.includes('@')),
        `no stdcall decoration (${names.filter((n) => n.includes('@')).join(', ')})`,
      );
    }
  } else {
    t.comment('mingw-w64 not installed: archive built --without-windows (CI installs it: packages/native-bridge/scripts/ci-deps.sh)');
  }
});
