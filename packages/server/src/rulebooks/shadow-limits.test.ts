// Shadow runs replay stored checks within the same limits as a live check (issue 10 #1): the
// findings per rule are capped the same way, and a stored request over the order cap is skipped.
import t from 'tap';
import { femaleApalutamideData } from './test-support/fixtures.js';
import { KEYS, auth, startService, v2As } from './test-support/service.js';

type Data = { patient_dtos: Array<{ fsi_encounter_dtos: Array<{ fsi_order_dtos: Array<Record<string, unknown>> }> }> };

/** One woman with `n` orders of 阿帕他胺片 (a male-only drug: one finding each under v1). */
function request(n: number): Data {
  const data = femaleApalutamideData('W1') as Data;
  const [order] = data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos;
  data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos = Array.from({ length: n }, (_, i) => ({ ...order, rx_id: `R${i}` }));
  return data;
}

t.test('a shadow run caps findings per rule and skips requests over the order cap, like a live check', async (t) => {
  const { app } = await startService(t, { checkLimits: { maxOrders: 50, maxFindingsPerRule: 5 } }, '2025-12-01T09:00:00');
  const live = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(KEYS.doctor), payload: request(40) });
  t.equal(live.statusCode, 200);
  t.equal(live.json().result.length, 5, 'the live check keeps 5 findings of the rule');
  t.equal(live.json().truncated[0].dropped, 35);
  await app.checkStore.flush();
  const row = await app.db('checks').first();
  t.ok(row?.request, 'the request is stored');
  // A stored request over today's order cap (stored when the cap was higher).
  const { id: _id, ...template } = row;
  const big = JSON.parse(row.request) as Data;
  const orders = big.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos;
  big.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos = [...orders, ...orders.map((o) => ({ ...o, rx_id: `${String(o.rx_id)}-b` }))];
  await app.db('checks').insert({ ...template, check_id: 'over-the-cap', request: JSON.stringify(big) });

  t.equal((await app.inject({ method: 'PUT', url: '/v1/rulebooks?activation=manual', headers: auth(KEYS.bureau), payload: v2As('2025.10.0') })).statusCode, 201);
  const res = await app.inject({ method: 'POST', url: '/v1/rulebooks/city-demo@2025.10.0/shadow', headers: auth(KEYS.office), payload: { from: '2025-11-01T00:00:00Z' } });
  t.equal(res.statusCode, 200);
  const report = res.json();
  t.equal(report.checks, 1, 'the check within the cap is replayed');
  t.equal(report.skipped, 1, 'the one over the cap is skipped');
  const sex = report.by_rule.find((r: { rule_id: string }) => r.rule_id === 'GZ10000301004000');
  t.match(sex, { baseline: 5, candidate: 0, vanished: 5 }, 'the baseline has the capped 5 findings, not 40');
});
