/**
 * The rulebook lifecycle on PostgreSQL (own schema, dropped at the end) and on MariaDB (own
 * database, dropped at the end): upload, scheduled activation, a restart that restores the
 * active version from its stored bundle, rollback, shadow run over stored checks.
 */
import t, { type Test } from 'tap';
import knexFactory from 'knex';
import { KEYS, V2_SIGNED, auth, checkFemaleApalutamide, startService, v2As } from './test-support/service.js';
import { dropMysqlDatabase, MYSQL_URL, PG_URL, uniqueName } from '../test-support/helpers.js';

t.test('lifecycle on PostgreSQL survives a restart', async (t) => {
  const schema = uniqueName('rulebooks');
  const admin = knexFactory({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
  t.teardown(async () => {
    await admin.raw(`drop schema if exists "${schema}" cascade`);
    await admin.destroy();
  });
  await lifecycle(t, { databaseUrl: PG_URL, databaseSchema: schema });
});

t.test('lifecycle on MariaDB / MySQL survives a restart', async (t) => {
  const database = uniqueName('rulebooks');
  t.teardown(() => dropMysqlDatabase(database));
  await lifecycle(t, { databaseUrl: MYSQL_URL, databaseSchema: database });
});

async function lifecycle(t: Test, db: { databaseUrl: string; databaseSchema: string }): Promise<void> {
  const first = await startService(t, db, '2025-09-20T10:00:00');
  const app1 = first.app;
  for (const p of ['W1', 'W2']) t.same((await checkFemaleApalutamide(app1, p)).rules, ['GZ10000301004000']);
  const up = await app1.inject({ method: 'PUT', url: '/v1/rulebooks', headers: auth(KEYS.bureau), payload: V2_SIGNED() });
  t.equal(up.statusCode, 201, up.body);
  t.equal(up.json().version.state, 'scheduled');
  const shadow = await app1.inject({ method: 'POST', url: '/v1/rulebooks/city-demo@2025.10.0/shadow', headers: auth(KEYS.office), payload: {} });
  t.match(shadow.json(), { checks: 2, totals: { vanished: 2, new: 0 } });
  await app1.close();

  // Restart after the effective time: the schedule applies at start.
  const second = await startService(t, db, '2025-10-02T10:00:00');
  const app2 = second.app;
  t.equal(app2.rulebooks.activeRef(), 'city-demo@2025.10.0');
  t.same(await checkFemaleApalutamide(app2), { status: 200, header: 'city-demo@2025.10.0', version: '2025.10.0', rules: [] });
  const next = await app2.inject({ method: 'PUT', url: '/v1/rulebooks', headers: auth(KEYS.bureau), payload: v2As('2025.10.1', '2025-10-01') });
  t.equal(next.statusCode, 201);
  t.equal(app2.rulebooks.activeRef(), 'city-demo@2025.10.1');
  const rb = await app2.inject({ method: 'POST', url: '/v1/rulebooks/city-demo@2025.10.1/rollback', headers: auth(KEYS.bureau) });
  t.equal(rb.statusCode, 200, rb.body);
  t.equal(app2.rulebooks.activeRef(), 'city-demo@2025.10.0');
  await app2.close();

  const third = await startService(t, db, '2025-10-03T10:00:00');
  t.equal(third.app.rulebooks.activeRef(), 'city-demo@2025.10.0', 'the rollback survives a restart');
  const list = await third.app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.office) });
  t.same(
    list.json().versions.map((v: { ref: string; state: string }) => `${v.ref}:${v.state}`),
    ['city-demo@2025.10.1:retired', 'city-demo@2025.10.0:active', 'city-demo@2025.9.0:retired'],
  );
  t.same(
    list.json().activations.map((a: { kind: string; ref: string }) => `${a.kind}:${a.ref}`),
    ['rollback:city-demo@2025.10.0', 'scheduled:city-demo@2025.10.1', 'scheduled:city-demo@2025.10.0', 'start:city-demo@2025.9.0'],
  );
}
