/**
 * Test support only (used by the layer tests; nothing in the service imports it): a service on
 * the national rulebook with a key per role, layer files written for it, and the requests that
 * its rules answer.
 */
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import type { LayerFile } from '@preaudit/core-rules';
import type { AppOptions } from '../../options.js';
import { genderViolation, NATIONAL_VERSION, testApp } from '../../test-support/helpers.js';

/** API keys by role. */
export const KEYS = {
  office: 'layer-office-key-0001',
  department: 'layer-dept-key-0001',
  bureau: 'layer-bureau-key-0001',
  doctor: 'layer-doctor-key-0001',
} as const;

/** Authorization header of a key. */
export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** A service on the national rulebook (in-memory SQLite unless `options` say otherwise), closed at teardown. */
export async function layerApp(t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await testApp({
    apiKeys: { [KEYS.office]: 'insurance-office', [KEYS.department]: 'department', [KEYS.bureau]: 'bureau', [KEYS.doctor]: 'doctor-station' },
    ...options,
  });
  t.teardown(() => app.close());
  return app;
}

/** The rule 药品区分性别使用 (fires on genderViolation: a woman given 阿帕他胺片, department D01, doctor DR01, 100 元). */
export const SEX_RULE = 'GZ10000301004000';
/** The rule 医疗服务项目限年龄 (max_age 60 in the national rulebook). */
export const AGE_RULE = 'NHSA2025-XMXNL';

/** A layer file for the national rulebook with `extra` (overrides, exemptions …). */
export function layerFile(version: string, extra: Partial<LayerFile> = {}): LayerFile {
  return {
    format: 'preaudit-layer/1',
    id: 'h-test',
    version,
    name: '测试医院本院规则层',
    base: { id: 'nhsa-liangku', version: NATIONAL_VERSION },
    ...extra,
  };
}

/** An override (approver, reason filled in). */
export function override(id: string, rule_id: string, fields: Record<string, unknown>): NonNullable<LayerFile['overrides']>[number] {
  return { id, rule_id, approver: '医保办 王主任', reason: '测试', ...fields };
}

/** genderViolation with a patient, department, doctor, diagnosis and insurance type of the test's choosing. */
export function genderCheck(o: { msgid?: string; patnId?: string; dept?: string; doctor?: string; diagnosis?: string; insutype?: string; infno?: string } = {}): Record<string, any> {
  const env = genderViolation(o.msgid ?? `MSG-${Math.random().toString(36).slice(2, 10)}`);
  if (o.infno) {
    env.infno = o.infno;
    delete env.input.data.trig_scen;
  }
  const patient = env.input.data.patient_dtos[0];
  if (o.patnId) patient.patn_id = o.patnId;
  const enc = patient.fsi_encounter_dtos[0];
  enc.insutype = o.insutype ?? '310';
  if (o.diagnosis) enc.fsi_diagnose_dtos = [{ dise_codg: o.diagnosis, dise_name: '测试诊断', maindiag_flag: '1' }];
  const order = enc.fsi_order_dtos[0];
  if (o.dept) {
    enc.adm_dept_codg = o.dept;
    order.drord_dept_codg = o.dept;
  }
  if (o.doctor) {
    enc.dr_codg = o.doctor;
    order.drord_dr_codg = o.doctor;
  }
  return env;
}

/** A 3101 for a 62-year-old given 职业功能训练 (NHSA2025-XMXNL fires at max_age 60, not at 65). */
export function ageCheck(msgid = 'MSG-AGE-1'): Record<string, any> {
  return {
    infno: '3101',
    msgid,
    fixmedins_code: 'H33010000001',
    input: {
      data: {
        task_id: 'T-AGE',
        trig_scen: '1',
        patient_dtos: [
          {
            patn_id: 'P-AGE-1',
            gend: '1',
            brdy: '1963-01-01',
            fsi_encounter_dtos: [
              {
                mdtrt_id: 'M-AGE',
                medins_lv: '02',
                med_mdtrt_type: '1',
                med_type: '11',
                insutype: '310',
                adm_date: '2025-06-10',
                adm_dept_codg: 'D05',
                fsi_order_dtos: [
                  {
                    rx_id: 'R1',
                    hilist_code: '003402000320000',
                    hilist_name: '职业功能训练',
                    hilist_type: '201',
                    cnt: 1,
                    pric: 100,
                    sumamt: 100,
                    drord_begn_date: '2025-06-10 09:00:00',
                    curr_drord_flag: '1',
                  },
                ],
              },
            ],
          },
        ],
      },
    },
  };
}

/** Posts a national request; answers the rule ids found, their sev_deg and messages, and the version headers. */
export async function nhsa(app: FastifyInstance, envelope: Record<string, any>) {
  const res = await app.inject({ method: 'POST', url: `/nhsa/${envelope.infno}`, headers: auth(KEYS.doctor), payload: envelope });
  const body = res.json<{ infcode: number; output?: { result: Array<{ rule_id: string; sev_deg: string; vola_cont: string; jr_id: string }> } }>();
  const result = body.output?.result ?? [];
  return {
    status: res.statusCode,
    infcode: body.infcode,
    rules: result.map((r) => r.rule_id),
    result,
    rulebook: res.headers['x-rulebook-version'] as string | undefined,
    layer: res.headers['x-layer-version'] as string | undefined,
  };
}

/** Uploads, tests and activates a layer file as the insurance office; fails the test on any refusal. */
export async function activateLayer(t: Test, app: FastifyInstance, file: LayerFile, body?: object): Promise<void> {
  const ref = `${file.id}@${file.version}`;
  const up = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file });
  t.equal(up.statusCode, 201, `upload ${ref}: ${up.body.slice(0, 400)}`);
  const test = await app.inject({ method: 'POST', url: `/v1/layer/versions/${ref}/test`, headers: auth(KEYS.office) });
  t.equal(test.statusCode, 200, `test ${ref}: ${test.body.slice(0, 400)}`);
  const act = await app.inject({ method: 'POST', url: `/v1/layer/versions/${ref}/activate`, headers: auth(KEYS.office), ...(body ? { payload: body } : {}) });
  t.equal(act.statusCode, 200, `activate ${ref}: ${act.body.slice(0, 400)}`);
}

/** Trail rows of an action, oldest first. */
export async function trailRows(app: FastifyInstance, action: string) {
  await app.trail.flush();
  const rows = await app.db('audit_log').where({ action }).orderBy('seq', 'asc').select<
    Array<{
      actor: string;
      role: string;
      ref: string | null;
      outcome: string;
      detail: string | null;
    }>
  >('actor', 'role', 'ref', 'outcome', 'detail');
  return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}
