/**
 * Reading a generated hospital through the contract views and through a hospital's own views
 * with a mapping file, on every database selected by PREAUDIT_TEST_DBS (SQLite, PostgreSQL,
 * MariaDB here). Each test database lives in its own uniquely named schema, dropped after.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { auditPages } from '../audit/audit-pages.js';
import { SourceConfigError } from '../config/load-source-config.js';
import { testDatabases, withHospital, inSchema, type TestHospital } from '@preaudit/his-fixtures/testing';
import { DbSource } from './view-source.js';

const national = loadRulebookDir(NATIONAL_RULEBOOK_DIR);
const digests = new Map<string, string>();

async function createHospitalViews(h: TestHospital): Promise<void> {
  const k = h.knex;
  const schema = () => (h.schema ? k.schema.withSchema(h.schema) : k.schema);
  await schema().createView('V_ZY_JZ', (v) => {
    v.as(
      inSchema(h, 'his_encounter as e')
        .join('his_patient as p', 'p.patn_id', 'e.patn_id')
        .select({
          BRID: 'e.patn_id',
          JZID: 'e.mdtrt_id',
          RYRQ: 'e.adm_date',
          CYRQ: 'e.dscg_date',
          JZLX: 'e.med_mdtrt_type',
          XZ: 'e.insutype',
          YYDJ: 'e.medins_lv',
          GXSJ: 'e.updt_time',
          CSRQ: 'p.brdy',
        })
        .select(k.raw("case when p.gend = '1' then 'M' when p.gend = '2' then 'F' else 'U' end as XB")),
    );
  });
  await schema().createView('V_ZY_YZ', (v) => {
    v.as(
      inSchema(h, 'his_order').select({
        JZID: 'mdtrt_id',
        YZID: 'rx_id',
        YBBM: 'hilist_code',
        YNBM: 'hosplist_code',
        XMMC: 'hosplist_name',
        SL: 'cnt',
        DJ: 'pric',
        JE: 'sumamt',
        KSRQ: 'drord_begn_date',
        JSRQ: 'drord_stop_date',
        KSDM: 'drord_dept_codg',
        YSDM: 'drord_dr_codg',
      }),
    );
  });
  await schema().createView('V_YB_DZ', (v) => {
    v.as(inSchema(h, 'his_code_map').select({ YNBM: 'hosplist_code', YBBM: 'hilist_code' }));
  });
}

for (const db of testDatabases()) {
  t.test(`${db.name}: contract views`, async (t) => {
    await withHospital(db, { orderLines: 700, seed: 11 }, async (h) => {
      const { from, to } = h.summary;
      const source = await DbSource.open(h.config);
      t.teardown(() => source.close());
      const expected = await inSchema(h, 'his_encounter').whereNotNull('dscg_date').count({ n: '*' });
      t.equal(await source.count({ from, to }), Number(expected[0].n), 'count = discharged encounters of the period');

      // Pages of 7 patients: every patient and encounter exactly once, children complete.
      const patients = new Set<string>();
      const encounters = new Set<string>();
      let orders = 0;
      const cursors: string[] = [];
      for await (const page of source.pages({ from, to }, { pageSize: 7 })) {
        cursors.push(page.cursor);
        for (const req of page.requests) {
          t.equal(req.patient_dtos.length, 1);
          const p = req.patient_dtos[0];
          t.notOk(patients.has(p.patn_id), `patient ${p.patn_id} in one page only`);
          patients.add(p.patn_id);
          for (const e of p.fsi_encounter_dtos!) {
            encounters.add(e.mdtrt_id);
            orders += e.fsi_order_dtos!.length;
          }
        }
      }
      t.equal(encounters.size, await source.count({ from, to }));
      const orderCount = await inSchema(h, 'his_order as o').join('his_encounter as e', 'e.mdtrt_id', 'o.mdtrt_id').whereNotNull('e.dscg_date').count({ n: '*' });
      t.equal(orders, Number(orderCount[0].n), 'every order line of those encounters');
      t.same(cursors, [...cursors].sort(), 'cursors ascend');
      t.ok(cursors.length > 2, `several pages (${cursors.length})`);

      // Resuming after the second page reads exactly the rest.
      let rest = 0;
      for await (const page of source.pages({ from, to }, { pageSize: 7, after: cursors[1] })) rest += page.requests.length;
      t.equal(rest, patients.size - 14, `resume after ${cursors[1]}`);

      // A sample request has the national shape, values normalised.
      const [first] = await source.readPage({ from, to }, undefined, 1).then((p) => p!.requests);
      const e = first.patient_dtos[0].fsi_encounter_dtos![0];
      t.match(e.adm_date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      t.match(first.patient_dtos[0].brdy, /^\d{4}-\d{2}-\d{2}$/);
      t.type(e.fsi_order_dtos![0].sumamt, 'number');
      t.notOk('updt_time' in e, 'the watermark column stays out of the request');

      // The whole audit, with 对照 from the code-map view.
      const findings: string[] = [];
      let unmapped = 0;
      for await (const page of auditPages({ source, rulebooks: { active: national }, phase: '事后', scope: { from, to }, idPrefix: 'T-' })) {
        for (const f of page.findings) findings.push(`${f.jr_id}|${f.rule_id}|${f.rx_id}|${f.vola_amt}`);
        unmapped += page.unmapped.orders;
        t.same(page.errors, []);
      }
      t.ok(findings.length > 0, 'the generated hospital has findings');
      const noCode = await inSchema(h, 'his_order as o')
        .join('his_encounter as e', 'e.mdtrt_id', 'o.mdtrt_id')
        .leftJoin('his_code_map as m', 'm.hosplist_code', 'o.hosplist_code')
        .whereNotNull('e.dscg_date')
        .whereNull('o.hilist_code')
        .whereNull('m.hilist_code')
        .count({ n: '*' });
      t.equal(unmapped, Number(noCode[0].n), 'unmapped orders are counted, not dropped');
      digests.set(db.name, createHash('sha256').update(findings.sort().join('\n')).digest('hex'));

      // Incremental: only encounters changed after a watermark.
      const mid = await inSchema(h, 'his_encounter').orderBy('updt_time').offset(20).first('updt_time');
      const midText = typeof mid.updt_time === 'string' ? mid.updt_time : (await import('../mapping/row-values.js')).formatLocal(mid.updt_time);
      const later = await source.count({ changedAfter: midText });
      const total = Number((await inSchema(h, 'his_encounter').count({ n: '*' }))[0].n);
      t.ok(later > 0 && later < total, `incremental scope is a strict subset (${later} of ${total})`);
      t.equal(await source.maxChangeTime({}), await source.maxChangeTime({ changedAfter: midText }));
    });
  });

  t.test(`${db.name}: a hospital's own views through a mapping file`, async (t) => {
    await withHospital(db, { orderLines: 300, seed: 12 }, async (h) => {
      await createHospitalViews(h);
      const views = {
        encounters: {
          name: 'V_ZY_JZ',
          columns: {
            patn_id: 'BRID',
            mdtrt_id: 'JZID',
            adm_date: 'RYRQ',
            dscg_date: 'CYRQ',
            gend: 'XB',
            brdy: 'CSRQ',
            med_mdtrt_type: 'JZLX',
            insutype: 'XZ',
            medins_lv: 'YYDJ',
            updt_time: 'GXSJ',
          },
          values: { gend: { M: '1', F: '2', U: '0' } },
        },
        orders: {
          name: 'V_ZY_YZ',
          columns: {
            mdtrt_id: 'JZID',
            rx_id: 'YZID',
            hilist_code: 'YBBM',
            hosplist_code: 'YNBM',
            hosplist_name: 'XMMC',
            cnt: 'SL',
            pric: 'DJ',
            sumamt: 'JE',
            drord_begn_date: 'KSRQ',
            drord_stop_date: 'JSRQ',
            drord_dept_codg: 'KSDM',
            drord_dr_codg: 'YSDM',
          },
        },
        diagnoses: false as const,
        operations: false as const,
        code_map: { name: 'V_YB_DZ', columns: { hosplist_code: 'YNBM', hilist_code: 'YBBM' } },
      };
      const source = await DbSource.open({ ...h.config, views });
      t.teardown(() => source.close());
      const page = await source.readPage({ from: h.summary.from, to: h.summary.to }, undefined, 500);
      const genders = new Set(page!.requests.map((r) => r.patient_dtos[0].gend));
      t.ok(genders.has('1') && genders.has('2'), 'M/F mapped to national 1/2');
      t.notOk(genders.has('M'));
      const orders = page!.requests.flatMap((r) => r.patient_dtos[0].fsi_encounter_dtos!.flatMap((e) => e.fsi_order_dtos!));
      t.ok(
        orders.every((o) => o.rx_id && o.hosplist_code),
        'orders read through the mapped names',
      );

      const bad = {
        ...views,
        orders: { ...views.orders, columns: { ...views.orders.columns, hilist_code: 'YB_BM', cnt: 'SHULIANG' } },
        encounters: { ...views.encounters, columns: { ...views.encounters.columns, patn_id: 'PATIENT' } },
      };
      const err = await DbSource.open({ ...h.config, views: bad }).catch((e) => e);
      t.type(err, SourceConfigError);
      t.same((err as SourceConfigError).problems.map((p) => p.field).sort(), ['views.encounters.columns.patn_id', 'views.orders.columns.cnt', 'views.orders.columns.hilist_code']);
      t.match((err as Error).message, /column YB_BM \(for hilist_code 医保目录代码\) not found in .*V_ZY_YZ/i);
    });
  });

  t.test(`${db.name}: curr_drord_flag sent as Y/N, 是/否, true/false or a boolean is read as 1/0 and audited`, async (t) => {
    await withHospital(db, { orderLines: 200, seed: 13 }, async (h) => {
      const k = h.knex;
      const schema = () => (h.schema ? k.schema.withSchema(h.schema) : k.schema);
      const spellings: Array<[string, string | null, string | null]> = [
        ['yn', 'Y', 'N'],
        ['sf', '是', '否'],
        ['tf', 'true', 'false'],
        ['bool', null, null],
      ];
      for (const [suffix, yes, no] of spellings) {
        // The flag says "current" for the dearer lines, so both values occur.
        const flag = yes === null ? k.raw('(sumamt > 100) as DQBZ') : k.raw(`case when sumamt > 100 then '${yes}' else '${no}' end as DQBZ`);
        await schema().createView(`V_YZ_${suffix.toUpperCase()}`, (v) => {
          v.as(
            inSchema(h, 'his_order')
              .select('mdtrt_id', 'rx_id', 'hilist_code', 'hosplist_code', 'cnt', 'pric', 'sumamt', 'drord_begn_date', 'drord_dept_codg', 'drord_dr_codg')
              .select(flag),
          );
        });
        const source = await DbSource.open({ ...h.config, views: { orders: { name: `V_YZ_${suffix.toUpperCase()}`, columns: { curr_drord_flag: 'DQBZ' } } } });
        try {
          const page = await source.readPage({ from: h.summary.from, to: h.summary.to }, undefined, 500);
          const orders = page!.requests.flatMap((r) => r.patient_dtos[0].fsi_encounter_dtos!.flatMap((e) => e.fsi_order_dtos!));
          t.ok(orders.length > 0, `${suffix}: orders read`);
          t.same([...new Set(orders.map((o) => o.curr_drord_flag))].sort(), ['0', '1'], `${suffix}: both flags, in the national form`);
          t.ok(
            orders.every((o) => o.curr_drord_flag === ((o.sumamt ?? 0) > 100 ? '1' : '0')),
            `${suffix}: each order keeps its own flag`,
          );
          let audited = 0;
          for await (const p of auditPages({ source, rulebooks: { active: national }, phase: '事后', scope: { from: h.summary.from, to: h.summary.to }, idPrefix: 'F-' })) {
            t.same(p.errors, [], `${suffix}: the engine refuses no request`);
            audited += p.orders;
          }
          t.ok(audited > 0, `${suffix}: audited`);
        } finally {
          await source.close();
        }
      }
    });
  });
}

t.test('every database gives the same findings for the same hospital', async (t) => {
  const values = [...digests.values()];
  t.ok(values.length >= 1);
  t.equal(new Set(values).size, 1, JSON.stringify(Object.fromEntries(digests)));
});
