/**
 * The switch under load: many concurrent checks over a real port while the active rulebook
 * flips between two versions through the API (activate, rollback, activate …). Every request must succeed, and
 * every answer must be exactly one version's: the version it names (header and body) and its
 * findings must agree (v1 finds 药品区分性别使用 for this request, v2 has that rule disabled).
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { femaleApalutamideData } from './test-support/fixtures.js';
import { KEYS, V2_SIGNED, auth, startService } from './test-support/service.js';

const V1 = 'city-demo@2025.9.0';
const V2 = 'city-demo@2025.10.0';
const EXPECTED: Record<string, string[]> = { [V1]: ['GZ10000301004000'], [V2]: [] };

t.test('no request fails and none sees a mix of versions during repeated switches', async (t) => {
  const { app } = await startService(t, {}, '2025-09-01T09:00:00');
  const up = await app.inject({ method: 'PUT', url: '/v1/rulebooks?activation=manual', headers: auth(KEYS.bureau), payload: V2_SIGNED() });
  t.equal(up.statusCode, 201, up.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const body = JSON.stringify(femaleApalutamideData());
  const headers = { ...auth(KEYS.doctor), 'content-type': 'application/json' };

  const seen: Record<string, number> = { [V1]: 0, [V2]: 0 };
  const problems: string[] = [];
  let requests = 0;
  let stop = false;

  const client = async () => {
    while (!stop) {
      requests++;
      try {
        const res = await fetch(`${base}/v1/check`, { method: 'POST', headers, body });
        const text = await res.text();
        if (res.status !== 200) {
          problems.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
          continue;
        }
        const json = JSON.parse(text) as { rulebook: { id: string; version: string }; result: Array<{ rule_id: string }> };
        const header = res.headers.get('x-rulebook-version') ?? '';
        const named = `${json.rulebook.id}@${json.rulebook.version}`;
        const rules = json.result.map((r) => r.rule_id);
        if (header !== named) problems.push(`header ${header} but body ${named}`);
        else if (!(named in EXPECTED)) problems.push(`unknown version ${named}`);
        else if (JSON.stringify(rules) !== JSON.stringify(EXPECTED[named])) problems.push(`${named} answered ${JSON.stringify(rules)}`);
        else seen[named]++;
      } catch (err) {
        problems.push(`request failed: ${(err as Error).message}`);
      }
    }
  };

  const clients = Array.from({ length: 24 }, () => client());
  const switches: string[] = [];
  const settle = async () => {
    // Let some checks run on each version before switching again.
    const target = requests + 60;
    while (requests < target) await new Promise((r) => setTimeout(r, 1));
  };
  try {
    for (let i = 0; i < 10; i++) {
      await settle();
      const a = await fetch(`${base}/v1/rulebooks/${V2}/activate`, { method: 'POST', headers: auth(KEYS.bureau) });
      t.equal(a.status, 200, 'activate');
      switches.push(((await a.json()) as { version: { ref: string } }).version.ref);
      await settle();
      const r = await fetch(`${base}/v1/rulebooks/${V2}/rollback`, { method: 'POST', headers: auth(KEYS.bureau) });
      t.equal(r.status, 200, 'rollback');
      switches.push(((await r.json()) as { version: { ref: string } }).version.ref);
    }
    await settle();
  } finally {
    stop = true;
    await Promise.all(clients);
  }
  t.same(problems.slice(0, 10), [], 'no failures, every answer consistent with the version it names');
  t.equal(problems.length, 0);
  t.same(switches.slice(0, 4), [V2, V1, V2, V1]);
  t.ok(seen[V1] > 0 && seen[V2] > 0, `both versions answered (v1 ${seen[V1]}, v2 ${seen[V2]} of ${requests})`);
  t.comment(`${requests} checks during ${switches.length} switches: ${seen[V1]} on ${V1}, ${seen[V2]} on ${V2}`);
});
