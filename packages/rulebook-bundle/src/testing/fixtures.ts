/**
 * Test fixtures (`@preaudit/rulebook-bundle/testing`), for this package's tests and the
 * service's rulebook tests; nothing at run time imports it. Test rulebooks derived from the
 * national one (rulebooks/nhsa-liangku): `city-demo` 2025.9.0
 * (v1: 药品区分性别使用 + 医疗服务项目限定频次) and 2025.10.0 (v2: the sex rule disabled, one
 * more knowledge point, effective 2025-10-01). The folders live in test/fixtures/rulebooks,
 * at the same depth from src/testing and dist/testing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RulebookFiles } from '@preaudit/core-rules';
import { packBundle, serializeBundle } from '../bundle.js';
import { writeFeedFolder } from '../feed.js';
import { signBundle } from '../signing.js';

/** Folder of v1. */
export const CITY_DEMO_V1 = fileURLToPath(new URL('../../test/fixtures/rulebooks/city-demo-v1', import.meta.url));
/** Folder of v2. */
export const CITY_DEMO_V2 = fileURLToPath(new URL('../../test/fixtures/rulebooks/city-demo-v2', import.meta.url));

/** Reads a fixture folder as RulebookFiles without the core (rulebook.json as text). */
export function readFixture(dir: string): RulebookFiles {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  const manifest = files['rulebook.json'];
  delete files['rulebook.json'];
  return { manifest, files };
}

/** A parsed rulebook.json as tests edit it: header fields and the rules array. */
export interface EditableManifest {
  rules: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** A fixture rulebook with its rulebook.json edited (version, dates, rules), as RulebookFiles. */
export function editedFixture(dir: string, edit: (manifest: EditableManifest) => void): RulebookFiles {
  const files = readFixture(dir);
  const m = JSON.parse(files.manifest as string) as EditableManifest;
  edit(m);
  return { manifest: `${JSON.stringify(m, null, 2)}\n`, files: files.files };
}

/** A fixture folder packed and signed with the given key, as bundle file text. */
export function signedFixture(dir: string, privateKeyPem: string): string {
  return serializeBundle(signBundle(packBundle(readFixture(dir)), privateKeyPem));
}

/**
 * A temporary feed folder holding the given bundle texts (`b0.bundle.json`, …) and the feed.json
 * written for them on 2025-09-20; removed at the test's teardown.
 */
export function feedFolder(t: { teardown(fn: () => void): void }, bundles: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pa-feed-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  bundles.forEach((b, i) => writeFileSync(join(dir, `b${i}.bundle.json`), b));
  writeFeedFolder(dir, { now: new Date('2025-09-20T00:00:00Z') });
  return dir;
}
