// Evaluating with a layer: each override kind, local rules, each exemption scope, expiry, caps,
// suppressed-but-recorded findings.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { normalizeCheckData } from '../model/normalize.js';
import type { CheckData } from '../model/request.js';
import { applyExemptions, evaluateWithLayer } from './apply.js';
import type { Exemption, LayerEvaluateOptions } from './types.js';
import { APALUTAMIDE, CHILD_SYRUP, HBA1C, OSIMERTINIB, OT_TRAINING, compiled, exampleLayer, layerWith, maskLikeServer, national, nationalCase, request } from './layer.test-helper.js';

const base = national();
const example = compiled(exampleLayer());
const NOW = '2026-04-01 10:00:00';

const norm = (d: CheckData): CheckData => {
  const n = normalizeCheckData(d);
  if (!n.ok) throw new Error(JSON.stringify(n.errors));
  return n.value;
};
const ids = (out: { result: Array<{ rule_id: string; judge_result_detail_dtos: Array<{ vola_item_type: string; rx_id: string }> }> }) =>
  out.result.map((f) => `${f.rule_id}:${f.judge_result_detail_dtos.find((d) => d.vola_item_type === '1')?.rx_id}`).sort();
const baseIds = (d: CheckData, now = NOW) => ids(evaluate(base, norm(d), { now }));
const layerIds = (d: CheckData, now = NOW, layer = example, opts: Partial<LayerEvaluateOptions> = {}) => ids(evaluateWithLayer(layer, norm(d), { now, ...opts }));

t.test('override phases: 周期超频次 only at 事中 (ov-001)', async (t) => {
  const orders = [
    { rx_id: 'R1', hilist_code: HBA1C, hilist_name: '糖化血红蛋白测定', drord_begn_date: '2026-03-25 09:00:00' },
    { rx_id: 'R2', hilist_code: HBA1C, hilist_name: '糖化血红蛋白测定' },
  ];
  t.same(baseIds(request(orders, { trig: '1' })), ['NHSA2025-XMZQCPC:R2'], 'the bureau: 事前 too');
  t.same(layerIds(request(orders, { trig: '1' })), [], '事前 (门诊): not shown');
  t.same(layerIds(request(orders, { trig: '9' })), ['NHSA2025-XMZQCPC:R2'], '事中 (住院预结算): shown');
  t.same(layerIds(request(orders, { trig: '1' }), '2025-12-31 10:00:00'), ['NHSA2025-XMZQCPC:R2'], 'before the override’s from: the bureau’s phases');
});

t.test('override params: 职业功能训练 age limit 60 → 65 (ov-002)', async (t) => {
  const d = (brdy: string) => request([{ rx_id: 'R1', hilist_code: OT_TRAINING, hilist_name: '职业功能训练' }], { patient: { brdy } });
  t.same(baseIds(d('1963-06-01')), ['NHSA2025-XMXNL:R1'], '62: over the bureau’s 60');
  t.same(layerIds(d('1963-06-01')), [], '62: under the hospital’s 65');
  t.same(layerIds(d('1961-04-01')), ['NHSA2025-XMXNL:R1'], '65 on the day: over');
  const f = evaluateWithLayer(example, norm(d('1958-01-01')), { now: NOW }).result[0];
  t.match(f.vola_cont, /65/, 'the message shows the new limit');
});

t.test('override sev_deg with dates: 重复开药 graded 3 until 2026-07-01 (ov-003)', async (t) => {
  const c = nationalCase('GZ10000301006000');
  const out = (now: string) => evaluateWithLayer(example, norm(c.request), { now }).result.filter((f) => f.rule_id === 'GZ10000301006000');
  t.ok(out('2026-06-02 10:00:00').length > 0);
  t.same([...new Set(out('2026-06-02 10:00:00').map((f) => f.sev_deg))], ['3']);
  t.same([...new Set(out('2026-07-01 00:00:00').map((f) => f.sev_deg))], ['2'], 'from 2026-07-01 the bureau’s grade again');
  t.same(
    [
      ...new Set(
        evaluate(base, norm(c.request), { now: '2026-06-02 10:00:00' })
          .result.filter((f) => f.rule_id === 'GZ10000301006000')
          .map((f) => f.sev_deg),
      ),
    ],
    ['2'],
  );
});

t.test('override message wording (ov-004) and enabled off (ov-005)', async (t) => {
  const d = request([{ rx_id: 'R1', hilist_code: CHILD_SYRUP, hilist_name: '儿童清肺口服液' }]);
  const f = evaluateWithLayer(example, norm(d), { now: NOW }).result.find((x) => x.rule_id === 'GZ10000301002000');
  t.equal(f?.vola_cont, '「儿童清肺口服液」为儿童（18岁以下）专用药品，患者年龄为46岁，请核对或改用成人剂型');
  t.equal(evaluate(base, norm(d), { now: NOW }).result.find((x) => x.rule_id === 'GZ10000301002000')?.vola_cont, '「儿童清肺口服液」为儿童（18岁以下）专用药品，患者年龄为46岁');
  const c = nationalCase('NHSA2025-YPXJYFS');
  t.ok(baseIds(c.request).includes('NHSA2025-YPXJYFS:R1'), 'the bureau flags it');
  t.notOk(
    layerIds(c.request).some((x) => x.startsWith('NHSA2025-YPXJYFS')),
    'switched off by the layer',
  );
  t.ok(layerIds(c.request, '2027-01-01 00:00:00').includes('NHSA2025-YPXJYFS:R1'), 'back on when ov-005 ends');
});

t.test('override scenes', async (t) => {
  const layer = compiled(layerWith({ overrides: [{ id: 'o', rule_id: 'GZ10000301004000', scenes: ['9'], approver: 'a', reason: 'r' }] }));
  const d = (trig: string) => request([{ rx_id: 'R1', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片' }], { trig });
  t.same(baseIds(d('1')), ['GZ10000301004000:R1']);
  t.same(layerIds(d('1'), NOW, layer), []);
  t.same(layerIds(d('9'), NOW, layer), ['GZ10000301004000:R1']);
});

t.test('local rules: a condition rule (example) and a template rule, beside the national ones', async (t) => {
  const vanco = exampleLayer().knowledge!.local_special_abx.rows[0].codes as string[];
  const d = (profttl: string) => request([{ rx_id: 'R1', hilist_code: vanco[0], hilist_name: '注射用盐酸万古霉素', drord_dr_profttl: profttl }]);
  t.ok(layerIds(d('234')).includes('H0001-KJYW-001:R1'), '医师 (234): flagged');
  t.notOk(layerIds(d('232')).includes('H0001-KJYW-001:R1'), '副主任医师 (232): not');
  t.notOk(baseIds(d('234')).includes('H0001-KJYW-001:R1'), 'not in the bureau’s rulebook');
  const layer = compiled(
    layerWith({
      knowledge: { local_age: { rows: [{ name: '职业功能训练', codes: [OT_TRAINING], max_age: 50 }] } },
      rules: [
        { id: 'H-AGE', name: '本院康复项目限50岁以下', sev_deg: '3', message: '「{point}」本院限{limit}，患者{actual}岁', template: 'age-limit', params: {}, knowledge: 'local_age' },
      ],
    }),
  );
  const r = (brdy: string) => evaluateWithLayer(layer, norm(request([{ rx_id: 'R1', hilist_code: OT_TRAINING }], { patient: { brdy } })), { now: NOW }).result;
  t.same(
    r('1970-01-01').map((f) => [f.rule_id, f.sev_deg, f.vola_cont]),
    [['H-AGE', '3', '「职业功能训练」本院限50岁以下，患者56岁']],
    '56: over the hospital’s 50, under the bureau’s 60',
  );
  t.same(r('1980-01-01'), [], '46: clean');
});

/**
 * A 46-year-old woman (patn_id 330102199001011234), four findings: 阿帕他胺片 (限男性 and 限前列腺癌, R1 by
 * doctor D1 of A01), 儿童清肺口服液 (儿童专用, R2 by D2 of A05), 甲磺酸奥希替尼片 (限非小细胞肺癌,
 * diagnosis C50.900 乳腺癌, R3 by D3, no department of its own: the encounter's discharge A09).
 * 2026-07-10: 药品限适应症 is in force from 2026-05-23.
 */
const NOW7 = '2026-07-10 10:00:00';
const JULY = '2026-07-10 09:00:00';
const THREE = request(
  [
    { rx_id: 'R1', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片', drord_dept_codg: 'A01', drord_dr_codg: 'D1', drord_begn_date: JULY },
    { rx_id: 'R2', hilist_code: CHILD_SYRUP, hilist_name: '儿童清肺口服液', drord_dept_codg: 'A05', drord_dr_codg: 'D2', drord_begn_date: JULY },
    { rx_id: 'R3', hilist_code: OSIMERTINIB, hilist_name: '甲磺酸奥希替尼片', drord_dr_codg: 'D3', drord_begn_date: JULY },
  ],
  {
    encounter: {
      adm_date: '2026-07-09',
      dscg_dept_codg: 'A09',
      insutype: '310',
      fsi_diagnose_dtos: [{ dise_id: 'D1', dise_codg: 'C50.900', dise_name: '乳腺恶性肿瘤', maindise_flag: '1', inout_dise_type: '2' }],
    },
  },
);
const ALL = ['GZ10000101008000:R1', 'GZ10000101008000:R3', 'GZ10000301002000:R2', 'GZ10000301004000:R1'];
const ex = (scope: Exemption['scope'], more: Partial<Exemption> = {}): Exemption => ({ id: 'ex-1', scope, reason: '测试', approver: '医保办', ...more });
const withExemptions = (...list: Exemption[]) => compiled(layerWith({ exemptions: list }));
/** Shown and suppressed rule:rx, and the exemption ids of the suppressed. */
function split(list: Exemption[], opts: Partial<LayerEvaluateOptions> = {}, d: CheckData = THREE) {
  const out = evaluateWithLayer(withExemptions(...list), norm(d), { now: NOW7, ...opts });
  return {
    shown: ids(out),
    suppressed: out.suppressed.map((s) => `${s.finding.rule_id}:${s.finding.judge_result_detail_dtos[0].rx_id}=${s.exemption_id}`).sort(),
    out,
  };
}

t.test('the request without exemptions', async (t) => {
  t.same(baseIds(THREE, NOW7), ALL);
  t.same(split([]).shown, ALL);
});

t.test('each exemption scope on its own', async (t) => {
  const only = (scope: Exemption['scope'], opts: Partial<LayerEvaluateOptions> = {}) => split([ex(scope)], opts).suppressed;
  t.same(only({ rule_id: 'GZ10000301004000' }), ['GZ10000301004000:R1=ex-1'], 'rule');
  t.same(only({ dept_codg: 'A05' }), ['GZ10000301002000:R2=ex-1'], 'department of the order');
  t.same(only({ dept_codg: 'A09' }), ['GZ10000101008000:R3=ex-1'], 'department by attribution: the encounter’s discharge department when the order names none');
  t.same(only({ dr_codg: 'D3' }), ['GZ10000101008000:R3=ex-1'], 'doctor');
  t.same(only({ hilist_code: OSIMERTINIB }), ['GZ10000101008000:R3=ex-1'], 'drug code');
  t.same(only({ diagnosis_prefix: 'C50' }), ALL.map((x) => `${x}=ex-1`).sort(), 'diagnosis prefix: every finding of the encounter');
  t.same(only({ diagnosis_prefix: 'C34' }), [], 'another diagnosis');
  t.same(only({ insutype: '310' }).length, 4, 'insurance type');
  t.same(only({ insutype: '390' }), [], 'another insurance type');
  t.same(only({ patient: '33**************34' }, { patientKey: maskLikeServer }).length, 4, 'patient by the masked id the server keys it with');
  t.same(only({ patient: '33**************34' }), [], 'without the server’s key function the raw id is compared: no match');
  t.same(only({ patient: '44**************34' }, { patientKey: maskLikeServer }), [], 'another patient');
});

t.test('scopes combine: AND across fields, OR within a list', async (t) => {
  t.same(split([ex({ rule_id: 'GZ10000301004000', hilist_code: CHILD_SYRUP })]).suppressed, [], 'rule of R1 and code of R2: nothing');
  t.same(
    split([ex({ rule_id: 'GZ10000101008000', hilist_code: OSIMERTINIB, diagnosis_prefix: 'C50', patient: '33**************34' })], { patientKey: maskLikeServer }).suppressed,
    ['GZ10000101008000:R3=ex-1'],
    'the typical 特殊病种 entry: patient + drug + diagnosis + rule',
  );
  t.same(split([ex({ hilist_code: [APALUTAMIDE, CHILD_SYRUP] })]).suppressed, ['GZ10000101008000:R1=ex-1', 'GZ10000301002000:R2=ex-1', 'GZ10000301004000:R1=ex-1']);
  t.same(split([ex({ dept_codg: ['A01', 'A09'], dr_codg: 'D1' })]).suppressed, ['GZ10000101008000:R1=ex-1', 'GZ10000301004000:R1=ex-1']);
  // The finding about the encounter (diagnosis) has no drug code: a code-scoped exemption never matches it.
  t.same(split([ex({ diagnosis_prefix: 'C5', rule_id: 'GZ10000101008000' })]).suppressed, ['GZ10000101008000:R1=ex-1', 'GZ10000101008000:R3=ex-1'], 'a shorter prefix');
  const dscg = request([{ rx_id: 'R1', hilist_code: OSIMERTINIB, drord_begn_date: JULY }], { encounter: { adm_date: '2026-07-09', dscg_main_dise_codg: 'C50.901' } });
  t.same(split([ex({ diagnosis_prefix: 'C50.9' })], {}, dscg).suppressed, ['GZ10000101008000:R1=ex-1'], 'the discharge main diagnosis counts');
});

t.test('expiry is judged against the evaluation time', async (t) => {
  const e = ex({ rule_id: 'GZ10000301004000' }, { from: '2026-07-10 10:00:00', to: '2026-08-01' });
  t.same(split([e], { now: '2026-07-10 09:59:59' }).suppressed, [], 'before from');
  t.same(split([e], { now: '2026-07-10 10:00:00' }).suppressed, ['GZ10000301004000:R1=ex-1'], 'from is inclusive');
  t.same(split([e], { now: '2026-07-31 23:59:59' }).suppressed.length, 1);
  t.same(split([e], { now: '2026-08-01 00:00:00' }).suppressed, [], 'expired: to is exclusive');
});

t.test('caps: uses before (from the caller) plus uses in this evaluation', async (t) => {
  const e = ex({ hilist_code: [APALUTAMIDE, CHILD_SYRUP] }, { cap: 3 });
  const fresh = split([e], { usage: () => 0 });
  t.same(fresh.out.exemption_uses, { 'ex-1': 3 });
  t.same(fresh.out.cap_reached, []);
  const seen: string[] = [];
  const last = split([e], {
    usage: (id) => {
      seen.push(id);
      return 2;
    },
  });
  t.equal(last.suppressed.length, 1, 'one use left: the first finding is suppressed …');
  t.equal(last.shown.length, 3, '… the others are shown');
  t.same(last.out.exemption_uses, { 'ex-1': 1 });
  t.same(last.out.cap_reached, ['ex-1']);
  t.ok(seen.every((id) => id === 'ex-1'));
  const spent = split([e], { usage: () => 3 });
  t.same(spent.suppressed, []);
  t.same(spent.out.exemption_uses, {});
  t.same(spent.out.cap_reached, ['ex-1']);
  t.same(split([ex({ hilist_code: APALUTAMIDE })], { usage: () => 1e9 }).suppressed.length, 2, 'no cap: usage does not matter');
});

t.test('suppressed findings are recorded with the exemption id and their source; the first exemption in file order wins', async (t) => {
  const out = evaluateWithLayer(withExemptions(ex({ rule_id: 'GZ10000301002000' }, { id: 'ex-a' }), ex({ hilist_code: CHILD_SYRUP }, { id: 'ex-b' })), norm(THREE), {
    now: NOW7,
    withSources: true,
  });
  t.equal(out.suppressed.length, 1);
  t.equal(out.suppressed[0].exemption_id, 'ex-a');
  t.equal(out.suppressed[0].finding.rule_id, 'GZ10000301002000');
  t.equal(out.suppressed[0].source.order?.rx_id, 'R2');
  t.equal(out.result.length, 3);
  t.equal(out.sources?.length, 3, 'sources stay aligned with the shown findings');
  out.result.forEach((f, i) => t.equal(out.sources![i].order?.rx_id, f.judge_result_detail_dtos[0].rx_id));
  t.equal(out.layer, 't-layer@1.0.0');
  t.equal(out.base, base.digest);
  const reversed = evaluateWithLayer(withExemptions(ex({ hilist_code: CHILD_SYRUP }, { id: 'ex-b' }), ex({ rule_id: 'GZ10000301002000' }, { id: 'ex-a' })), norm(THREE), { now: NOW7 });
  t.equal(reversed.suppressed[0].exemption_id, 'ex-b');
  t.equal(reversed.sources, undefined, 'no sources unless asked');
});

t.test('1,000 exemptions: only the matching one applies', async (t) => {
  const noise: Exemption[] = [];
  for (let i = 0; i < 1000; i++) {
    const k = i % 5;
    const scope: Exemption['scope'] =
      k === 0
        ? { patient: `P${i}` }
        : k === 1
          ? { hilist_code: `X${i}` }
          : k === 2
            ? { dr_codg: `D${i + 10}`, rule_id: 'GZ10000301004000' }
            : k === 3
              ? { diagnosis_prefix: `J${i}` }
              : { dept_codg: `B${i}` };
    noise.push(ex(scope, { id: `n-${i}` }));
  }
  t.same(split(noise).suppressed, []);
  t.same(split([...noise, ex({ dr_codg: 'D2' }, { id: 'hit' })]).suppressed, ['GZ10000301002000:R2=hit']);
});

t.test('applyExemptions needs the sources', async (t) => {
  const layer = withExemptions(ex({ rule_id: 'GZ10000301004000' }));
  const out = evaluate(layer.rulebookAt(NOW7), norm(THREE), { now: NOW7 });
  t.throws(() => applyExemptions(layer, out, { now: NOW7 }), /withSources/);
  const ok = applyExemptions(layer, evaluate(layer.rulebookAt(NOW7), norm(THREE), { now: NOW7, withSources: true }), { now: NOW7 });
  t.equal(ok.suppressed.length, 1);
});

t.test('patient scope with two patients in one request: each finding keyed by its own patient', async (t) => {
  const one = request([{ rx_id: 'R1', hilist_code: APALUTAMIDE, drord_begn_date: JULY }], { encounter: { adm_date: '2026-07-09' } });
  const other = structuredClone(one.patient_dtos[0]);
  other.patn_id = '440102199001015678';
  other.fsi_encounter_dtos![0].mdtrt_id = 'M2';
  other.fsi_encounter_dtos![0].fsi_order_dtos![0].rx_id = 'R9';
  const d: CheckData = { ...one, patient_dtos: [one.patient_dtos[0], other, structuredClone(one.patient_dtos[0])] };
  d.patient_dtos[2].fsi_encounter_dtos![0].mdtrt_id = 'M3';
  d.patient_dtos[2].fsi_encounter_dtos![0].fsi_order_dtos![0].rx_id = 'R5';
  const s = split([ex({ patient: '44**************78', rule_id: 'GZ10000301004000' })], { patientKey: maskLikeServer }, d);
  t.same(s.suppressed, ['GZ10000301004000:R9=ex-1']);
  t.same(s.shown, ['GZ10000101008000:R1', 'GZ10000101008000:R5', 'GZ10000101008000:R9', 'GZ10000301004000:R1', 'GZ10000301004000:R5']);
});
