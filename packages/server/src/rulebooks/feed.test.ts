import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CITY_DEMO_V1, CITY_DEMO_V2, readFixture } from '../test-support/rulebooks/fixtures.js';
import { startFeedServer } from '../test-support/rulebooks/feed-server.js';
import { packBundle, parseBundle, serializeBundle } from './bundle.js';
import { FEED_FORMAT, fetchFeedBundle, readFeed, writeFeedFolder } from './feed.js';
import { FeedPoller } from './feed-poller.js';
import { generateSigningKeys, parseTrustedKeys, signBundle, verifyBundleSignatures } from './signing.js';

const keys = generateSigningKeys();
const trusted = parseTrustedKeys([keys.publicKeyPem]);
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
});

t.test('a folder feed is read conditionally by modification time', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V1)]);
  const first = await readFeed(dir);
  if (first.status !== 'ok') return t.fail('expected ok');
  t.equal((await readFeed(dir, first.validators)).status, 'not-modified');
  const text = await fetchFeedBundle(dir, first.feed.bundles[0]);
  const b = parseBundle(text);
  t.ok(b.ok && verifyBundleSignatures(b.bundle, trusted).ok);
  await t.rejects(fetchFeedBundle(dir, { ...first.feed.bundles[0], file: '../x.bundle.json' }), /plain file name/);
});

t.test('over HTTP the feed is fetched with If-None-Match and a 304 costs no bundle download', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V1)]);
  const server = await startFeedServer(dir);
  t.teardown(() => server.close());
  const submitted: string[] = [];
  const poller = new FeedPoller({
    source: server.url,
    wants: () => true,
    submit: async (text, entry) => {
      const b = parseBundle(text);
      submitted.push(entry.version);
      return { ok: b.ok && verifyBundleSignatures(b.bundle, trusted).ok };
    },
  });
  t.same(await poller.pollOnce(), { status: 'ok', accepted: ['city-demo@2025.9.0'], refused: [] });
  t.same(await poller.pollOnce(), { status: 'not-modified', accepted: [], refused: [] });
  t.same(submitted, ['2025.9.0']);
  const feedRequests = server.requests.filter((r) => r.path === 'feed.json');
  t.equal(feedRequests.length, 2);
  t.equal(feedRequests[0].ifNoneMatch, undefined);
  t.ok(feedRequests[1].ifNoneMatch, 'second request is conditional');
  t.ok(feedRequests[1].ifModifiedSince, 'and carries If-Modified-Since');
  t.equal(feedRequests[1].status, 304);
  t.equal(server.requests.filter((r) => r.path.endsWith('.bundle.json')).length, 1);

  // The bureau publishes v2: the feed changes, only the new bundle is fetched.
  writeFileSync(join(dir, 'b1.bundle.json'), signed(CITY_DEMO_V2));
  writeFeedFolder(dir);
  t.same(await poller.pollOnce(), { status: 'ok', accepted: ['city-demo@2025.10.0'], refused: [] });
  t.same(submitted, ['2025.9.0', '2025.10.0']);
});

t.test('a down feed backs off exponentially up to the ceiling, and recovers', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V1)]);
  const server = await startFeedServer(dir);
  t.teardown(() => server.close());
  const poller = new FeedPoller({
    source: server.url,
    intervalMs: 1000,
    maxBackoffMs: 5000,
    random: () => 0.5,
    wants: () => true,
    submit: async () => ({ ok: true }),
  });
  t.equal(poller.nextDelayMs(), 1000);
  server.down = true;
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await poller.pollOnce();
    t.equal(r.status, 'error');
    t.match(r.error, /503/);
    delays.push(poller.nextDelayMs());
  }
  t.same(delays, [2000, 4000, 5000, 5000]);
  server.down = false;
  t.equal((await poller.pollOnce()).status, 'ok');
  t.equal(poller.consecutiveFailures, 0);
  t.equal(poller.nextDelayMs(), 1000);
});

t.test('a bundle that cannot be fetched is retried next poll; a refused one is not', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V1), signed(CITY_DEMO_V2)]);
  const server = await startFeedServer(dir);
  t.teardown(() => server.close());
  const feed = JSON.parse(readFileSync(join(dir, 'feed.json'), 'utf8'));
  // The feed lists a file that is not there yet (upload in progress).
  const saved = readFileSync(join(dir, feed.bundles[1].file));
  rmSync(join(dir, feed.bundles[1].file));
  let calls = 0;
  const poller = new FeedPoller({
    source: `${server.url}feed.json`,
    wants: () => true,
    submit: async (_text, entry) => {
      calls++;
      return { ok: entry.version !== '2025.9.0' };
    },
  });
  const first = await poller.pollOnce();
  t.equal(first.status, 'error');
  t.same(first.refused, ['city-demo@2025.9.0']);
  writeFileSync(join(dir, feed.bundles[1].file), saved);
  t.same(await poller.pollOnce(), { status: 'ok', accepted: ['city-demo@2025.10.0'], refused: [] });
  t.equal(calls, 2, 'the refused bundle was not submitted again');
});
