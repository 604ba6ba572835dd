import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CITY_DEMO_V1, CITY_DEMO_V2, readFixture } from './testing/fixtures.js';
import { packBundle, serializeBundle } from './bundle.js';
import { FEED_FORMAT, MAX_FEED_ENTRIES, parseFeed, writeFeedFolder } from './feed.js';
import { generateSigningKeys, signBundle } from './signing.js';

const keys = generateSigningKeys();
const signed = (dir: string) => serializeBundle(signBundle(packBundle(readFixture(dir)), keys.privateKeyPem));

function feedDir(t: Test, bundles: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pa-feed-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  bundles.forEach((b, i) => writeFileSync(join(dir, `b${i}.bundle.json`), b));
  writeFeedFolder(dir, { now: new Date('2025-09-20T00:00:00Z') });
  return dir;
}

t.test('writeFeedFolder lists every bundle with version, effective date and hash', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V2), signed(CITY_DEMO_V1)]);
  const feed = JSON.parse(readFileSync(join(dir, 'feed.json'), 'utf8'));
  t.equal(feed.format, FEED_FORMAT);
  t.same(feed.bundles.map((b: { version: string; effective_from: string }) => [b.version, b.effective_from]), [
    ['2025.9.0', '2025-01-01'],
    ['2025.10.0', '2025-10-01'],
  ]);
  t.same(parseFeed(readFileSync(join(dir, 'feed.json'), 'utf8')), feed, 'what it writes, parseFeed reads');
});

t.test('parseFeed refuses what is not a feed, naming the problem', async (t) => {
  t.throws(() => parseFeed('{"format":"x","bundles":[]}'), /not a preaudit-rulebook-feed\/1 document/);
  t.throws(() => parseFeed(JSON.stringify({ format: FEED_FORMAT, bundles: [{ id: 'a', version: '1' }] })), /bundles\[0\]: id, version and file are required/);
  const many = Array.from({ length: MAX_FEED_ENTRIES + 1 }, (_, i) => ({ id: 'a', version: `1.${i}`, file: `${i}.bundle.json` }));
  t.throws(() => parseFeed(JSON.stringify({ format: FEED_FORMAT, bundles: many })), /at most 1000/);
});
