import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CITY_DEMO_V1, CITY_DEMO_V2, readFixture } from './test-support/fixtures.js';
import { startFeedServer } from './test-support/feed-server.js';
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

/** A feed served over HTTP whose first bundle entry is rewritten by `edit`. */
async function httpFeed(t: Test, edit: (entry: Record<string, unknown>) => void = () => undefined) {
  const dir = feedDir(t, [signed(CITY_DEMO_V1)]);
  const feedPath = join(dir, 'feed.json');
  const feed = JSON.parse(readFileSync(feedPath, 'utf8'));
  edit(feed.bundles[0]);
  writeFileSync(feedPath, JSON.stringify(feed));
  const server = await startFeedServer(dir);
  t.teardown(() => server.close());
  return { dir, server, entry: feed.bundles[0] };
}

t.test('a feed cannot send the service to another origin: bundle URLs must be on the feed origin or allow-listed (issue 10 #11)', async (t) => {
  const other = await startFeedServer(feedDir(t, [signed(CITY_DEMO_V1)]));
  t.teardown(() => other.close());
  // (The other host's bundle was signed at another moment: the feed lists no hash for it.)
  const { server } = await httpFeed(t, (e) => ((e.file = `${other.url}b0.bundle.json`), delete e.sha256));
  const submitted: string[] = [];
  const poller = new FeedPoller({ source: server.url, wants: () => true, submit: async (_x, e) => (submitted.push(e.version), { ok: true }) });
  const r = await poller.pollOnce();
  t.equal(r.status, 'error');
  t.match(r.error, /origin/);
  t.same(submitted, []);
  t.equal(other.requests.length, 0, 'the other origin was never asked');
  for (const file of ['file:///etc/passwd', '//169.254.169.254/latest/meta-data', 'http://127.0.0.1:1/x.bundle.json'])
    await t.rejects(fetchFeedBundle(server.url, { id: 'x', version: '1', effective_from: '', file, sha256: '' }), /origin/, file);

  // An explicit allow-list lets a bureau serve bundles from a second host (a CDN).
  const allowed = new FeedPoller({ source: server.url, allowedOrigins: [other.url], wants: () => true, submit: async () => ({ ok: true }) });
  t.same(await allowed.pollOnce(), { status: 'ok', accepted: ['city-demo@2025.9.0'], refused: [] });
  t.equal(other.requests.length, 1);
});

t.test('redirects are followed only within the allowed origins, and only a few hops (issue 10 #11)', async (t) => {
  const other = await startFeedServer(feedDir(t, [signed(CITY_DEMO_V1)]));
  t.teardown(() => other.close());
  const { server, entry } = await httpFeed(t);
  // Same origin: followed.
  server.handlers.set('moved.bundle.json', (_req, res) => res.writeHead(301, { location: `/${entry.file}` }).end());
  const text = await fetchFeedBundle(server.url, { ...entry, file: 'moved.bundle.json' });
  t.ok(parseBundle(text).ok);
  // Off the origin: refused without asking the other host.
  server.handlers.set('away.bundle.json', (_req, res) => res.writeHead(302, { location: `${other.url}b0.bundle.json` }).end());
  await t.rejects(fetchFeedBundle(server.url, { ...entry, file: 'away.bundle.json' }), /redirect.*origin/);
  t.equal(other.requests.length, 0);
  // The feed document itself redirected away: refused too.
  server.handlers.set('feed.json', (_req, res) => res.writeHead(307, { location: `${other.url}feed.json` }).end());
  await t.rejects(readFeed(server.url), /redirect.*origin/);
  t.equal(other.requests.length, 0);
  // A loop stops after a bounded number of hops.
  server.handlers.set('loop.bundle.json', (_req, res) => res.writeHead(302, { location: '/loop.bundle.json' }).end());
  await t.rejects(fetchFeedBundle(server.url, { ...entry, file: 'loop.bundle.json' }, { maxRedirects: 3 }), /redirects/);
  t.equal(server.requests.filter((r) => r.path === 'loop.bundle.json').length, 4);
});

t.test('feed and bundle downloads are capped in bytes while streaming, and time out (issue 10 #11)', async (t) => {
  const { server, entry } = await httpFeed(t);
  let sent = 0;
  // An endless body without Content-Length: the reader must stop it, not buffer it.
  const endless = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      for (;;) {
        if (res.destroyed) return;
        if (sent > 256 * 1024 * 1024) return res.end();
        sent += chunk.length;
        if (!res.write(chunk)) break;
      }
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };
  server.handlers.set('huge.bundle.json', endless);
  await t.rejects(fetchFeedBundle(server.url, { ...entry, file: 'huge.bundle.json' }, { maxBundleBytes: 1024 * 1024 }), /1048576|limit/);
  t.ok(sent < 32 * 1024 * 1024, `the download was aborted early (${sent} bytes sent)`);
  // A declared length over the cap is refused before reading.
  server.handlers.set('declared.bundle.json', (_req, res) => res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).write('{'));
  await t.rejects(fetchFeedBundle(server.url, { ...entry, file: 'declared.bundle.json' }, { maxBundleBytes: 1024 * 1024 }), /limit/);
  // feed.json has its own, smaller cap (default 1 MiB).
  server.handlers.set('feed.json', endless);
  await t.rejects(readFeed(server.url), /limit/);
  // A server that answers the headers and then stalls is given up on.
  server.handlers.set('stall.bundle.json', (_req, res) => res.writeHead(200).write('{'));
  const started = Date.now();
  await t.rejects(fetchFeedBundle(server.url, { ...entry, file: 'stall.bundle.json' }, { timeoutMs: 300 }), /time|abort/i);
  t.ok(Date.now() - started < 5000);
});

t.test('a folder feed caps the bundle size too (issue 10 #11)', async (t) => {
  const dir = feedDir(t, [signed(CITY_DEMO_V1)]);
  const first = await readFeed(dir);
  if (first.status !== 'ok') return t.fail('expected ok');
  await t.rejects(fetchFeedBundle(dir, first.feed.bundles[0], { maxBundleBytes: 1000 }), /limit/);
  t.ok(await fetchFeedBundle(dir, first.feed.bundles[0]));
});
