import t from 'tap';
import type { CheckData } from '@preaudit/core-rules';
import { StatsCollector } from './stats.js';

const req = (): CheckData => ({
  patient_dtos: [
    {
      patn_id: 'P1',
      fsi_encounter_dtos: [
        {
          mdtrt_id: 'Z1',
          adm_dept_codg: 'A01',
          adm_dept_name: '心血管内科',
          dr_codg: 'D9',
          fsi_order_dtos: [
            { rx_id: '1', drord_dept_codg: 'A01', drord_dept_name: '心血管内科', drord_dr_codg: 'D1', drord_dr_name: '王', sumamt: 10 },
            { rx_id: '2', drord_dept_codg: 'B01', drord_dept_name: '普通外科', drord_dr_codg: 'D2', drord_dr_name: '李', cnt: 2, pric: 3 },
            { rx_id: '3', drord_dept_codg: 'A01', drord_dept_name: '心血管内科', drord_dr_codg: 'D1', sumamt: 5 },
            { rx_id: '4' },
          ],
        },
        { mdtrt_id: 'Z2', fsi_order_dtos: [{ rx_id: '5', drord_dept_codg: 'A01', drord_dr_codg: 'D1', sumamt: 1 }] },
        { mdtrt_id: 'Z3', fsi_order_dtos: [] },
      ],
    },
  ],
});

t.test('encounters count once per department and doctor; fees add up', async (t) => {
  const s = new StatsCollector();
  s.addRequests([req()]);
  const by = (dim: string, key: string) => s.rows().find((r) => r.dim === dim && r.key === key);
  t.match(by('total', ''), { encounters: 3, orders: 5, fee: 22 });
  t.match(by('dept', 'A01'), { name: '心血管内科', encounters: 2, orders: 4, fee: 16 }, 'order 4 falls back to the admission department');
  t.match(by('dept', 'B01'), { encounters: 1, orders: 1, fee: 6 }, 'cnt × pric without sumamt');
  t.match(by('doctor', 'D1'), { name: '王', parent: '心血管内科', encounters: 2, orders: 3 });
  t.match(by('doctor', 'D9'), { encounters: 1, orders: 1 });
  const again = new StatsCollector();
  again.addRows(s.rows());
  again.addRows(s.rows());
  t.match(
    again.rows().find((r) => r.dim === 'dept' && r.key === 'A01'),
    { encounters: 4, orders: 8, fee: 32 },
  );
});
