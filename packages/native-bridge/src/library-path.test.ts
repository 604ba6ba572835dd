import t from 'tap';
import path from 'node:path';
import { BUILD_DIR, defaultLibraryPath } from './library-path.js';

t.test('the library for each platform lies where the Makefile puts it', async (t) => {
  t.equal(defaultLibraryPath('linux', 'x64'), path.join(BUILD_DIR, 'libpreaudit.so'));
  t.equal(defaultLibraryPath('win32', 'x64'), path.join(BUILD_DIR, 'win64', 'preaudit.dll'));
  t.equal(defaultLibraryPath('win32', 'ia32'), path.join(BUILD_DIR, 'win32', 'preaudit.dll'));
});
