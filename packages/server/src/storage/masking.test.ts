import t from 'tap';
import { deidentify, maskFindings, maskId } from './masking.js';

t.test('maskId keeps only the first and last characters', async (t) => {
  t.equal(maskId('330102198003150028'), '33**************28');
  t.equal(maskId('P12345678'), 'P*******8');
  t.equal(maskId('ABC123'), 'A*****');
  t.equal(maskId('AB'), '**');
  t.equal(maskId(undefined), '');
});

t.test('findings are stored with masked ids and without the patient name', async (t) => {
  const [r] = maskFindings(
    [
      {
        jr_id: 'j', rule_id: 'r', rule_name: 'n', vola_cont: '患者张某某用药', patn_id: '330102198003150028', mdtrt_id: 'm', vola_amt: 1, vola_amt_stas: '1',
        sev_deg: '1', vola_evid: 'e 张某某', vola_bhvr_type: 'b', task_id: 't',
        judge_result_detail_dtos: [{ jrd_id: 'd', patn_id: '330102198003150028', mdtrt_id: 'm', rx_id: 'x', vola_item_type: '1', vola_amt: 1 }],
      },
    ],
    ['张某某'],
  );
  t.equal(r.patn_id, '33**************28');
  t.equal(r.judge_result_detail_dtos[0].patn_id, '33**************28');
  t.notMatch(r.vola_cont + r.vola_evid, '张某某');
});

t.test('deidentify drops names and HIS free data, masks ids', async (t) => {
  const out = deidentify({ patient_dtos: [{ patn_id: '330102198003150028', patn_name: '张某某', fsi_his_data_dto: { x: 1 }, gend: '2' }] });
  t.same(out.patient_dtos[0], { patn_id: '33**************28', gend: '2' });
});
