/**
 * Three service instances (buildApp on loopback ports) on one PostgreSQL schema behind a
 * round-robin client: a rulebook switch under load is applied by every instance within the
 * bound (rulebookSyncMs; LISTEN/NOTIFY makes it faster), with no failed request and no answer
 * from the retired version after it; a scheduled activation fires once, not once per instance;
 * a 3103 reaching another instance than its 3101 is matched to its warning; the trail verifies.
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { compileRulebookFiles, indexRulebook } from '@preaudit/core-rules';
import { buildApp } from '../app.js';
import { CITY_DEMO_V1, femaleApalutamideData, readFixture } from './test-support/fixtures.js';
import { BUREAU_KEYS, KEYS, V2_SIGNED, auth, v2As } from './test-support/service.js';
import { example, genderViolation, PG_URL, uniqueName } from '../test-support/helpers.js';

const V1 = 'city-demo@2025.9.0';
const V2 = 'city-demo@2025.10.0';
const V3 = 'city-demo@2025.10.1';
const EXPECTED: Record<string, string[]> = { [V1]: ['GZ10000301004000'], [V2]: [], [V3]: [] };
const BOUND_MS = 500;

t.test('three instances on one PostgreSQL schema', async (t) => {
  const schema = uniqueName('cluster');
  const clock = { now: new Date('2025-09-01T09:00:00') };
  const compiled = compileRulebookFiles(readFixture(CITY_DEMO_V1));
  if (!compiled.ok) throw new Error('fixture');
  const v1 = indexRulebook(compiled.rulebook);
  const apps: FastifyInstance[] = [];
  t.teardown(async () => {
    for (const a of apps) await a.close();
    const k = knexFactory({ client: 'pg', connection: PG_URL });
    await k.raw('drop schema if exists ?? cascade', [schema]);
    await k.destroy();
  });
  for (let i = 0; i < 3; i++) {
    const app = await buildApp({
      rulebook: v1,
      trustedKeys: [BUREAU_KEYS.publicKeyPem],
      apiKeys: { [KEYS.bureau]: 'bureau', [KEYS.doctor]: 'doctor-station', [KEYS.office]: 'insurance-office' },
      now: () => clock.now,
      databaseUrl: PG_URL,
      databaseSchema: schema,
      rulebookSyncMs: BOUND_MS,
      flushIntervalMs: 50,
    });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
  }
  const bases = apps.map((a) => `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`);
  let rr = 0;
  const next = () => bases[rr++ % bases.length];

  // 3103 at another instance than its 3101, at once (before instance 0 has written the check).
  const headers = { ...auth(KEYS.doctor), 'content-type': 'application/json' };
  const ask = await fetch(`${bases[0]}/nhsa/3101`, { method: 'POST', headers, body: JSON.stringify(genderViolation('MSG-X-1')) });
  const jr = ((await ask.json()) as { output: { result: Array<{ jr_id: string }> } }).output.result;
  t.equal(jr.length, 1, 'the 3101 warns');
  const fb = example('3103-feedback.json');
  fb.input.data.warns = [{ warn_rslt_id: jr[0].jr_id, dspo_way: '2' }];
  delete fb.fixmedins_code;
  const fbRes = await fetch(`${bases[1]}/nhsa/3103`, { method: 'POST', headers, body: JSON.stringify(fb) });
  t.equal(((await fbRes.json()) as { infcode: number }).infcode, 0);
  const fbRow = await apps[1].db('feedback').where({ jr_id: jr[0].jr_id }).first();
  t.equal(fbRow?.known, true, 'matched to its warning on the other instance, not stored as unknown');

  // A version stored on one instance is known (and compiled) on the others.
  const up = await fetch(`${bases[0]}/v1/rulebooks?activation=manual`, {
    method: 'PUT',
    headers: { ...auth(KEYS.bureau), 'content-type': 'application/json' },
    body: JSON.stringify(V2_SIGNED()),
  });
  t.equal(up.status, 201);
  await new Promise((r) => setTimeout(r, BOUND_MS * 2));
  for (const a of apps) t.equal(a.rulebooks.version(V2)?.state, 'pending', 'every instance knows the new version');

  // Load: round-robin checks; each answer is one version's, whole.
  const body = JSON.stringify(femaleApalutamideData());
  const answers: Array<{ sent: number; version: string }> = [];
  const problems: string[] = [];
  let stop = false;
  const client = async () => {
    while (!stop) {
      const sent = Date.now();
      try {
        const res = await fetch(`${next()}/v1/check`, { method: 'POST', headers, body });
        const text = await res.text();
        if (res.status !== 200) {
          problems.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
          continue;
        }
        const json = JSON.parse(text) as { rulebook: { id: string; version: string }; result: Array<{ rule_id: string }> };
        const named = `${json.rulebook.id}@${json.rulebook.version}`;
        if (res.headers.get('x-rulebook-version') !== named) problems.push(`header ${res.headers.get('x-rulebook-version')} but body ${named}`);
        else if (JSON.stringify(json.result.map((r) => r.rule_id)) !== JSON.stringify(EXPECTED[named])) problems.push(`${named} answered wrongly`);
        answers.push({ sent, version: named });
      } catch (err) {
        problems.push(`request failed: ${(err as Error).message}`);
      }
    }
  };
  const clients = Array.from({ length: 12 }, () => client());
  await new Promise((r) => setTimeout(r, 400));

  // The switch, commanded on instance 1.
  const commanded = Date.now();
  const act = await fetch(`${bases[1]}/v1/rulebooks/${V2}/activate`, { method: 'POST', headers: auth(KEYS.bureau) });
  t.equal(act.status, 200);
  const decided = Date.now();
  await new Promise((r) => setTimeout(r, BOUND_MS * 3));
  stop = true;
  await Promise.all(clients);

  t.same(problems, [], '0 failed or mixed requests');
  const before = answers.filter((a) => a.sent < commanded);
  const late = answers.filter((a) => a.sent >= decided + BOUND_MS);
  t.ok(before.length > 10 && late.length > 10, `answers before (${before.length}) and after the bound (${late.length})`);
  t.ok(
    before.every((a) => a.version === V1),
    'the old version before the switch',
  );
  t.same(
    late.filter((a) => a.version !== V2),
    [],
    '0 answers from the retired version after the bound',
  );
  const lagging = answers.filter((a) => a.sent >= decided && a.version === V1).map((a) => a.sent - decided);
  t.comment(`${answers.length} checks; old-version answers after the switch: ${lagging.length} (latest sent ${Math.max(0, ...lagging)} ms after it)`);
  for (const a of apps) t.equal(a.rulebooks.activeRef(), V2);

  // A scheduled activation fires once: all three reach its time together.
  const sched = await fetch(`${bases[2]}/v1/rulebooks`, {
    method: 'PUT',
    headers: { ...auth(KEYS.bureau), 'content-type': 'application/json' },
    body: JSON.stringify(v2As('2025.10.1', '2025-10-01')),
  });
  t.equal(sched.status, 201);
  await new Promise((r) => setTimeout(r, BOUND_MS * 2));
  clock.now = new Date('2025-10-02T09:00:00');
  await Promise.all(apps.map((a) => a.rulebooks.tick()));
  await new Promise((r) => setTimeout(r, BOUND_MS * 2));
  for (const a of apps) t.equal(a.rulebooks.activeRef(), V3, 'every instance on the scheduled version');
  const activations = await apps[0].db('rulebook_activations').where({ ref: V3 });
  t.equal(activations.length, 1, 'one activation record');
  for (const a of apps) await a.trail.flush();
  const trailed = await apps[0].db('audit_log').where({ action: 'rulebook.activate', ref: V3, outcome: 'ok' });
  t.equal(trailed.length, 1, 'one activation in the trail');
});
