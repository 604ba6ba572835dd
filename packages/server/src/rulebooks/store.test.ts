import t, { type Test } from 'tap';
import knexFactory, { type Knex } from 'knex';
import { indexRulebook, compileRulebookFiles, type CompiledRulebook } from '@preaudit/core-rules';
import { migrate } from '../platform/storage/migrations/index.js';
import { packBundle, serializeBundle, generateSigningKeys, parseTrustedKeys, signBundle } from '@preaudit/rulebook-bundle';
import { RulebookStore, type StoreTrailEntry } from './store.js';
import { CITY_DEMO_V1, CITY_DEMO_V2, editedFixture, readFixture } from './test-support/fixtures.js';
import type { RulebookFiles } from '@preaudit/core-rules';

const keys = generateSigningKeys();
const trustedKeys = parseTrustedKeys([keys.publicKeyPem]);
const bundleOf = (files: RulebookFiles) => serializeBundle(signBundle(packBundle(files), keys.privateKeyPem));
const compile = (files: RulebookFiles): CompiledRulebook => {
  const r = compileRulebookFiles(files);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return indexRulebook(r.rulebook);
};
const V1 = compile(readFixture(CITY_DEMO_V1));
const V2_BUNDLE = bundleOf(readFixture(CITY_DEMO_V2));
const V3_BUNDLE = bundleOf(editedFixture(CITY_DEMO_V2, (m) => ((m.version = '2025.11.0'), (m.effective_from = '2025-11-01 08:00:00'))));
const bureau = { actor: 'bureau:ab12', role: 'bureau' };

async function setup(t: Test, start = '2025-09-01T00:00:00') {
  const db: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1, idleTimeoutMillis: Number.MAX_SAFE_INTEGER },
  });
  t.teardown(() => db.destroy());
  await migrate(db);
  const clock = { now: new Date(start) };
  const audit: StoreTrailEntry[] = [];
  const open = () => RulebookStore.open({ db, now: () => clock.now, trustedKeys, trail: (e) => audit.push(e), retryBaseMs: 20 }, V1);
  const store = await open();
  t.teardown(() => store.close());
  return { db, clock, audit, store, open };
}
const states = (s: RulebookStore) => Object.fromEntries(s.versions().map((v) => [v.ref, v.state]));

t.test('first start registers the built-in rulebook as active', async (t) => {
  const { store, audit } = await setup(t);
  t.equal(store.activeRef(), 'city-demo@2025.9.0');
  t.equal(store.active(), V1);
  t.same(states(store), { 'city-demo@2025.9.0': 'active' });
  t.same(store.versions()[0].source, 'builtin');
  t.same(
    audit.map((a) => a.action),
    ['rulebook.load', 'rulebook.activate'],
  );
});

t.test('a future bundle is scheduled, and activates at its effective time (injected clock)', async (t) => {
  const { store, clock, audit } = await setup(t);
  const r = await store.submit(V2_BUNDLE, bureau);
  if (!r.ok) return t.fail(r.error.message);
  t.equal(r.version.state, 'scheduled');
  t.equal(r.version.activate_at, '2025-10-01');
  t.equal(r.version.loaded_by, 'bureau:ab12');
  t.equal(r.version.key_id, keys.keyId);
  t.equal(r.activated, false);
  t.equal(store.active().version, '2025.9.0');

  clock.now = new Date('2025-09-30T23:59:59');
  t.equal(await store.tick(), false, 'not yet');
  t.equal(store.active().version, '2025.9.0');

  clock.now = new Date('2025-10-01T00:00:00');
  t.equal(store.active().version, '2025.9.0', 'the request that notices the due time still finishes on the old version');
  await store.tick();
  t.equal(store.active().version, '2025.10.0');
  t.same(states(store), { 'city-demo@2025.10.0': 'active', 'city-demo@2025.9.0': 'retired' });
  const act = audit.filter((a) => a.action === 'rulebook.activate').at(-1);
  t.match(act, { actor: 'system', ref: 'city-demo@2025.10.0', outcome: 'ok', detail: { kind: 'scheduled', previous: 'city-demo@2025.9.0' } });
});

t.test('a bundle whose effective time has passed activates on upload', async (t) => {
  const { store } = await setup(t, '2025-10-05T12:00:00');
  const r = await store.submit(V2_BUNDLE, bureau);
  t.ok(r.ok && r.activated);
  t.equal(store.activeRef(), 'city-demo@2025.10.0');
});

t.test('manual mode waits for a command; refusals leave everything as it was', async (t) => {
  const { store, audit, clock } = await setup(t, '2025-12-01T00:00:00');
  const r = await store.submit(V2_BUNDLE, bureau, { activation: 'manual' });
  t.ok(r.ok);
  t.equal(store.activeRef(), 'city-demo@2025.9.0');
  t.same(states(store)['city-demo@2025.10.0'], 'pending');

  const again = await store.submit(V2_BUNDLE, bureau);
  t.equal(again.ok, false);
  if (!again.ok) {
    t.equal(again.error.statusCode, 409);
    t.same(
      again.error.refusals?.map((x) => x.reason),
      ['version_not_newer'],
    );
  }
  const stranger = generateSigningKeys();
  const forged = await store.submit(serializeBundle(signBundle(packBundle(readFixture(CITY_DEMO_V2)), stranger.privateKeyPem)), bureau);
  t.equal(forged.ok, false);
  if (!forged.ok) t.equal(forged.error.statusCode, 403);
  t.equal(store.activeRef(), 'city-demo@2025.9.0');
  t.equal(store.versions().length, 2);
  t.same(
    audit.filter((a) => a.outcome.startsWith('refused')).map((a) => a.outcome),
    ['refused:version_not_newer', 'refused:bad_signature'],
  );

  clock.now = new Date('2026-01-01T00:00:00');
  await store.tick();
  t.equal(store.activeRef(), 'city-demo@2025.9.0', 'pending never activates by itself');
  const act = await store.activate('city-demo@2025.10.0', bureau);
  t.ok(act.ok);
  t.equal(store.activeRef(), 'city-demo@2025.10.0');
  const twice = await store.activate('city-demo@2025.10.0', bureau);
  t.ok(!twice.ok && twice.error.statusCode === 409);
  const missing = await store.activate('city-demo@9.9.9', bureau);
  t.ok(!missing.ok && missing.error.statusCode === 404);
});

t.test('rollback walks back the activations, one at a time, and only from the active version', async (t) => {
  const { store, clock, audit } = await setup(t, '2025-12-01T00:00:00');
  t.ok((await store.submit(V2_BUNDLE, bureau)).ok);
  t.ok((await store.submit(V3_BUNDLE, bureau)).ok);
  t.equal(store.activeRef(), 'city-demo@2025.11.0');
  clock.now = new Date('2025-12-02T00:00:00');

  const wrong = await store.rollback('city-demo@2025.10.0', bureau);
  t.ok(!wrong.ok && wrong.error.statusCode === 409, 'not the active version');
  const r1 = await store.rollback('city-demo@2025.11.0', bureau);
  if (!r1.ok) return t.fail(r1.error.message);
  t.equal(store.activeRef(), 'city-demo@2025.10.0');
  t.equal(r1.rolledBack, 'city-demo@2025.11.0');
  const r2 = await store.rollback('city-demo@2025.10.0', bureau);
  t.ok(r2.ok);
  t.equal(store.activeRef(), 'city-demo@2025.9.0');
  t.equal(store.active(), V1);
  const r3 = await store.rollback('city-demo@2025.9.0', bureau);
  t.ok(!r3.ok && r3.error.statusCode === 409, 'nothing before the first version');
  t.same(
    audit.filter((a) => a.action === 'rulebook.rollback' && a.outcome === 'ok').map((a) => a.ref),
    ['city-demo@2025.10.0', 'city-demo@2025.9.0'],
  );
  t.same((await store.activations()).map((a) => [a.kind, a.ref]).slice(0, 2), [
    ['rollback', 'city-demo@2025.9.0'],
    ['rollback', 'city-demo@2025.10.0'],
  ]);
});

t.test('when a newer version becomes active, an older one still waiting is superseded', async (t) => {
  const { store, clock } = await setup(t, '2025-09-01T00:00:00');
  t.ok((await store.submit(V2_BUNDLE, bureau)).ok); // effective 2025-10-01
  t.ok((await store.submit(V3_BUNDLE, bureau)).ok); // effective 2025-11-01 08:00
  clock.now = new Date('2025-11-02T00:00:00');
  await store.tick();
  t.equal(store.activeRef(), 'city-demo@2025.11.0', 'both due: the latest wins');
  t.equal(states(store)['city-demo@2025.10.0'], 'retired');
});

t.test('a restart restores the active version from its stored bundle, and the schedule', async (t) => {
  const { store, open, clock } = await setup(t, '2025-10-02T00:00:00');
  t.ok((await store.submit(V2_BUNDLE, bureau)).ok);
  t.ok((await store.submit(V3_BUNDLE, bureau)).ok);
  await store.close();
  const again = await open();
  t.teardown(() => again.close());
  t.equal(again.activeRef(), 'city-demo@2025.10.0');
  t.equal(again.active().version, '2025.10.0');
  t.same(
    again.active().rules.map((r) => r.id),
    ['GZ10000102014000'],
    'v2 semantics: the sex rule is disabled',
  );
  t.equal(states(again)['city-demo@2025.11.0'], 'scheduled');
  clock.now = new Date('2025-11-01T08:00:00');
  await again.tick();
  t.equal(again.activeRef(), 'city-demo@2025.11.0');
});

t.test('activating a version older than the active one is a downgrade: refused unless forced with a reason (issue 10 #21)', async (t) => {
  const { store, audit } = await setup(t, '2025-12-01T00:00:00');
  t.ok((await store.submit(V2_BUNDLE, bureau)).ok);
  t.ok((await store.submit(V3_BUNDLE, bureau)).ok);
  t.equal(store.activeRef(), 'city-demo@2025.11.0');
  t.same(states(store), { 'city-demo@2025.11.0': 'active', 'city-demo@2025.10.0': 'retired', 'city-demo@2025.9.0': 'retired' });

  for (const old of ['city-demo@2025.10.0', 'city-demo@2025.9.0']) {
    const r = await store.activate(old, bureau);
    t.equal(r.ok, false, old);
    if (!r.ok) {
      t.equal(r.error.statusCode, 409);
      t.match(r.error.message, '低于');
    }
    t.equal(store.activeRef(), 'city-demo@2025.11.0');
  }
  t.match(audit.at(-1), { action: 'rulebook.activate', ref: 'city-demo@2025.9.0', outcome: 'PA_RULEBOOK_CONFLICT' });

  // A forced downgrade needs a reason, and the reason lands in the audit trail.
  const admin = { actor: 'admin#1', role: 'admin' };
  const noReason = await store.activate('city-demo@2025.9.0', admin, { force: { reason: ' ' } });
  t.ok(!noReason.ok && noReason.error.statusCode === 400);
  const forced = await store.activate('city-demo@2025.9.0', admin, { force: { reason: '2025.11.0 误报过多，经医保办批准临时退回' } });
  t.ok(forced.ok);
  t.equal(store.activeRef(), 'city-demo@2025.9.0');
  t.match(audit.at(-1), {
    action: 'rulebook.activate',
    ref: 'city-demo@2025.9.0',
    outcome: 'ok',
    detail: { kind: 'command', previous: 'city-demo@2025.11.0', forced: true, reason: '2025.11.0 误报过多，经医保办批准临时退回' },
  });
  // Going forward again is no downgrade.
  t.ok((await store.activate('city-demo@2025.11.0', bureau)).ok);
  // The rollback route stays the ordinary way back.
  t.ok((await store.rollback('city-demo@2025.11.0', bureau)).ok);
});

t.test('a storage error at a scheduled activation is handled, logged, audited and retried with backoff, never an unhandled rejection (issue 10 #3)', async (t) => {
  const { db, store, clock, audit } = await setup(t);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => void process.off('unhandledRejection', onUnhandled));
  const r = await store.submit(V2_BUNDLE, bureau);
  if (!r.ok) return t.fail(r.error.message);
  // The activation's transaction will fail: its table is gone for a while.
  await db.schema.renameTable('rulebook_activations', 'rulebook_activations_away');
  clock.now = new Date('2025-10-01T00:00:01');
  t.equal(store.active().version, '2025.9.0', 'the request that notices the due time is answered with the active rulebook');
  await new Promise((resolve) => setTimeout(resolve, 60));
  store.active();
  t.equal(await store.tick(), false, 'tick resolves false, it does not reject');
  t.same(unhandled, [], 'no unhandled rejection');
  const failures = audit.filter((a) => a.action === 'rulebook.activate' && a.outcome === 'PA_STORAGE_ERROR');
  t.ok(failures.length >= 1, 'the failure is in the trail');
  t.match(failures[0], { actor: 'system', ref: 'city-demo@2025.10.0', detail: { retry_in_ms: Number } });
  t.ok(failures.length <= 6, `backoff: ${failures.length} attempts, not one per request`);
  t.equal(store.active().version, '2025.9.0');
  await db.schema.renameTable('rulebook_activations_away', 'rulebook_activations');
  for (let i = 0; i < 100 && store.active().version !== '2025.10.0'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  t.equal(store.active().version, '2025.10.0', 'the retry activates it once storage is back');
  t.same(unhandled, []);
});
