/**
 * One order, one department: a real-time check (stored findings, read back through the
 * compliance report's department filter) and a batch audit (his-adapter's judgeRequest) file
 * each order under the same department, whether it comes from the order, the discharge or the
 * admission record (core-rules' attributionOf).
 */
import t from 'tap';
import type { CheckData } from '@preaudit/core-rules';
import { judgeRequest } from '@preaudit/his-adapter';
import { NOW, nationalRulebook, testApp } from '../test-support/helpers.js';
import { apalutamideOrder } from '../test-support/orders.js';

/** 阿帕他胺片: male-only, so every line fires 药品区分性别使用 for this woman. */
const order = (rx_id: string, dept?: string) => apalutamideOrder(rx_id, '2025-06-10 09:00:00', dept ? { drord_dept_codg: dept, drord_dept_name: `${dept}科` } : {});

const patient = (mdtrt_id: string, encounter: Record<string, unknown>, orders: unknown[]) => ({
  patn_id: '330102198003150028',
  gend: '2',
  brdy: '1980-03-15',
  fsi_encounter_dtos: [{ mdtrt_id, medins_lv: '02', med_mdtrt_type: '2', adm_date: '2025-06-01 08:00:00', dr_codg: 'DR01', ...encounter, fsi_order_dtos: orders }],
});

/**
 * Discharge ≠ admission ≠ order department; the first order names its own department, the second
 * does not; the C61 diagnosis (prostate cancer, for a woman) is a finding about the encounter as a
 * whole, with no offending order.
 */
const transferred: CheckData = {
  task_id: 'T-ATTR-1',
  trig_scen: '2',
  patient_dtos: [
    patient(
      'ZY-ATTR-1',
      {
        adm_dept_codg: 'D-ADM',
        adm_dept_name: '入院科',
        dscg_dept_codg: 'D-DSCG',
        dscg_dept_name: '出院科',
        fsi_diagnose_dtos: [{ dise_id: 'DX1', maindise_flag: '1', dise_codg: 'C61', dise_name: '前列腺恶性肿瘤' }],
      },
      [order('R1', 'D-ORD'), order('R2')],
    ),
  ],
} as unknown as CheckData;

/** Not yet discharged: only the admission department, and an order without one. */
const admitted: CheckData = {
  task_id: 'T-ATTR-2',
  trig_scen: '2',
  patient_dtos: [patient('ZY-ATTR-2', { adm_dept_codg: 'D-ADM2', adm_dept_name: '入院科2' }, [order('R3')])],
} as unknown as CheckData;

t.test('the real-time path and the batch path file each order under the same department', async (t) => {
  const app = await testApp();
  t.teardown(() => app.close());

  const batch = new Map<string, number>();
  const byRx = new Map<string, string>();
  for (const [i, data] of [transferred, admitted].entries()) {
    const res = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: { infno: '3101', msgid: `MSG-ATTR-${i}`, input: { data } } });
    t.equal(res.statusCode, 200, 'the check is answered');
    t.ok(res.json().output.result.length > 0, 'the check has findings');
    const out = judgeRequest({ active: nationalRulebook() }, data, { phase: '事前', scenes: ['2'], idPrefix: `B${i}-`, now: NOW.toISOString() });
    for (const f of out.findings) {
      batch.set(f.dept_codg, (batch.get(f.dept_codg) ?? 0) + 1);
      if (f.rule_id === 'GZ10000301004000') byRx.set(f.rx_id, f.dept_codg);
      if (f.rule_id === 'GZ10000204006000') byRx.set(`${f.mdtrt_id} (no order: ${f.rx_id || 'none'})`, f.dept_codg);
    }
  }

  t.same(Object.fromEntries(byRx), { R1: 'D-ORD', R2: 'D-DSCG', R3: 'D-ADM2', 'ZY-ATTR-1 (no order: none)': 'D-DSCG' }, 'order, then discharge, then admission department');
  for (const [department, count] of batch) {
    const report = await app.inject({ method: 'GET', url: `/v1/reports/compliance?from=2025-06-01&to=2025-06-30&department=${encodeURIComponent(department)}` });
    t.equal(report.statusCode, 200, 'the report is answered');
    t.equal(report.json().total.warnings, count, `${department || '(none)'}: as many stored real-time findings as batch findings`);
  }
  const adm = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2025-06-01&to=2025-06-30&department=D-ADM' });
  t.equal(adm.json().total.warnings, 0, 'nothing of the transferred stay is filed under its admission department');
});
