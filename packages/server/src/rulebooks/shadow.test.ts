import t from 'tap';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { femaleApalutamideData } from './test-support/fixtures.js';
import { KEYS, auth, startService, v2As } from './test-support/service.js';

/** A 3101 request of one woman with `n` orders of 阿帕他胺片 over as many days (one finding each under v1). */
function bigRequest(n: number): Record<string, unknown> {
  const data = femaleApalutamideData('W1') as { patient_dtos: Array<{ fsi_encounter_dtos: Array<{ fsi_order_dtos: Array<Record<string, unknown>> }> }> };
  const [order] = data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos;
  data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos = Array.from({ length: n }, (_, i) => ({
    ...order,
    rx_id: `R${i}`,
    drord_begn_date: `2025-06-${String(1 + (i % 28)).padStart(2, '0')} 09:00:00`,
  }));
  return data;
}

t.test('a shadow run over many stored checks does not block the event loop: a 3101 check answers meanwhile (issue 10 #12)', async (t) => {
  const { app } = await startService(t, {}, '2025-12-01T09:00:00');
  // One real check stores its (de-identified) request; copies of its row stand for a busy month.
  const first = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(KEYS.doctor), payload: bigRequest(40) });
  t.equal(first.statusCode, 200);
  await app.checkStore.flush();
  const row = await app.db('checks').first();
  t.ok(row?.request, 'the request is stored');
  const { id: _id, ...template } = row;
  const copies = 3000;
  for (let i = 0; i < copies; i += 200)
    await app.db('checks').insert(Array.from({ length: Math.min(200, copies - i) }, (_, k) => ({ ...template, check_id: `shadow-${i + k}`, time: '2025-11-20T01:00:00.000Z' })));
  t.equal((await app.inject({ method: 'PUT', url: '/v1/rulebooks?activation=manual', headers: auth(KEYS.bureau), payload: v2As('2025.10.0') })).statusCode, 201);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const shadow = app.inject({ method: 'POST', url: '/v1/rulebooks/city-demo@2025.10.0/shadow', headers: auth(KEYS.office), payload: { from: '2025-11-01T00:00:00Z' } });
  // A doctor's check due 100 ms into the run: its wait counts from then, not from when a blocked
  // event loop finally lets the timer fire.
  const checkStart = started + 100;
  await new Promise((r) => setTimeout(r, 100));
  const check = await app.inject({
    method: 'POST',
    url: '/nhsa/3101',
    headers: auth(KEYS.doctor),
    payload: { infno: '3101', msgid: 'M-SHADOW-1', input: { data: femaleApalutamideData('P9') } },
  });
  const checkMs = performance.now() - checkStart;
  const report = (await shadow).json();
  const totalMs = performance.now() - started;
  delay.disable();
  const maxBlockMs = delay.max / 1e6;
  t.equal(check.statusCode, 200);
  t.equal(check.json().infcode, 0);
  t.ok(report.checks >= copies + 1, 'every stored check was replayed (and the one made meanwhile, if it was written in time)');
  t.ok(report.totals.vanished >= copies, 'v2 drops the sex rule findings');
  t.comment(`shadow run ${Math.round(totalMs)} ms; 3101 answered in ${Math.round(checkMs)} ms; longest event-loop block ${Math.round(maxBlockMs)} ms`);
  t.ok(checkMs < 500, `the 3101 check answered in ${Math.round(checkMs)} ms while the shadow run went on`);
  t.ok(maxBlockMs < 500, `longest event-loop block ${Math.round(maxBlockMs)} ms`);
  t.ok(checkStart + checkMs < started + totalMs, 'the check did not wait for the shadow run to finish');
});
