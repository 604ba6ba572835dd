// Shared by the layer tests: the bundled national rulebook (real rule ids and codes), the example
// layer file, and a request builder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRulebookDir, readRulebookDir } from '../node/index.js';
import type { CompiledRulebook } from '../evaluate/code-index.js';
import type { CheckData, OrderDto } from '../model/request.js';
import type { RuleCase } from '../rulebook/types.js';
import { compileLayer } from './compile.js';
import type { CompiledLayer, LayerFile } from './types.js';

const NATIONAL_DIR = fileURLToPath(new URL('../../../../rulebooks/nhsa-liangku', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../../examples/hospital-layer.json', import.meta.url));

let cached: CompiledRulebook | undefined;
/** nhsa-liangku as bundled (compiled once per test file). */
export function national(): CompiledRulebook {
  return (cached ??= loadRulebookDir(NATIONAL_DIR));
}

/** The national rulebook's files, to build a changed "next bureau version" from. */
export function nationalFiles() {
  return readRulebookDir(NATIONAL_DIR);
}

/** A fresh copy of examples/hospital-layer.json. */
export function exampleLayer(): LayerFile {
  return JSON.parse(readFileSync(EXAMPLE, 'utf8')) as LayerFile;
}

/** Compiles a layer, failing loudly with its errors. */
export function compiled(layer: unknown, base = national()): CompiledLayer {
  const r = compileLayer(base, layer);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.layer;
}

/** A minimal valid layer with the given parts. */
export function layerWith(parts: Partial<LayerFile>): LayerFile {
  return { format: 'preaudit-layer/1', id: 't-layer', version: '1.0.0', base: { id: 'nhsa-liangku', version: national().version }, ...parts };
}

// Real national codes (nhsa-liangku knowledge).
export const APALUTAMIDE = 'XL02BBA326A001010102180'; // 阿帕他胺片, 限男性 (GZ10000301004000)
export const CHILD_SYRUP = 'ZA04CAE0023010100166'; // 儿童清肺口服液, 儿童专用 (GZ10000301002000, max_age 18)
export const OSIMERTINIB = 'XL01EBA298A001010101359'; // 甲磺酸奥希替尼片, 限非小细胞肺癌 (GZ10000101008000)
export const HBA1C = '002503020030000'; // 糖化血红蛋白测定, 15 天 1 次 (NHSA2025-XMZQCPC)
export const OT_TRAINING = '003402000320000'; // 职业功能训练, 限法定就业年龄 (NHSA2025-XMXNL, max_age 60)

/** One patient, one encounter, the orders given (current, dated 2026-04-01 unless said). */
export function request(
  orders: Array<Partial<OrderDto> & { rx_id: string }>,
  opts: { patient?: Record<string, unknown>; encounter?: Record<string, unknown>; trig?: string } = {},
): CheckData {
  return {
    trig_scen: opts.trig ?? '1',
    task_id: 'T1',
    patient_dtos: [
      {
        patn_id: '330102199001011234',
        gend: '2',
        brdy: '1980-01-01',
        ...opts.patient,
        fsi_encounter_dtos: [
          {
            mdtrt_id: 'M1',
            med_mdtrt_type: '2',
            medins_lv: '02',
            insutype: '310',
            adm_date: '2026-03-30',
            adm_dept_codg: 'A02.01',
            ...opts.encounter,
            fsi_order_dtos: orders.map((o) => ({ cnt: 1, sumamt: 100, drord_begn_date: '2026-04-01 09:00:00', curr_drord_flag: '1', ...o })),
          },
        ],
      },
    ],
  };
}

/** The first national case expecting a finding of `ruleId`. */
export function nationalCase(ruleId: string): RuleCase & { now: string } {
  const c = national().cases.find((x) => x.expect?.some((e) => e.rule_id === ruleId) && x.now);
  if (!c) throw new Error(`no national case for ${ruleId}`);
  return c as RuleCase & { now: string };
}

/** The same mask the server applies to patient ids (packages/server/src/checks/masking.ts maskId), as the server would inject it. */
export function maskLikeServer(id: string): string {
  if (id.length <= 2) return '*'.repeat(id.length);
  if (id.length <= 6) return id[0] + '*'.repeat(id.length - 1);
  const keep = id.length > 10 ? 2 : 1;
  return id.slice(0, keep) + '*'.repeat(id.length - 2 * keep) + id.slice(-keep);
}
