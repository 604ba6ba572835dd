/**
 * The C test program (test/c/bridge-test.c) uses the library through include/preaudit.h
 * only, as a HIS written in C would, against the real service and the misbehaving
 * stubs, under valgrind: no leaks, no invalid reads or writes, from many threads.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILD_DIR } from '../src/library-path.js';
import { IN_CI, ensureLinuxBuild, has } from './support/native.js';
import { startService, type RunningService } from './support/service.js';
import { startStubs, type Stubs } from './support/stub-servers.js';
import { FIXTURES_DIR } from './support/fixtures.js';
import { parseTap, programArgs, run } from './support/c-program.js';

let service: RunningService;
let stubs: Stubs;
const tmp = mkdtempSync(path.join(tmpdir(), 'pa-bridge-c-'));

t.before(async () => {
  ensureLinuxBuild();
  [service, stubs] = await Promise.all([startService(), startStubs()]);
});
t.teardown(async () => {
  await Promise.all([service?.close(), stubs?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

t.test('bridge-test passes every check under valgrind, with no leak and no invalid access', async (t) => {
  const program = path.join(BUILD_DIR, 'test', 'bridge-test');
  const args = programArgs({ fixtures: FIXTURES_DIR, service: service.url, key: service.key, stubs, tmp, threads: 16 });
  if (!has('valgrind')) {
    if (IN_CI) t.fail('valgrind is not installed (scripts/ci-deps.sh installs it)');
    else t.comment('valgrind is not installed: running the program without it');
  }
  const command = has('valgrind') ? 'valgrind' : program;
  const valgrindArgs = ['--error-exitcode=1', '--leak-check=full', '--errors-for-leak-kinds=definite,possible', '-q'];
  const result = await run(command, has('valgrind') ? [...valgrindArgs, program, ...args] : args);
  const tap = parseTap(result.stdout);
  t.same(tap.failed, [], 'no failed check');
  t.ok(tap.passed.length >= 50 && tap.passed.length === tap.planned, `${tap.passed.length} checks passed of ${tap.planned}`);
  t.equal(result.stderr.trim(), '', 'valgrind reports nothing');
  t.equal(result.code, 0, 'exit status 0 (valgrind --error-exitcode=1 would make it 1)');
});
