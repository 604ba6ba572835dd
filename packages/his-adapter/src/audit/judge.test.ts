import t from 'tap';
import { compileRulebookFiles, indexRulebook, type CheckData, type CompiledRulebook } from '@preaudit/core-rules';
import { readRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { judgeRequest } from './judge.js';

const APALUTAMIDE = 'XL02BBA326A001010102180'; // 阿帕他胺片, 限男性
const CHILD_LUNG = 'ZA04CAE0023010100166'; // 儿童清肺口服液, 儿童专用

/** The national rulebook re-issued with other dates (and optionally only some rules). */
function version(version: string, from: string, to: string | null, ruleIds?: string[]): CompiledRulebook {
  const files = readRulebookDir(NATIONAL_RULEBOOK_DIR);
  const manifest = JSON.parse(files.manifest as string);
  manifest.version = version;
  manifest.effective_from = from;
  manifest.effective_to = to;
  if (ruleIds) manifest.rules = manifest.rules.filter((r: { id: string }) => ruleIds.includes(r.id));
  const loaded = compileRulebookFiles({ manifest, files: Object.fromEntries(Object.entries(files.files).filter(([k]) => !k.startsWith('cases/'))) });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  return indexRulebook(loaded.rulebook);
}

const request = (): CheckData => ({
  patient_dtos: [
    {
      patn_id: 'P1',
      gend: '2',
      brdy: '1980-01-01',
      fsi_encounter_dtos: [
        {
          mdtrt_id: 'Z1',
          adm_date: '2025-01-20',
          med_mdtrt_type: '2',
          adm_dept_codg: 'A01',
          adm_dept_name: '心血管内科',
          dr_codg: 'D9',
          fsi_order_dtos: [
            {
              rx_id: 'R1',
              hilist_code: APALUTAMIDE,
              hilist_name: '阿帕他胺片',
              cnt: 1,
              pric: 100,
              sumamt: 100,
              drord_begn_date: '2025-01-25 09:00:00',
              drord_dept_codg: 'B01',
              drord_dept_name: '普通外科',
              drord_dr_codg: 'D1',
              drord_dr_name: '王医生',
            },
            { rx_id: 'R2', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片', cnt: 1, pric: 100, sumamt: 100, drord_begn_date: '2025-02-03 09:00:00' },
            { rx_id: 'R3', hilist_code: CHILD_LUNG, hilist_name: '儿童清肺口服液', cnt: 2, pric: 30, sumamt: 60, drord_begn_date: '2025-02-04 09:00:00' },
          ],
        },
      ],
    },
  ],
});

t.test('findings carry the offending order, its department, doctor and rulebook', async (t) => {
  const national = version('2025.8.0', '2025-01-01', null);
  const { findings, errors } = judgeRequest({ active: national }, request(), { phase: '事后', idPrefix: 'J-' });
  t.same(errors, []);
  const r1 = findings.find((f) => f.rx_id === 'R1')!;
  t.match(r1, {
    rule_id: 'GZ10000301004000',
    rule_name: '药品区分性别使用',
    mdtrt_id: 'Z1',
    hilist_code: APALUTAMIDE,
    dept_codg: 'B01',
    dept_name: '普通外科',
    dr_codg: 'D1',
    dr_name: '王医生',
    vola_amt: 100,
    rulebook: 'nhsa-liangku@2025.8.0',
    order_date: '2025-01-25 09:00:00',
    med_mdtrt_type: '2',
  });
  const r2 = findings.find((f) => f.rx_id === 'R2')!;
  t.match(r2, { dept_codg: 'A01', dept_name: '心血管内科', dr_codg: 'D9' }, 'falls back to the encounter');
  t.ok(findings.every((f) => f.jr_id.startsWith('J-')));
  t.equal(new Set(findings.map((f) => f.jr_id)).size, findings.length);
});

t.test('each order is judged by the version in force on its order date', async (t) => {
  // January: only the sex rule; from February: only the children rule.
  const jan = version('2025.1.0', '2025-01-01', '2025-02-01', ['GZ10000301004000']);
  const feb = version('2025.2.0', '2025-02-01', null, ['GZ10000301002000']);
  const { findings } = judgeRequest({ active: feb, versions: [jan, feb] }, request(), { phase: '事后', idPrefix: 'J-' });
  t.same(
    findings.map((f) => [f.rx_id, f.rule_id, f.rulebook]).sort(),
    [
      ['R1', 'GZ10000301004000', 'nhsa-liangku@2025.1.0'],
      ['R3', 'GZ10000301002000', 'nhsa-liangku@2025.2.0'],
    ],
    'R2 (February) is not judged by the January sex rule',
  );
  t.equal(new Set(findings.map((f) => f.jr_id)).size, findings.length, 'ids stay unique across versions');
});

t.test('without a version list every order is judged by the active rulebook', async (t) => {
  const feb = version('2025.2.0', '2025-02-01', null, ['GZ10000301002000', 'GZ10000301004000']);
  const { findings } = judgeRequest({ active: feb }, request(), { phase: '事后', idPrefix: 'J-' });
  t.same(findings.map((f) => f.rx_id).sort(), ['R1', 'R2', 'R3']);
});

t.test('a batch audit keeps every finding of a rule (the per-request cap is for live checks), each finding bounded', async (t) => {
  // A long stay billed Ⅰ级护理 300 times on one day: 299 violations of 医疗服务项目限定频次.
  const national = version('2025.8.0', '2025-01-01', null, ['GZ10000102014000']);
  const data = request();
  data.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos = Array.from({ length: 300 }, (_, i) => ({
    rx_id: `N${String(i).padStart(3, '0')}`,
    hilist_code: '001201000030000',
    hilist_name: 'Ⅰ级护理',
    cnt: 1,
    pric: 25,
    sumamt: 25,
    drord_begn_date: '2025-01-25 08:00:00',
  }));
  const { findings, errors } = judgeRequest({ active: national }, data, { phase: '事后', idPrefix: 'J-' });
  t.same(errors, []);
  t.equal(findings.length, 299);
  t.ok(
    findings.every((f) => f.details.length <= 21),
    'each lists at most 20 involved orders',
  );
});
