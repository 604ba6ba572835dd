/**
 * Where the build puts the native library for this platform.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root (one level above src/ and dist/). */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The build output folder (`build/`). */
export const BUILD_DIR = path.join(PACKAGE_DIR, 'build');

/**
 * The library a process on this platform would load: `build/libpreaudit.so` on Linux,
 * `build/win64/preaudit.dll` or `build/win32/preaudit.dll` on Windows.
 */
export function defaultLibraryPath(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  if (platform === 'win32') return path.join(BUILD_DIR, arch === 'ia32' ? 'win32' : 'win64', 'preaudit.dll');
  return path.join(BUILD_DIR, 'libpreaudit.so');
}
