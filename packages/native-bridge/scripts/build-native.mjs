#!/usr/bin/env node
/**
 * Build the native bridge: the Linux .so always (where gcc and make exist), both
 * Windows DLLs and the Windows test programs when mingw-w64 is installed.
 * Outside CI a missing compiler only skips that part, so `npm install && npm start`
 * works anywhere; with CI=true every part is required (scripts/ci-deps.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');

function has(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function skip(what, why) {
  if (ci) {
    console.error(`native-bridge: ${what} cannot be built: ${why} (CI=true: this is an error; run scripts/ci-deps.sh)`);
    process.exit(1);
  }
  console.warn(`native-bridge: skipping ${what}: ${why}`);
}

function make(...targets) {
  const result = spawnSync('make', ['-C', packageDir, '--no-print-directory', `-j${Math.min(targets.length, 4)}`, ...targets], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.platform !== 'linux') {
  skip('the native library', `the build runs on Linux (cross-compiling the DLLs with mingw-w64); this is ${process.platform}`);
} else if (!has('make') || !has(process.env.CC ?? 'gcc')) {
  skip('the native library', 'gcc or make is not installed');
} else {
  const mingw = ['i686-w64-mingw32-gcc', 'x86_64-w64-mingw32-gcc', 'i686-w64-mingw32-dlltool'].filter((c) => !has(c));
  if (mingw.length === 0) {
    make('linux', 'win32', 'win64');
  } else {
    make('linux');
    skip('the Windows DLLs', `${mingw.join(', ')} not found (Debian: apt-get install gcc-mingw-w64-i686 gcc-mingw-w64-x86-64)`);
  }
}
