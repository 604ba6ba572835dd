/**
 * The SOAP path end to end: a real SOAP service (started here, playing the HIS) answers with
 * an XML document inside a string element; the source is configured by a YAML mapping file
 * alone (WSDL URL, operation, arguments, reply mapping, 对照 from an SQLite table); the pages
 * are audited with the national rulebook. Real national codes from the NHSA 两库.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { connect } from '../db/connect.js';
import { loadSourceConfig } from '../config/load-source-config.js';
import { openSource } from '../open-source.js';
import { auditPages } from '../audit/audit-pages.js';
import { startHisService, type HisEncounter } from './his-service.test-helper.js';
import { SoapSource } from './soap-source.js';

const APALUTAMIDE = 'XL02BBA326A001010102180'; // 阿帕他胺片: 限男性 (batch 1)
const CHILD_LUNG = 'ZA04CAE0023010100166'; // 儿童清肺口服液: 儿童专用 (batch 1)
const WARD_ROUND = '001102000050000'; // 住院诊查费 (batch 8-1)

const order = (id: string, code: { YBBM?: string; YNBM: string }, name: string, at: string) => ({
  YZID: id,
  ...code,
  XMMC: name,
  SL: 1,
  DJ: 120.5,
  KSSJ: at,
  KSDM: 'A01',
  KSMC: '心血管内科',
  YSDM: 'D001',
  YSXM: '王医生',
});

const ENCOUNTERS: HisEncounter[] = [
  {
    JZID: 'E1',
    BRID: 'P1',
    XM: '李芳',
    XB: 'F',
    CSRQ: '1985-05-01',
    RYSJ: '2025-03-02 09:00:00',
    CYSJ: '2025-03-05 10:00:00',
    JZLX: '2',
    XZ: '310',
    ZD: [{ ZDDM: 'C61.x00', ZDMC: '前列腺恶性肿瘤' }],
    YZ: [
      order('E1-1', { YBBM: APALUTAMIDE, YNBM: 'H100' }, '阿帕他胺片', '2025-03-02 10:00:00'),
      order('E1-2', { YBBM: WARD_ROUND, YNBM: 'H200' }, '住院诊查费', '2025-03-02 08:00:00'),
    ],
  },
  {
    JZID: 'E2',
    BRID: 'P2',
    XM: '张伟',
    XB: 'M',
    CSRQ: '1970-01-01',
    RYSJ: '2025-03-10 09:00:00',
    CYSJ: '2025-03-10 11:00:00',
    JZLX: '1',
    XZ: '310',
    ZD: [{ ZDDM: 'J06.900', ZDMC: '急性上呼吸道感染' }],
    YZ: [order('E2-1', { YNBM: 'H001' }, '儿童清肺口服液(院内码)', '2025-03-10 09:30:00')],
  },
  {
    JZID: 'E3',
    BRID: 'P3',
    XM: '王强',
    XB: 'M',
    CSRQ: '1990-07-07',
    RYSJ: '2025-03-20 09:00:00',
    CYSJ: '2025-03-20 10:00:00',
    JZLX: '1',
    XZ: '390',
    ZD: [{ ZDDM: 'I10.x00', ZDMC: '原发性高血压' }],
    YZ: [order('E3-1', { YNBM: 'H999' }, '自制膏方', '2025-03-20 09:10:00')],
  },
  {
    JZID: 'E4',
    BRID: 'P4',
    XM: '赵敏',
    XB: 'F',
    CSRQ: '1960-02-02',
    RYSJ: '2025-04-02 09:00:00',
    CYSJ: '2025-04-03 09:00:00',
    JZLX: '2',
    XZ: '310',
    ZD: [],
    YZ: [order('E4-1', { YBBM: APALUTAMIDE, YNBM: 'H100' }, '阿帕他胺片', '2025-04-02 10:00:00')],
  },
];

t.test('a SOAP HIS configured by a mapping file alone, audited end to end', async (t) => {
  const his = await startHisService(ENCOUNTERS);
  t.teardown(() => his.close());
  const dir = mkdtempSync(join(tmpdir(), 'pa-soap-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { knex } = await connect({ client: 'better-sqlite3', connection: { filename: join(dir, 'codes.db') } });
  await knex.schema.createTable('pa_code_map', (tb) => {
    tb.string('hosplist_code');
    tb.string('hilist_code');
    tb.string('hilist_name');
  });
  await knex('pa_code_map').insert([
    { hosplist_code: 'H001', hilist_code: CHILD_LUNG, hilist_name: '儿童清肺口服液' },
    { hosplist_code: 'H100', hilist_code: APALUTAMIDE, hilist_name: '阿帕他胺片' },
  ]);
  await knex.destroy();
  writeFileSync(
    join(dir, 'his-soap.yaml'),
    `
kind: soap
name: 示例医院HIS
wsdl: ${his.wsdl}
operation: GetSettledEncounters
args: { beginDate: '{from}', endDate: '{to}', pageNo: '{page}', pageSize: '{page_size}' }
page_size: 2
reply:
  path: GetSettledEncountersResult
  format: xml
  status: { path: Response.Code, ok: '0', message: Response.Message }
  total: Response.Total
  encounters: Response.Encounters.Encounter
  columns: { mdtrt_id: JZID, patn_id: BRID, patn_name: XM, gend: XB, brdy: CSRQ, adm_date: RYSJ, dscg_date: CYSJ, med_mdtrt_type: JZLX, insutype: XZ }
  values: { gend: { M: '1', F: '2' } }
  diagnoses: { path: Diagnoses.Diagnosis, columns: { dise_codg: ZDDM, dise_name: ZDMC } }
  orders:
    path: Orders.Order
    columns: { rx_id: YZID, hilist_code: YBBM, hosplist_code: YNBM, hosplist_name: XMMC, cnt: SL, pric: DJ, drord_begn_date: KSSJ,
               drord_dept_codg: KSDM, drord_dept_name: KSMC, drord_dr_codg: YSDM, drord_dr_name: YSXM }
code_map:
  client: sqlite
  connection: { filename: codes.db }
`,
  );
  const config = await loadSourceConfig(join(dir, 'his-soap.yaml'));
  const source = await openSource(config);
  t.teardown(() => source.close());
  t.type(source, SoapSource);
  const scope = { from: '2025-03-01', to: '2025-03-31' };
  t.equal(await source.count(scope), 3, 'the service reports the total of the period');

  const findings = [];
  let encounters = 0;
  let unmapped: string[] = [];
  const pages = [];
  for await (const page of auditPages({ source, rulebooks: { active: loadRulebookDir(NATIONAL_RULEBOOK_DIR) }, phase: '事后', scope, idPrefix: 'S-' })) {
    pages.push(page.cursor);
    encounters += page.encounters;
    findings.push(...page.findings);
    unmapped = unmapped.concat(page.unmapped.list().map((u) => `${u.hosplist_code}:${u.count}`));
  }
  t.same(pages, ['1', '2'], 'two pages of two, then an empty page ends the read');
  t.equal(encounters, 3);
  const calls = his.calls as Array<{ beginDate: string; pageNo: number; pageSize: number }>;
  t.same(
    calls.slice(-3).map((c) => [c.beginDate, Number(c.pageNo), Number(c.pageSize)]),
    [
      ['2025-03-01', 1, 2],
      ['2025-03-01', 2, 2],
      ['2025-03-01', 3, 2],
    ],
  );
  // E1 is a woman with a prostate-cancer diagnosis (C61) prescribed a men-only drug: both the drug
  // rule and 诊断与患者性别不符 fire; the latter is about the encounter as a whole (its details list
  // the current orders only as 涉及项), so it names no offending order.
  t.same(findings.map((f) => [f.rule_id, f.rule_name, f.mdtrt_id, f.rx_id, f.hilist_code]).sort(), [
    ['GZ10000204006000', '诊断与患者性别不符', 'E1', '', ''],
    ['GZ10000301002000', '药品儿童专用', 'E2', 'E2-1', CHILD_LUNG],
    ['GZ10000301004000', '药品区分性别使用', 'E1', 'E1-1', APALUTAMIDE],
  ]);
  const gender = findings.find((f) => f.rule_id === 'GZ10000301004000')!;
  t.equal(gender.dept_name, '心血管内科');
  t.equal(gender.vola_amt, 120.5);
  t.same(unmapped, ['H999:1'], 'the unmapped hospital code is reported');
});

t.test('a JSON document inside the reply maps the same way', async (t) => {
  const his = await startHisService(ENCOUNTERS.slice(0, 1));
  t.teardown(() => his.close());
  const source = await SoapSource.open({
    kind: 'soap',
    name: 'json-his',
    wsdl: his.wsdl,
    operation: 'GetEncountersJson',
    args: { request: '{"from":"{from}"}' },
    page_size: 100,
    reply: {
      path: 'result',
      format: 'json',
      status: { path: 'code', ok: '0' },
      encounters: 'data.encounters',
      columns: { mdtrt_id: 'JZID', patn_id: 'BRID', gend: 'XB', brdy: 'CSRQ', adm_date: 'RYSJ' },
      values: { gend: { M: '1', F: '2' } },
      orders: { path: 'YZ', columns: { rx_id: 'YZID', hilist_code: 'YBBM', drord_begn_date: 'KSSJ', pric: 'DJ', cnt: 'SL' } },
    },
  });
  const pages = [];
  for await (const p of source.pages({ from: '2025-03-01' })) pages.push(p);
  t.equal(pages.length, 1, 'without {page} in the arguments the service is called once');
  t.same((his.calls[0] as { request: string }).request, '{"from":"2025-03-01"}');
  const patient = pages[0].requests[0].patient_dtos[0];
  t.equal(patient.gend, '2');
  t.same(
    patient.fsi_encounter_dtos![0].fsi_order_dtos!.map((o) => [o.rx_id, o.hilist_code, o.cnt]),
    [
      ['E1-1', APALUTAMIDE, 1],
      ['E1-2', WARD_ROUND, 1],
    ],
  );
});

t.test('a wrong operation name lists the ones the WSDL has', async (t) => {
  const his = await startHisService([]);
  t.teardown(() => his.close());
  await t.rejects(
    SoapSource.open({ kind: 'soap', name: 'x', wsdl: his.wsdl, operation: 'GetFees', args: {}, page_size: 1, reply: { encounters: 'a' } }),
    /no operation GetFees.*GetSettledEncounters/,
  );
});

t.test('a failure status in the reply is an error, not an empty page', async (t) => {
  const his = await startHisService(ENCOUNTERS);
  t.teardown(() => his.close());
  const source = await SoapSource.open({
    kind: 'soap',
    name: 'x',
    wsdl: his.wsdl,
    operation: 'GetEncountersJson',
    args: { request: '' },
    page_size: 1,
    reply: { path: 'result', format: 'json', status: { path: 'code', ok: '1' }, encounters: 'data.encounters' },
  });
  await t.rejects(async () => {
    for await (const p of source.pages({})) void p;
  }, /answered status 0/);
});
