/**
 * Pull mode end to end: the service polls a bureau feed served over real HTTP, admits what is
 * signed by a trusted key through the same checks as an upload, refuses the rest (audited),
 * asks again conditionally, and backs off while the feed is down.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeys, writeFeedFolder } from '@preaudit/rulebook-bundle';
import { startFeedServer } from './test-support/feed-server.js';
import { editedFixture, CITY_DEMO_V2 } from './test-support/fixtures.js';
import { checkFemaleApalutamide, signedBundle, startService, v2As } from './test-support/service.js';

function feedFolder(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'pa-pull-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const write = (dir: string, name: string, bundle: unknown) => writeFileSync(join(dir, name), JSON.stringify(bundle));

t.test('the service pulls new signed bundles from the feed and refuses forged ones', async (t) => {
  const dir = feedFolder(t);
  write(dir, 'city-demo-2025.10.0.bundle.json', v2As('2025.10.0', '2025-10-01'));
  const stranger = generateSigningKeys();
  write(
    dir,
    'city-demo-2025.11.0.bundle.json',
    signedBundle(
      editedFixture(CITY_DEMO_V2, (m) => (m.version = '2025.11.0')),
      stranger.privateKeyPem,
    ),
  );
  writeFeedFolder(dir);
  const feed = await startFeedServer(dir);
  t.teardown(() => feed.close());

  const { app } = await startService(t, { rulebookFeed: { source: feed.url, autoStart: false, intervalMs: 60_000, maxBackoffMs: 600_000 } }, '2025-10-05T08:00:00');
  const poller = app.rulebookFeed!;
  const first = await poller.pollOnce();
  t.same(first, { status: 'ok', accepted: ['city-demo@2025.10.0'], refused: ['city-demo@2025.11.0'] });
  t.equal(app.rulebooks.activeRef(), 'city-demo@2025.10.0', 'effective date passed: active at once');
  t.same((await checkFemaleApalutamide(app)).header, 'city-demo@2025.10.0');
  t.match(app.rulebooks.version('city-demo@2025.10.0'), { source: 'feed', loaded_by: 'feed', state: 'active' });
  t.equal(app.rulebooks.version('city-demo@2025.11.0'), undefined, 'the forged bundle is not stored');

  await app.trail.flush();
  const loads = await app.db('audit_log').where({ action: 'rulebook.load', actor: 'feed' }).orderBy('seq').select('ref', 'outcome');
  t.same(loads, [
    { ref: 'city-demo@2025.10.0', outcome: 'ok' },
    { ref: 'city-demo@2025.11.0', outcome: 'refused:bad_signature' },
  ]);

  // Unchanged feed: a conditional request, answered 304, no bundle downloaded.
  t.same(await poller.pollOnce(), { status: 'not-modified', accepted: [], refused: [] });
  const feedGets = feed.requests.filter((r) => r.path === 'feed.json');
  t.equal(feedGets.at(-1)?.status, 304);
  t.ok(feedGets.at(-1)?.ifNoneMatch);
  t.equal(feed.requests.filter((r) => r.path.endsWith('.bundle.json')).length, 2);

  // The bureau publishes 2025.12.0 for a future date: pulled and scheduled.
  write(dir, 'city-demo-2025.12.0.bundle.json', v2As('2025.12.0', '2025-12-01'));
  writeFeedFolder(dir);
  t.same(await poller.pollOnce(), { status: 'ok', accepted: ['city-demo@2025.12.0'], refused: [] });
  t.equal(app.rulebooks.version('city-demo@2025.12.0')?.state, 'scheduled');
  t.equal(app.rulebooks.activeRef(), 'city-demo@2025.10.0');

  // The feed goes down: polls fail, the delay doubles up to the ceiling, nothing changes.
  feed.down = true;
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    t.equal((await poller.pollOnce()).status, 'error');
    delays.push(poller.nextDelayMs());
  }
  for (let i = 1; i < delays.length; i++) t.ok(delays[i] >= delays[i - 1] * 1.5 || delays[i] >= 600_000 * 0.9, `delay ${i} grows: ${delays.join(', ')}`);
  t.ok(delays.at(-1)! <= 600_000 * 1.1, 'capped');
  t.equal(app.rulebooks.activeRef(), 'city-demo@2025.10.0');
  feed.down = false;
  t.equal((await poller.pollOnce()).status, 'not-modified');
  t.equal(poller.consecutiveFailures, 0);
});

t.test('with autoStart the first poll runs as the service becomes ready', async (t) => {
  const dir = feedFolder(t);
  write(dir, 'v2.bundle.json', v2As('2025.10.0', '2025-10-01'));
  writeFeedFolder(dir);
  const { app } = await startService(t, { rulebookFeed: { source: dir } }, '2025-10-05T08:00:00');
  for (let i = 0; i < 500 && app.rulebooks.activeRef() !== 'city-demo@2025.10.0'; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(app.rulebooks.activeRef(), 'city-demo@2025.10.0');
});
