import t from 'tap';
import { normalizeCheckData, textProblem } from './normalize.js';

t.test('numbers sent as strings become numbers; codes sent as numbers become strings', async (t) => {
  const r = normalizeCheckData({
    trig_scen: 1,
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: 2,
        brdy: '1980-05-01',
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'M1',
            medins_lv: '02',
            fsi_order_dtos: [{ rx_id: 'R1', hilist_code: 'XL02BBA326A001010102180', cnt: '2', pric: '10.5', sumamt: ' 21 ', drord_begn_date: '2025-06-01 09:30:00' }],
          },
        ],
      },
    ],
  });
  t.ok(r.ok);
  if (!r.ok) return;
  const o = r.value.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos![0];
  t.equal(o.cnt, 2);
  t.equal(o.pric, 10.5);
  t.equal(o.sumamt, 21);
  t.equal(r.value.trig_scen, '1');
  t.equal(r.value.patient_dtos[0].gend, '2');
});

t.test('legacy 3660/3661 camelCase keys map onto the national names', async (t) => {
  const r = normalizeCheckData({
    trigScen: '1',
    taskId: 'T9',
    patientDtos: [
      {
        patnId: 'P1',
        fsiEncounterDtos: [{ mdtrtId: 'M1', medMdtrtType: '1', fsiOrderDtos: [{ rxId: 'R1', hilistCode: '001102000050000', currDrordFlag: '1', lv1HospItemPric: '3' }] }],
      },
    ],
  });
  t.ok(r.ok);
  if (!r.ok) return;
  const enc = r.value.patient_dtos[0].fsi_encounter_dtos![0];
  t.equal(r.value.task_id, 'T9');
  t.equal(enc.med_mdtrt_type, '1');
  t.equal(enc.fsi_order_dtos![0].hilist_code, '001102000050000');
  t.equal(enc.fsi_order_dtos![0].curr_drord_flag, '1');
  t.equal(enc.fsi_order_dtos![0].lv1_hosp_item_pric, 3);
});

t.test('every bad field is named by its path', async (t) => {
  const r = normalizeCheckData({
    patient_dtos: [{ brdy: '1980-13-01', fsi_encounter_dtos: [{ fsi_order_dtos: [{ rx_id: 'R1', cnt: 'two', drord_begn_date: '2025-02-30' }, 'x'] }] }],
  });
  t.notOk(r.ok);
  if (r.ok) return;
  const fields = r.errors.map((e) => e.field).sort();
  t.same(fields, [
    'patient_dtos[0].brdy',
    'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].cnt',
    'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].drord_begn_date',
    'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[1]',
    'patient_dtos[0].fsi_encounter_dtos[0].mdtrt_id',
    'patient_dtos[0].patn_id',
  ]);
  t.match(r.errors.find((e) => e.field.endsWith('.cnt'))!.message, /number/);
});

t.test('missing patient_dtos and non-object input are refused', async (t) => {
  const a = normalizeCheckData({});
  t.same(a.ok ? [] : a.errors.map((e) => e.field), ['patient_dtos']);
  const b = normalizeCheckData('nope');
  t.notOk(b.ok);
  const c = normalizeCheckData({ patient_dtos: {} });
  t.same(c.ok ? [] : c.errors, [{ field: 'patient_dtos', message: 'must be an array' }]);
});

t.test('the input object is not modified', async (t) => {
  const input = { patient_dtos: [{ patn_id: 'P', fsi_encounter_dtos: [{ mdtrt_id: 'M', fsi_order_dtos: [{ rx_id: 'R', cnt: '3' }] }] }] };
  const copy = JSON.parse(JSON.stringify(input));
  normalizeCheckData(input);
  t.same(input, copy);
});

t.test('keys named like Object.prototype members are plain fields, never shapes or prototypes (issue 10 #6)', async (t) => {
  const raw = JSON.parse(
    '{"constructor":"x","toString":{"a":1},"__proto__":{"patient_dtos":[{"patn_id":"FAKE"}]},' +
      '"patient_dtos":[{"patn_id":"P1","constructor":[1],"__proto__":{"x":1},"fsi_encounter_dtos":[{"mdtrt_id":"M1","hasOwnProperty":"h",' +
      '"fsi_order_dtos":[{"rx_id":"R1","constructor":{},"__proto__":[]}]}]}]}',
  );
  const r = normalizeCheckData(raw);
  t.notOk(r.ok, 'object values under unknown keys are still refused as non-strings');
  if (r.ok) return;
  t.notOk(
    r.errors.some((e) => /must be an array/.test(e.message)),
    'no key is taken for a child list',
  );
  t.same(r.errors.map((e) => e.field).sort(), [
    '__proto__',
    'patient_dtos[0].__proto__',
    'patient_dtos[0].constructor',
    'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].__proto__',
    'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].constructor',
    'to_string',
  ]);
  const ok = normalizeCheckData(JSON.parse('{"constructor":"x","__proto__":"y","patient_dtos":[{"patn_id":"P1","hasOwnProperty":"1"}]}'));
  t.ok(ok.ok);
  if (!ok.ok) return;
  t.equal((ok.value as any).constructor, 'x');
  t.equal(Object.getOwnPropertyDescriptor(ok.value, '__proto__')?.value, 'y', '__proto__ stays an own field');
  t.equal(ok.value.patient_dtos[0].patn_id, 'P1');
});

t.test('NUL and lone surrogates in any text field are refused, naming the field (issue 10 #2, #4)', async (t) => {
  const raw = {
    task_id: 'T\u0000X',
    patient_dtos: [
      {
        patn_id: 'P1',
        fsi_encounter_dtos: [{ mdtrt_id: 'M1', adm_dept_codg: 'D\ud800', dr_codg: 'DR01', fsi_order_dtos: [{ rx_id: 'R\u00001' }] }],
      },
    ],
  };
  const r = normalizeCheckData(raw);
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(
    r.errors.map((e) => e.field),
    ['task_id', 'patient_dtos[0].fsi_encounter_dtos[0].adm_dept_codg', 'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].rx_id'],
  );
  t.match(r.errors[0].message, /NUL/);
  t.match(r.errors[1].message, /surrogate/);
  t.equal(textProblem('阿帕他胺片 😀'), undefined, 'Chinese text and whole surrogate pairs are fine');
});

t.test('curr_drord_flag: 1/"1"/true current, 0/"0"/false history, missing/null/"" current, anything else refused naming the field', async (t) => {
  const flagOf = (flag: unknown) => {
    const order: Record<string, unknown> = { rx_id: 'R1', hilist_code: 'XL02BBA326A001010102180' };
    if (flag !== 'absent') order.curr_drord_flag = flag;
    return normalizeCheckData({ patient_dtos: [{ patn_id: 'P1', fsi_encounter_dtos: [{ mdtrt_id: 'M1', fsi_order_dtos: [order] }] }] });
  };
  const value = (flag: unknown) => {
    const r = flagOf(flag);
    return r.ok ? r.value.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos![0].curr_drord_flag : 'refused';
  };
  for (const f of [1, '1', true]) t.equal(value(f), '1', `${JSON.stringify(f)} is current`);
  for (const f of [0, '0', false]) t.equal(value(f), '0', `${JSON.stringify(f)} is history`);
  for (const f of ['absent', null, '']) t.equal(value(f), undefined, `${JSON.stringify(f)} is current (no flag)`);
  for (const f of ['2', 'Y', 'N', 'true', 'false', ' 1', 2, -1, 0.5, [], {}]) {
    const r = flagOf(f);
    t.same(r.ok ? [] : r.errors.map((e) => e.field), ['patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag'], `${JSON.stringify(f)} is bad input`);
    if (!r.ok) t.match(r.errors[0].message, /must be 1 .* or 0/);
  }
  const legacy = normalizeCheckData({ patientDtos: [{ patnId: 'P1', fsiEncounterDtos: [{ mdtrtId: 'M1', fsiOrderDtos: [{ rxId: 'R1', currDrordFlag: 'Y' }] }] }] });
  t.same(legacy.ok ? [] : legacy.errors.map((e) => e.field), ['patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag'], 'camelCase key named by its national name');
});
