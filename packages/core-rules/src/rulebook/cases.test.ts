// A rulebook's own cases can say that a request is bad input (normalisation refuses it, naming
// the field) and which fields the evaluation must warn about (an unknown medins_lv).
import t from 'tap';
import { compileRulebookFiles } from './compile-files.js';
import { runCases } from './cases.js';
import { indexRulebook } from '../evaluate/code-index.js';
import type { RuleCase } from './types.js';
import type { CheckData } from '../model/request.js';

const SHENFU = 'ZA05CAC0029010102312'; // 参附注射液: 限二级及以上医疗机构
const FLAG = 'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag';
const LEVEL = 'patient_dtos[0].fsi_encounter_dtos[0].medins_lv';

function req(medins_lv: string, curr_drord_flag: unknown = '1'): CheckData {
  return {
    patient_dtos: [
      {
        patn_id: 'P1',
        fsi_encounter_dtos: [
          { mdtrt_id: 'M1', medins_lv, fsi_order_dtos: [{ rx_id: 'R1', hilist_code: SHENFU, drord_begn_date: '2025-06-01', curr_drord_flag: curr_drord_flag as string }] },
        ],
      },
    ],
  };
}

const manifest = {
  id: 'case-book',
  version: '1.0.0',
  issuer: '测试医保局',
  effective_from: '2025-01-01',
  knowledge: { tier: { file: 'k/tier.csv' } },
  rules: [{ id: 'TIER', name: '药品限医疗机构级别', sev_deg: '1', message: '「{point}」限{limit}', template: 'hospital-tier-limit', knowledge: 'tier' }],
};

function load(cases: RuleCase[]) {
  return compileRulebookFiles({ manifest, files: { 'k/tier.csv': `name,codes,min_tier\n参附注射液,${SHENFU},2\n`, 'cases/TIER.json': JSON.stringify(cases) } });
}

t.test('a bad-input case loads, and passes only when normalisation names its fields', async (t) => {
  const cases: RuleCase[] = [
    { name: 'flag Y refused', request: req('08', 'Y'), expect_bad_input: [FLAG] },
    { name: 'flag 1 is not bad input', request: req('08', '1'), expect_bad_input: [FLAG] },
    { name: 'names the wrong field', request: req('08', '2'), expect_bad_input: [LEVEL] },
  ];
  const r = load(cases);
  t.ok(r.ok, 'no load problem: the bad request is the point of the case');
  if (!r.ok) return;
  const report = runCases(indexRulebook(r.rulebook));
  t.equal(report.passed, 1);
  t.match(report.failures, [
    { name: 'flag 1 is not bad input', message: /request was accepted/ },
    { name: 'names the wrong field', message: /did not name .*medins_lv/ },
  ]);
});

t.test('expect_warnings: named fields must be warned about, and no others', async (t) => {
  const cases: RuleCase[] = [
    { name: 'unknown level warned', request: req('1'), expect_warnings: [LEVEL], expect_not: [{ rule_id: 'TIER' }] },
    { name: 'known level, warning expected', request: req('08'), expect_warnings: [LEVEL] },
    { name: 'exact case with an unexpected warning', request: req('3'), exact: true },
  ];
  const r = load(cases);
  t.ok(r.ok);
  if (!r.ok) return;
  const report = runCases(indexRulebook(r.rulebook));
  t.equal(report.passed, 1);
  t.match(report.failures, [
    { name: 'known level, warning expected', message: /expected a warning naming .*medins_lv/ },
    { name: 'exact case with an unexpected warning', message: /unexpected warning on .*medins_lv/ },
  ]);
});
