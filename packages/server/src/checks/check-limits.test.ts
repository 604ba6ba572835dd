// What one check may cost (issue 10 #1): n orders of one item on one day used to give n²/2
// detail rows (2,000 orders: 27 s, 3.6 GB, a 260 MB reply; 3,000: a 500). Now the orders per
// request are capped (infcode -1 / 400 naming the field beyond it) and the reply is bounded.
import t from 'tap';
import { testApp } from '../test-support/helpers.js';
import { DEFAULT_CHECK_LIMITS } from './check-limits.js';

const NURSING = '001201000030000'; // Ⅰ级护理: 医疗服务项目限定频次, once a day (national rulebook)
const ORDERS_FIELD = 'patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos';

function checkData(n: number): Record<string, unknown> {
  return {
    task_id: 'T-LIMITS',
    trig_scen: '6',
    patient_dtos: [
      {
        patn_id: 'P-LIMITS',
        gend: '1',
        brdy: '1960-01-01',
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'ZY-LIMITS',
            med_mdtrt_type: '2',
            medins_lv: '02',
            insutype: '310',
            adm_date: '2025-06-01',
            fsi_order_dtos: Array.from({ length: n }, (_, i) => ({
              rx_id: `RX${String(i).padStart(5, '0')}`,
              hilist_code: NURSING,
              hilist_name: 'Ⅰ级护理',
              cnt: 1,
              pric: 25,
              sumamt: 25,
              drord_begn_date: '2025-06-10 08:00:00',
            })),
          },
        ],
      },
    ],
  };
}
const envelope = (n: number, infno = '3102') => ({ infno, msgid: `MSG-LIMITS-${n}`, fixmedins_code: 'H33010000001', input: { data: checkData(n) } });

t.test('defaults: 1,000 orders per request, 20 involved orders per finding, 200 findings per rule', async (t) => {
  t.same(DEFAULT_CHECK_LIMITS, { maxOrders: 1000, maxInvolved: 20, maxFindingsPerRule: 200 });
});

t.test('3,000 orders of one item on one day: a bounded reply that says what it left out', async (t) => {
  const app = await testApp({ checkLimits: { maxOrders: 5000 } });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/nhsa/3102', payload: envelope(3000) });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.infcode, 0, body.err_msg);
  const findings = body.output.result.filter((r: any) => r.rule_id === 'GZ10000102014000');
  t.equal(findings.length, 200, 'the findings of the rule stop at the cap');
  t.ok(
    body.output.result.every((r: any) => r.judge_result_detail_dtos.length <= 21),
    'no finding lists more than 1 + 20 orders',
  );
  t.match(body.warn_msg, /GZ10000102014000/);
  t.match(body.warn_msg, /2799/);
  t.ok(res.body.length < 1_000_000, `reply of ${res.body.length} bytes`);
});

t.test('over the cap on the national route: infcode -1 naming the field', async (t) => {
  const app = await testApp();
  t.teardown(() => app.close());
  const over = await app.inject({ method: 'POST', url: '/nhsa/3102', payload: envelope(1001) });
  t.equal(over.statusCode, 200);
  const body = over.json();
  t.equal(body.infcode, -1);
  t.match(body.err_msg, `input.data.${ORDERS_FIELD}`);
  t.match(body.err_msg, /1001/);
  t.match(body.err_msg, /1000/);
  const at = (await app.inject({ method: 'POST', url: '/nhsa/3102', payload: envelope(1000) })).json();
  t.equal(at.infcode, 0, 'exactly the cap is served');
  const soap = await app.inject({
    method: 'POST',
    url: '/soap',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    payload: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><BusinessHandle xmlns="urn:preaudit:soap"><input>${JSON.stringify(envelope(1001)).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</input></BusinessHandle></soap:Body></soap:Envelope>`,
  });
  t.match(soap.body, `input.data.${ORDERS_FIELD}`, 'SOAP goes through the same door');
});

t.test('over the cap on /v1/check: 400 naming the field', async (t) => {
  const app = await testApp({ checkLimits: { maxOrders: 10 } });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/v1/check', payload: checkData(11) });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'PA_BAD_INPUT', fields: [{ field: ORDERS_FIELD }] });
  const ok = await app.inject({ method: 'POST', url: '/v1/check', payload: checkData(10) });
  t.equal(ok.statusCode, 200);
  t.same(ok.json().truncated, [], '/v1 replies say which rules were cut (none here)');
});

t.test('CDS Hooks go through the same cap', async (t) => {
  const app = await testApp({ checkLimits: { maxOrders: 2 } });
  t.teardown(() => app.close());
  const draft = (id: string) => ({
    resource: {
      resourceType: 'ServiceRequest',
      id,
      status: 'draft',
      occurrenceDateTime: '2025-06-10T09:00:00+08:00',
      code: { coding: [{ system: 'https://www.nhsa.gov.cn/hilist', code: NURSING, display: 'Ⅰ级护理' }] },
    },
  });
  const res = await app.inject({
    method: 'POST',
    url: '/cds-services/preaudit-order-sign',
    payload: {
      hook: 'order-sign',
      hookInstance: 'H-LIMITS',
      context: { userId: 'Practitioner/DR1', patientId: 'P1', encounterId: 'E1', draftOrders: { resourceType: 'Bundle', entry: [draft('a'), draft('b'), draft('c')] } },
    },
  });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'PA_BAD_INPUT', fields: [{ field: 'context.draftOrders.entry' }] });
});

t.test('the limits come from the environment: PA_MAX_ORDERS, PA_MAX_INVOLVED, PA_MAX_FINDINGS_PER_RULE', async (t) => {
  const { configFromEnv } = await import('../server.js');
  t.same(configFromEnv({}).app.checkLimits, { maxOrders: 1000, maxInvolved: 20, maxFindingsPerRule: 200 });
  t.same(configFromEnv({ PA_MAX_ORDERS: '3000', PA_MAX_INVOLVED: '5', PA_MAX_FINDINGS_PER_RULE: '50' }).app.checkLimits, { maxOrders: 3000, maxInvolved: 5, maxFindingsPerRule: 50 });
  t.throws(() => configFromEnv({ PA_MAX_ORDERS: '0' }), /^PA_MAX_ORDERS: must be at least 1/);
  t.throws(() => configFromEnv({ PA_MAX_FINDINGS_PER_RULE: 'many' }), /^PA_MAX_FINDINGS_PER_RULE: not a whole number/);
});
