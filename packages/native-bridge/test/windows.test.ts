/**
 * The Windows DLLs, cross-built with mingw-w64: what they export and import (objdump),
 * how the 32-bit exports return (stdcall pops its arguments: `ret $N`), and the 64-bit
 * test program run under wine64 against the real service on loopback.
 */
import t, { type Test } from 'tap';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { BUILD_DIR } from '../src/library-path.js';
import { IN_CI, hasMingw, make } from './support/native.js';
import { startService, type RunningService } from './support/service.js';
import { startStubs, type Stubs } from './support/stub-servers.js';
import { FIXTURES_DIR } from './support/fixtures.js';
import { parseTap, programArgs } from './support/c-program.js';

/** Every export and the bytes of arguments a __stdcall callee pops on 32-bit Windows (null: cdecl). */
const EXPORTS: Record<string, number | null> = {
  pa_options_init: 8,
  pa_init: 4,
  pa_init_options: 4,
  pa_shutdown: 0,
  pa_call: 12,
  pa_free: 4,
  pa_last_error: 0,
  pa_last_error_code: 0,
  pa_version: 0,
  INIT: 4,
  BUSINESS_HANDLE: 8,
  business_handle: 16,
  INIT_cdecl: null,
  BUSINESS_HANDLE_cdecl: null,
  business_handle_cdecl: null,
};
/** DLLs every Windows since XP ships; nothing else may be needed beside preaudit.dll. */
const SYSTEM_DLLS = ['KERNEL32.dll', 'WS2_32.dll', 'msvcrt.dll'];

const dll32 = path.join(BUILD_DIR, 'win32', 'preaudit.dll');
const dll64 = path.join(BUILD_DIR, 'win64', 'preaudit.dll');
const mingw = hasMingw();

if (!mingw) {
  if (IN_CI) t.fail('mingw-w64 is not installed (scripts/ci-deps.sh installs it)');
  else t.plan(0, 'mingw-w64 is not installed here: the Windows DLLs are not built');
} else {
  make('win32', 'win64');
}

function objdump(...args: string[]): string {
  const result = spawnSync('objdump', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** Export name -> RVA, from objdump -p. */
function exportTable(dll: string): Map<string, number> {
  const text = objdump('-p', dll);
  const rvas = [...text.matchAll(/^\t\[\s*(\d+)\] \+base\[\s*\d+\] ([0-9a-f]+) Export RVA$/gm)].map((m) => parseInt(m[2], 16));
  const names = text.slice(text.indexOf('[Ordinal/Name Pointer] Table'));
  const table = new Map<string, number>();
  for (const m of names.matchAll(/^\t\[\s*(\d+)\] (\S+)$/gm)) table.set(m[2], rvas[Number(m[1])]);
  return table;
}

function imports(dll: string): string[] {
  return [...objdump('-p', dll).matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]).sort();
}

if (mingw) {
  t.test('the 32-bit DLL exports every entry undecorated, stdcall ones popping their arguments', async (t) => {
    t.match(spawnSync('file', [dll32], { encoding: 'utf8' }).stdout ?? 'PE32', /PE32 .*Intel 80386|PE32/);
    const table = exportTable(dll32);
    t.same([...table.keys()].sort(), Object.keys(EXPORTS).sort(), "exactly the header's entries, no name@N");
    const imageBase = parseInt(/ImageBase\s+([0-9a-f]+)/.exec(objdump('-p', dll32))![1], 16);
    for (const [name, pops] of Object.entries(EXPORTS)) {
      const start = imageBase + table.get(name)!;
      const code = objdump('-d', `--start-address=0x${start.toString(16)}`, `--stop-address=0x${(start + 4096).toString(16)}`, dll32);
      const ret = /\tret\s*(\$0x[0-9a-f]+)?\s*$/m.exec(code);
      const popped = ret?.[1] ? parseInt(ret[1].slice(3), 16) : 0;
      if (pops === null) t.equal(popped, 0, `${name} is cdecl: plain ret`);
      else t.equal(popped, pops, `${name} is __stdcall: ret $${pops}`);
    }
  });

  t.test('the 64-bit DLL exports the same entries', async (t) => {
    t.same([...exportTable(dll64).keys()].sort(), Object.keys(EXPORTS).sort());
  });

  t.test('both DLLs need only what Windows ships (kernel32, ws2_32, msvcrt)', async (t) => {
    t.same(imports(dll32), SYSTEM_DLLS.slice().sort());
    t.same(imports(dll64), SYSTEM_DLLS.slice().sort());
  });

  const wine64 = ['/usr/lib/wine/wine64', '/usr/lib64/wine/wine64'].find((p) => existsSync(p)) ?? (spawnSync('wine64', ['--version']).status === 0 ? 'wine64' : undefined);
  const prefix = mkdtempSync(path.join(tmpdir(), 'pa-wine-'));
  const wineEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  // wineserver and its helpers outlive the program by seconds: stop them before removing the prefix.
  const wineserver = wine64 ? path.join(path.dirname(wine64), 'wineserver') : 'wineserver';
  t.teardown(() => {
    if (wine64) spawnSync(wineserver, ['-k'], { env: wineEnv, stdio: 'ignore', timeout: 20_000 });
    rmSync(prefix, { recursive: true, force: true });
  });

  /**
   * Run a program under wine with its output in a file: the helpers wine starts inherit the
   * program's stdout, so a pipe would stay open after the program exits.
   */
  const wineRun = (wine: string, cwd: string, args: string[], file: string): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const fd = openSync(file, 'w');
    const child = spawn(wine, args, { cwd, env: wineEnv, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    return new Promise((resolve, reject) => {
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        const output = readFileSync(file, 'utf8');
        resolve({ code, stdout: output, stderr: output });
      });
    });
  };

  /** Run build/<dir>/bridge-test.exe under `wine` against a fresh service and stubs; check its TAP. */
  const runUnderWine = async (t: Test, wine: string, dir: string): Promise<void> => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'pa-bridge-win-'));
    const [service, stubs]: [RunningService, Stubs] = await Promise.all([startService(), startStubs()]);
    t.teardown(async () => {
      await Promise.all([service.close(), stubs.close()]);
      rmSync(tmp, { recursive: true, force: true });
    });
    // Wine sees the Linux file system as drive Z:
    const winPath = (p: string): string => `Z:${p}`;
    const args = programArgs({
      fixtures: winPath(FIXTURES_DIR),
      service: service.url,
      key: service.key,
      stubs,
      tmp: winPath(tmp),
      threads: 16,
    });
    const result = await wineRun(wine, path.join(BUILD_DIR, dir), ['bridge-test.exe', ...args], path.join(tmp, 'output.txt'));
    const tap = parseTap(result.stdout);
    t.same(tap.failed, [], 'no failed check');
    t.ok(tap.passed.length >= 50 && tap.passed.length === tap.planned, `${tap.passed.length} checks passed of ${tap.planned}`);
    t.equal(result.code, 0);
  };

  t.test('the 64-bit test program passes under wine64 against the real service on loopback', async (t) => {
    if (!wine64) {
      if (IN_CI) t.fail('wine64 is not installed (scripts/ci-deps.sh installs it)');
      else t.skip('wine64 is not installed: the Windows test program cannot run here');
      return;
    }
    await runUnderWine(t, wine64, 'win64');
  });

  t.test('the 32-bit test program under wine, where 32-bit wine exists', async (t) => {
    // Debian's wine64 alone runs 64-bit programs only; 32-bit needs wine32 (i386 multiarch).
    // The program prints its usage when started without arguments, if it starts at all.
    const probeDir = mkdtempSync(path.join(tmpdir(), 'pa-wine32-'));
    t.teardown(() => rmSync(probeDir, { recursive: true, force: true }));
    // No `wine` command at all (Debian's wine64 package alone installs none): nothing to probe.
    const probe = await wineRun('wine', path.join(BUILD_DIR, 'win32'), ['bridge-test.exe'], path.join(probeDir, 'probe.txt')).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return { code: null, stdout: '', stderr: '' };
      throw err;
    });
    if (!/usage: bridge-test/.test(probe.stderr)) {
      t.skip('32-bit wine is not installed (no i386 multiarch here): the 32-bit DLL is checked with objdump above');
      return;
    }
    await runUnderWine(t, 'wine', 'win32');
  });
}
