/**
 * Make sure the native build is current before a test loads it: `make` is a no-op
 * when nothing changed, and outputs are renamed into place, so test files that
 * run at once cannot load a half-written library.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PACKAGE_DIR, defaultLibraryPath } from '../../src/library-path.js';

/** CI=true: a missing tool is a failure, not a skip. */
export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** 1 if `command --version` runs. */
export function has(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Run make for the given targets; throws with make's output on failure. */
export function make(...targets: string[]): void {
  const result = spawnSync('make', ['-C', PACKAGE_DIR, '--no-print-directory', ...targets], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`make ${targets.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Build the Linux library and C test program; returns the library's path. */
export function ensureLinuxBuild(): string {
  make('linux');
  const lib = defaultLibraryPath('linux');
  if (!existsSync(lib)) throw new Error(`${lib} missing after make`);
  return lib;
}

/** True when mingw-w64 can build the DLLs here. */
export function hasMingw(): boolean {
  return has('i686-w64-mingw32-gcc') && has('x86_64-w64-mingw32-gcc') && has('i686-w64-mingw32-dlltool');
}
