/**
 * What `npm install` / `npm ci` needs from the repository itself so the README's first steps work:
 * - the `preaudit` bin is a committed, executable file (npm links bins before `prepare` builds
 *   dist/, and skips or leaves non-executable a bin that does not exist yet), linked at the root;
 * - no locked package refuses Node 20 (npm would warn EBADENGINE). 20.19 is the Node 20 LTS line
 *   this is checked against: npm 11 and tap's npm libraries themselves need ≥ 20.17.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import t from 'tap';
import { ROOT } from './support/service.js';

const require = createRequire(import.meta.url);
const semver = require('semver') as typeof import('semver');

t.test('the preaudit bin is committed, executable, and linked at the root', async (t) => {
  const server = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8'));
  const bin = server.bin?.preaudit as string;
  t.ok(bin, 'packages/server declares the preaudit bin');
  const rel = path.posix.join('packages/server', bin);
  const staged = spawnSync('git', ['ls-files', '-s', '--', rel], { cwd: ROOT, encoding: 'utf8' }).stdout;
  t.match(staged, /^100755 /, `${rel} is in git with mode 755 (not a build output)`);
  const link = path.join(ROOT, 'node_modules/.bin/preaudit');
  t.ok(fs.existsSync(link), 'node_modules/.bin/preaudit exists after npm install');
  t.equal(fs.realpathSync(link), fs.realpathSync(path.join(ROOT, rel)));
  const help = spawnSync(link, ['--help'], { cwd: ROOT, encoding: 'utf8' });
  t.equal(help.status, 0, help.stderr);
  t.match(help.stdout, /backup/);
});

t.test('every locked package accepts Node 20 (no EBADENGINE)', async (t) => {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const refusing: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } }>)) {
    const range = entry.engines?.node;
    if (typeof range === 'string' && !semver.satisfies('20.19.0', range)) refusing.push(`${where}@${entry.version}: node ${range}`);
  }
  t.same(refusing, [], 'packages whose engines exclude Node 20.19');
});
