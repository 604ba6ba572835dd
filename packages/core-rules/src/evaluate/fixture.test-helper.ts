// Shared by the engine tests: a small rulebook built in memory from real national codes.
import { compileRulebookFiles } from '../rulebook/compile-files.js';
import { indexRulebook, type CompiledRulebook } from './code-index.js';
import type { RuleDef } from '../rulebook/types.js';
import type { CheckData, OrderDto } from '../model/request.js';

export const APALUTAMIDE = 'XL02BBA326A001010102180'; // 阿帕他胺片, 限男性
export const BED_FEE = '001109000010000'; // 普通病房床位费
export const EMERGENCY_MONITOR = '001103000010000'; // 急诊监护费 (includes the bed fee)

export function buildRulebook(rules: RuleDef[], files: Record<string, string>, knowledge: Record<string, string>): CompiledRulebook {
  const manifest = {
    id: 'test-book',
    version: '1.0.0',
    issuer: '测试医保局',
    effective_from: '2025-01-01',
    knowledge: Object.fromEntries(Object.entries(knowledge).map(([id, file]) => [id, { file }])),
    rules,
  };
  const r = compileRulebookFiles({ manifest, files });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return indexRulebook(r.rulebook);
}

export function request(orders: Array<Partial<OrderDto> & { rx_id: string }>, patient: Record<string, unknown> = {}, encounter: Record<string, unknown> = {}, trig = '1'): CheckData {
  return {
    trig_scen: trig,
    task_id: 'T1',
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '2',
        brdy: '1980-01-01',
        ...patient,
        fsi_encounter_dtos: [{ mdtrt_id: 'M1', med_mdtrt_type: '1', medins_lv: '02', insutype: '310', adm_date: '2025-06-01', ...encounter, fsi_order_dtos: orders }],
      },
    ],
  };
}
