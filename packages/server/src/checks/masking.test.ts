import t from 'tap';
import { normalizeCheckData } from '@preaudit/core-rules';
import { deidentifiedJson, deidentify, maskFindings, maskId } from './masking.js';
import { example } from '../test-support/helpers.js';

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
        jr_id: 'j',
        rule_id: 'r',
        rule_name: 'n',
        vola_cont: '患者张某某用药',
        patn_id: '330102198003150028',
        mdtrt_id: 'm',
        vola_amt: 1,
        vola_amt_stas: '1',
        sev_deg: '1',
        vola_evid: 'e 张某某',
        vola_bhvr_type: 'b',
        task_id: 't',
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

t.test('deidentify keeps national fields only: extra fields at every level are dropped (issue 10 #7)', async (t) => {
  const extra = { certno: '330102198003150028', tel: '13800138000', addr: '杭州市西湖区某路1号', psn_name: '张某某', memo: '家属李某某陪同' };
  const data = {
    ...extra,
    task_id: 'T1',
    trig_scen: '1',
    patient_dtos: [
      {
        ...extra,
        patn_id: '330102198003150028',
        patn_name: '张某某',
        gend: '2',
        fsi_his_data_dto: { phone: '13800138000' },
        fsi_encounter_dtos: [
          {
            ...extra,
            mdtrt_id: 'MZ-1',
            medins_lv: '02',
            wardno: '5',
            bedno: '12',
            dscg_main_dise_name: '张某某的主诊断',
            fsi_diagnose_dtos: [{ ...extra, dise_codg: 'C61.x00', dise_name: '前列腺恶性肿瘤' }],
            fsi_order_dtos: [{ ...extra, rx_id: 'R1', hilist_code: 'XL02BBA326A001010102180', cnt: 1, drord_dr_name: '王医生', drord_dr_codg: 'DR01' }],
            fsi_operation_dtos: [{ ...extra, oprn_code: '60.5', oper_dr_name: '赵医生', anst_dr_name: '钱医生', oper_dr_code: 'D9' }],
          },
        ],
      },
    ],
  };
  const out = deidentify(data) as any;
  const text = JSON.stringify(out);
  for (const value of ['13800138000', '杭州市', '张某某', '李某某', '王医生', '赵医生', '钱医生', '330102198003150028']) t.notMatch(text, value, `${value} not stored`);
  for (const key of ['certno', 'tel', 'addr', 'psn_name', 'memo', 'fsi_his_data_dto', 'wardno', 'bedno', 'patn_name']) t.notMatch(text, `"${key}"`, `${key} dropped`);
  t.same(Object.keys(out).sort(), ['patient_dtos', 'task_id', 'trig_scen']);
  const enc = out.patient_dtos[0].fsi_encounter_dtos[0];
  t.equal(out.patient_dtos[0].patn_id, '33**************28');
  t.equal(enc.medins_lv, '02');
  t.equal(enc.dscg_main_dise_name, '***的主诊断', 'the patient name is cut out of kept text');
  t.same(enc.fsi_diagnose_dtos, [{ dise_codg: 'C61.x00', dise_name: '前列腺恶性肿瘤' }]);
  t.same(enc.fsi_order_dtos, [{ rx_id: 'R1', hilist_code: 'XL02BBA326A001010102180', cnt: 1, drord_dr_codg: 'DR01' }]);
  t.same(enc.fsi_operation_dtos, [{ oprn_code: '60.5', oper_dr_code: 'D9' }]);
});

t.test('deidentifiedJson writes the same text as JSON.stringify(deidentify(data)), on every example and on extra fields at every level', async (t) => {
  const extra = { certno: '330102198003150028', memo: '家属张某某陪同', n: 1.5, nested: { a: [1, '张某某'] } };
  const inputs: unknown[] = [];
  for (const [name, path] of [
    ['3101-outpatient-violations.json', ['input', 'data']],
    ['3102-inpatient-stay.json', ['input', 'data']],
    ['3660-legacy-camelcase.json', ['input', 'data']],
    ['check-data-child-outpatient.json', []],
  ] as const) {
    let node: any = example(name);
    for (const key of path) node = node[key];
    const normalized = normalizeCheckData(node);
    t.ok(normalized.ok, `${name} normalises`);
    if (normalized.ok) inputs.push(normalized.value);
  }
  inputs.push({
    ...extra,
    task_id: 'T1',
    patient_dtos: [
      {
        ...extra,
        patn_id: '330102198003150028',
        patn_name: '张某某',
        gend: '2',
        fsi_encounter_dtos: [{ ...extra, mdtrt_id: 'M', dscg_main_dise_name: '张某某的主诊断', fsi_order_dtos: [{ ...extra, rx_id: 'R1', cnt: 2 }], fsi_diagnose_dtos: 'not a list' }],
      },
      'not an object',
    ],
  });
  for (const data of inputs) t.equal(deidentifiedJson(data as any), JSON.stringify(deidentify(data as any)));
});
