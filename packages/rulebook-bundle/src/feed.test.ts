import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CITY_DEMO_V1, CITY_DEMO_V2, feedFolder, signedFixture } from './testing/fixtures.js';
import { FEED_FORMAT, MAX_FEED_ENTRIES, parseFeed } from './feed.js';
import { generateSigningKeys } from './signing.js';

const keys = generateSigningKeys();
const signed = (dir: string) => signedFixture(dir, keys.privateKeyPem);

t.test('writeFeedFolder lists every bundle with version, effective date and hash', async (t) => {
  const dir = feedFolder(t, [signed(CITY_DEMO_V2), signed(CITY_DEMO_V1)]);
  const feed = JSON.parse(readFileSync(join(dir, 'feed.json'), 'utf8'));
  t.equal(feed.format, FEED_FORMAT);
  t.same(
    feed.bundles.map((b: { version: string; effective_from: string }) => [b.version, b.effective_from]),
    [
      ['2025.9.0', '2025-01-01'],
      ['2025.10.0', '2025-10-01'],
    ],
  );
  t.same(parseFeed(readFileSync(join(dir, 'feed.json'), 'utf8')), feed, 'what it writes, parseFeed reads');
});

t.test('parseFeed refuses what is not a feed, naming the problem', async (t) => {
  t.throws(() => parseFeed('{"format":"x","bundles":[]}'), /not a preaudit-rulebook-feed\/1 document/);
  t.throws(() => parseFeed(JSON.stringify({ format: FEED_FORMAT, bundles: [{ id: 'a', version: '1' }] })), /bundles\[0\]: id, version and file are required/);
  const many = Array.from({ length: MAX_FEED_ENTRIES + 1 }, (_, i) => ({ id: 'a', version: `1.${i}`, file: `${i}.bundle.json` }));
  t.throws(() => parseFeed(JSON.stringify({ format: FEED_FORMAT, bundles: many })), /at most 1000/);
});
