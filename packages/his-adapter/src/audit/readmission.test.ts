// 分解住院 needs the patient's earlier stays: a batch request holds every encounter of the patient
// in the audited period (sources page by whole patients), and judging passes them all to the
// engine, also when the two stays fall under different rulebook versions.
import t from 'tap';
import { compileRulebookFiles, indexRulebook, type CheckData, type CompiledRulebook, type EncounterDto } from '@preaudit/core-rules';
import { readRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { judgeRequest } from './judge.js';

const SPLIT = 'GZ10000204001000';
const BED = '001109000010000'; // 普通病房床位费

function version(v: string, from: string, to: string | null): CompiledRulebook {
  const files = readRulebookDir(NATIONAL_RULEBOOK_DIR);
  const manifest = JSON.parse(files.manifest as string);
  Object.assign(manifest, { version: v, effective_from: from, effective_to: to });
  const loaded = compileRulebookFiles({ manifest, files: Object.fromEntries(Object.entries(files.files).filter(([k]) => !k.startsWith('cases/'))) });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  return indexRulebook(loaded.rulebook);
}

const stay = (id: string, adm: string, dscg: string, dx: string): EncounterDto => ({
  mdtrt_id: id,
  medins_id: 'H43010200001',
  medins_lv: '02',
  med_mdtrt_type: '2',
  med_type: '21',
  adm_date: adm,
  dscg_date: dscg,
  dscg_main_dise_codg: dx,
  dscg_main_dise_name: '脑梗死',
  fsi_order_dtos: [{ rx_id: `${id}-1`, hilist_code: BED, hilist_name: '普通病房床位费', hilist_type: '201', cnt: 1, pric: 20, sumamt: 20, drord_begn_date: `${adm} 10:00:00` }],
});
const request = (): CheckData => ({
  patient_dtos: [
    { patn_id: 'P1', gend: '1', brdy: '1950-01-01', fsi_encounter_dtos: [stay('M1', '2026-05-01', '2026-05-10', 'I63.900'), stay('M2', '2026-05-18', '2026-05-28', 'I63.500')] },
  ],
});

t.test('a batch request with both stays reports the later one as 分解住院', async (t) => {
  const { findings, errors } = judgeRequest({ active: version('2026.1.0', '2025-01-01', null) }, request(), { phase: '事后', idPrefix: 'J-' });
  t.same(errors, []);
  const split = findings.filter((f) => f.rule_id === SPLIT);
  t.same(
    split.map((f) => f.mdtrt_id),
    ['M2'],
  );
  t.equal(split[0].med_mdtrt_type, '2', 'reported with the later stay (its department and lines)');
});

t.test('stays under two rulebook versions: still one finding, on the later stay', async (t) => {
  const older = version('2026.0.1', '2025-01-01', '2026-05-15');
  const newer = version('2026.1.0', '2026-05-15', null);
  const { findings } = judgeRequest({ active: newer, versions: [older, newer] }, request(), { phase: '事后', idPrefix: 'J-' });
  t.same(
    findings.filter((f) => f.rule_id === SPLIT).map((f) => f.mdtrt_id),
    ['M2'],
  );
});
