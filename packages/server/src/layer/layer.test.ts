import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { LayerFile } from '@preaudit/core-rules';
import { example, NATIONAL_VERSION } from '../test-support/helpers.js';
import { AGE_RULE, KEYS, SEX_RULE, activateLayer, ageCheck, auth, genderCheck, layerApp, layerFile, nhsa, override, trailRows } from './test-support/layer.js';

const post = (app: FastifyInstance, url: string, key: string, payload?: object) => app.inject({ method: 'POST', url, headers: auth(key), ...(payload ? { payload } : {}) });

/** Stored findings of a rule, written first. */
async function storedFindings(app: FastifyInstance, rule = SEX_RULE) {
  await app.checkStore.flush();
  return app
    .db('findings')
    .where({ rule_id: rule })
    .orderBy('id', 'asc')
    .select<Array<{ jr_id: string; exemption_id: string | null; vola_amt: number; department: string }>>('jr_id', 'exemption_id', 'vola_amt', 'department');
}

t.test('each override kind changes what /nhsa/3101 answers; replies name both versions', async (t) => {
  const app = await layerApp(t);
  const before = await nhsa(app, genderCheck());
  t.same(before.rules, [SEX_RULE]);
  t.equal(before.rulebook, `nhsa-liangku@${NATIONAL_VERSION}`);
  t.equal(before.layer, undefined, 'no layer, no header');
  t.ok((await nhsa(app, ageCheck())).rules.includes(AGE_RULE), 'a 62-year-old trips max_age 60');

  // sev_deg, message wording, parameters
  await activateLayer(
    t,
    app,
    layerFile('1.0.0', {
      overrides: [
        override('ov-sev', SEX_RULE, { sev_deg: '3', message: '本院提示：性别限用药品，请核对' }),
        override('ov-age', AGE_RULE, { params: { max_age: 65 }, base_params: { max_age: 60 } }),
      ],
    }),
  );
  const sev = await nhsa(app, genderCheck());
  t.same(sev.rules, [SEX_RULE]);
  t.equal(sev.result[0].sev_deg, '3', 'sev_deg overridden');
  t.match(sev.result[0].vola_cont, '本院提示', 'message overridden');
  t.equal(sev.layer, 'h-test@1.0.0');
  t.equal(sev.rulebook, `nhsa-liangku@${NATIONAL_VERSION}`, "the bureau's version is untouched");
  t.notOk((await nhsa(app, ageCheck())).rules.includes(AGE_RULE), 'max_age 65: no finding at 62');

  // on/off
  await activateLayer(t, app, layerFile('1.1.0', { overrides: [override('ov-off', SEX_RULE, { enabled: false })] }));
  const off = await nhsa(app, genderCheck());
  t.same(off.rules, [], 'switched off');
  t.equal(off.layer, 'h-test@1.1.0');
  t.ok((await nhsa(app, ageCheck())).rules.includes(AGE_RULE), 'the previous version’s param override is gone');

  // phases: shown only at 事中 (3102), not at 事前 (3101)
  await activateLayer(t, app, layerFile('1.2.0', { overrides: [override('ov-phase', SEX_RULE, { phases: ['事中'] })] }));
  t.same((await nhsa(app, genderCheck())).rules, [], '3101 (事前): not shown');
  t.same((await nhsa(app, genderCheck({ infno: '3102' }))).rules, [SEX_RULE], '3102 (事中): shown');

  // a local rule (JsonLogic) with its own case
  const local = layerFile('1.3.0', {
    knowledge: { local_male_drugs: { source: '本院药事会', rows: [{ name: '阿帕他胺片', codes: ['XL02BBA326A001010102180'] }] } },
    rules: [
      {
        id: 'H-TEST-001',
        name: '本院重点监控药品提示',
        category: '药品',
        sev_deg: '3',
        result_type: '可疑',
        phases: ['事前', '事中'],
        window: '当次医嘱',
        basis: '本院重点监控药品目录',
        message: '「{item}」为本院重点监控药品',
        knowledge: 'local_male_drugs',
        condition: { '==': [1, 1] },
      },
    ] as unknown as LayerRules,
  });
  await activateLayer(t, app, local);
  const withLocal = await nhsa(app, genderCheck());
  t.same(withLocal.rules.sort(), ['H-TEST-001', SEX_RULE].sort(), 'the local rule fires beside the national one');
  t.equal(withLocal.layer, 'h-test@1.3.0');

  const list = await app.inject({ method: 'GET', url: '/v1/layer', headers: auth(KEYS.office) });
  t.equal(list.statusCode, 200);
  t.equal(list.json().active, 'h-test@1.3.0');
  t.same(
    list.json().versions.map((v: { ref: string; state: string }) => [v.ref, v.state]),
    [
      ['h-test@1.0.0', 'retired'],
      ['h-test@1.1.0', 'retired'],
      ['h-test@1.2.0', 'retired'],
      ['h-test@1.3.0', 'active'],
    ],
  );

  // rollback walks back the stack, to no layer at the end
  for (const [from, to] of [
    ['h-test@1.3.0', 'h-test@1.2.0'],
    ['h-test@1.2.0', 'h-test@1.1.0'],
    ['h-test@1.1.0', 'h-test@1.0.0'],
    ['h-test@1.0.0', null],
  ] as const) {
    const rb = await post(app, `/v1/layer/versions/${from}/rollback`, KEYS.office);
    t.equal(rb.statusCode, 200, rb.body);
    t.equal(rb.json().active, to);
  }
  const none = await nhsa(app, genderCheck());
  t.same(none.rules, [SEX_RULE]);
  t.equal(none.result[0].sev_deg, '1');
  t.equal(none.layer, undefined);
  const switches = await trailRows(app, 'layer.rollback');
  t.equal(switches.length, 4);
  t.ok(switches.every((r) => r.role === 'insurance-office' && r.outcome === 'ok'));
});

type LayerRules = NonNullable<ReturnType<typeof layerFile>['rules']>;

t.test('a draft is tested before it activates; the diff is in Chinese', async (t) => {
  const app = await layerApp(t);
  const file = layerFile('2.0.0', { overrides: [override('ov-sev', SEX_RULE, { sev_deg: '2' })] });
  t.equal((await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file })).statusCode, 201);
  const early = await post(app, '/v1/layer/versions/h-test@2.0.0/activate', KEYS.office);
  t.equal(early.statusCode, 409, 'a draft does not activate');
  t.match(early.json().error, '尚未通过测试');
  const tested = await post(app, '/v1/layer/versions/h-test@2.0.0/test', KEYS.office);
  t.equal(tested.statusCode, 200);
  t.equal(tested.json().version.state, 'tested');
  t.equal(tested.json().rulebook, `nhsa-liangku@${NATIONAL_VERSION}`);
  t.ok(tested.json().national.cases.length > 0, 'the national cases of the overridden rule ran');
  t.ok(tested.json().national.cases.every((c: { rule_ids: string[] }) => c.rule_ids.includes(SEX_RULE)));
  const again = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file });
  t.equal(again.statusCode, 409, 'same id@version twice');
  const next = layerFile('2.1.0', { overrides: [override('ov-sev', SEX_RULE, { sev_deg: '3' })] });
  t.equal((await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: next })).statusCode, 201);
  const diff = await app.inject({ method: 'GET', url: '/v1/layer/versions/h-test@2.1.0/diff?against=h-test@2.0.0', headers: auth(KEYS.office) });
  t.equal(diff.statusCode, 200);
  t.match(diff.json().text, /修改/);
  t.match(diff.json().text, /ov-sev/);
  t.ok(diff.json().changes.some((c: { section: string }) => c.section === '覆盖'));
  const missing = await app.inject({ method: 'GET', url: '/v1/layer/versions/h-test@9.9.9/diff', headers: auth(KEYS.office) });
  t.equal(missing.statusCode, 404);
});

t.test('bad input is a 4xx naming the field; nothing is stored', async (t) => {
  const app = await layerApp(t);
  const put = (payload: unknown) => app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: payload as object });
  const noFormat = await put({ id: 'x', version: '1' });
  t.equal(noFormat.statusCode, 400);
  t.match(noFormat.json().fields, [{ field: 'format' }]);
  const badOverride = await put(layerFile('3.0.0', { overrides: [override('ov-x', 'NO-SUCH-RULE', { sev_deg: '3' })] }));
  t.equal(badOverride.statusCode, 400, badOverride.body);
  t.ok(
    badOverride.json().fields.some((f: { field: string }) => f.field.startsWith('file.overrides[0]')),
    JSON.stringify(badOverride.json().fields),
  );
  const badSev = await put(layerFile('3.0.1', { overrides: [override('ov-x', SEX_RULE, { sev_deg: '7' })] }));
  t.equal(badSev.statusCode, 400);
  t.ok(badSev.json().fields.some((f: { field: string }) => f.field.startsWith('file.overrides[0]')));
  const notJson = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: { ...auth(KEYS.office), 'content-type': 'application/json' }, payload: '{"format":' });
  t.equal(notJson.statusCode, 400);
  const ex = await post(app, '/v1/layer/exemptions', KEYS.office, { reason: '无范围' });
  t.equal(ex.statusCode, 400);
  t.match(ex.json().fields, [{ field: 'rule_id' }]);
  const badDate = await post(app, '/v1/layer/exemptions', KEYS.office, { rule_id: SEX_RULE, reason: 'x', valid_to: '2025-13-45' });
  t.equal(badDate.statusCode, 400);
  t.match(badDate.json().fields, [{ field: 'valid_to' }]);
  const badCap = await post(app, '/v1/layer/exemptions', KEYS.office, { rule_id: SEX_RULE, reason: 'x', cap: 0 });
  t.equal(badCap.statusCode, 400);
  t.match(badCap.json().fields, [{ field: 'cap' }]);
  const unknownField = await post(app, '/v1/layer/exemptions', KEYS.office, { rule_id: SEX_RULE, reason: 'x', dept: 'D01' });
  t.equal(unknownField.statusCode, 400, 'a misspelt scope field is refused, not dropped');
  t.match(unknownField.json().fields, [{ field: 'dept' }]);
  const badRef = await post(app, '/v1/layer/versions/no-at-sign/test', KEYS.office);
  t.equal(badRef.statusCode, 400);
  t.match(badRef.json().fields, [{ field: 'ref' }]);
  t.same((await app.inject({ method: 'GET', url: '/v1/layer', headers: auth(KEYS.office) })).json().versions, []);
  t.same((await app.inject({ method: 'GET', url: '/v1/layer/exemptions', headers: auth(KEYS.office) })).json().items, []);
});

t.test('roles: the insurance office manages, the bureau and doctors cannot change the layer', async (t) => {
  const app = await layerApp(t);
  const file = layerFile('4.0.0');
  for (const key of [KEYS.bureau, KEYS.doctor, KEYS.department]) {
    t.equal((await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(key), payload: file })).statusCode, 403);
    t.equal((await post(app, '/v1/layer/exemptions', key, { rule_id: SEX_RULE, reason: 'x' })).statusCode, 403);
    t.equal((await post(app, '/v1/layer/versions/h-test@4.0.0/activate', key)).statusCode, 403);
    t.equal((await app.inject({ method: 'GET', url: '/v1/layer/export', headers: auth(key) })).statusCode, 403);
  }
  t.equal((await post(app, '/v1/layer/exemption-requests', KEYS.bureau, { rule_id: SEX_RULE, dept_codg: 'D01', reason: 'x' })).statusCode, 403);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json', headers: auth(KEYS.office) })).json<{ paths: Record<string, unknown> }>();
  for (const path of [
    '/v1/layer',
    '/v1/layer/versions',
    '/v1/layer/versions/{ref}/activate',
    '/v1/layer/versions/{ref}/shadow',
    '/v1/layer/exemption-requests',
    '/v1/layer/exemptions/{id}/approve',
    '/v1/layer/export',
    '/v1/layer/import',
  ])
    t.ok(doc.paths[path], `${path} in the OpenAPI document`);
});

t.test('exemption scopes and expiry: suppressed findings are not shown but stored with the exemption id', async (t) => {
  const app = await layerApp(t);
  const create = async (body: object) => {
    const res = await post(app, '/v1/layer/exemptions', KEYS.office, { reason: '测试豁免', ...body });
    t.equal(res.statusCode, 201, res.body);
    return res.json<{ id: string; status: string; patient_masked: string | null }>();
  };
  const revoke = (id: string) => post(app, `/v1/layer/exemptions/${id}/revoke`, KEYS.office, { reason: '测试结束' });
  const cases: Array<[string, object, Record<string, string>, Record<string, string>]> = [
    ['department', { rule_id: SEX_RULE, dept_codg: 'D01' }, { dept: 'D01' }, { dept: 'D02' }],
    ['doctor', { dr_codg: 'DR07' }, { doctor: 'DR07' }, { doctor: 'DR08' }],
    ['patient', { rule_id: SEX_RULE, patient_id: '330102198003150028' }, { patnId: '330102198003150028' }, { patnId: '330102198003150099' }],
    ['item code', { hilist_code: 'XL02BBA326A001010102180', dept_codg: 'D03' }, { dept: 'D03' }, { dept: 'D04' }],
    ['diagnosis prefix', { rule_id: SEX_RULE, diagnosis_prefix: 'E11' }, { diagnosis: 'E11.900' }, { diagnosis: 'I10.x00' }],
    ['insurance type', { rule_id: SEX_RULE, insutype: '510' }, { insutype: '510' }, { insutype: '310' }],
  ];
  for (const [name, scope, inside, outside] of cases) {
    const ex = await create(scope);
    t.equal(ex.status, 'approved', name);
    const hidden = await nhsa(app, genderCheck(inside));
    t.same(hidden.rules, [], `${name}: inside the scope, not shown`);
    t.equal(hidden.layer, 'hospital-exemptions', `${name}: the exemptions-only layer is named`);
    t.same((await nhsa(app, genderCheck(outside))).rules, [SEX_RULE], `${name}: outside the scope, shown`);
    const stored = await storedFindings(app);
    t.equal(stored.at(-2)!.exemption_id, ex.id, `${name}: stored with its exemption`);
    t.equal(Number(stored.at(-2)!.vola_amt), 100, `${name}: with its amount`);
    t.equal(stored.at(-1)!.exemption_id, null);
    t.equal((await revoke(ex.id)).statusCode, 200);
    t.same((await nhsa(app, genderCheck(inside))).rules, [SEX_RULE], `${name}: revoked, shown again`);
  }
  // The patient's id is stored neither in the exemption nor in the trail.
  const p = await create({ rule_id: SEX_RULE, patient_id: '330102198003150028' });
  t.equal(p.patient_masked, '33**************28');
  await app.trail.flush();
  const everything = JSON.stringify(await app.db('layer_exemptions').select()) + JSON.stringify(await app.db('audit_log').select('detail'));
  t.notOk(everything.includes('330102198003150028'), 'no full patient id stored');
  await revoke(p.id);

  // expiry: valid_to before the check (NOW is 2025-06-15) → shown; valid_from after it → shown
  await create({ rule_id: SEX_RULE, dept_codg: 'D09', valid_to: '2025-06-10' });
  await create({ rule_id: SEX_RULE, dept_codg: 'D09', valid_from: '2025-07-01' });
  t.same((await nhsa(app, genderCheck({ dept: 'D09' }))).rules, [SEX_RULE], 'expired or not yet valid: shown');
  await create({ rule_id: SEX_RULE, dept_codg: 'D09', valid_from: '2025-06-01', valid_to: '2025-07-01' });
  t.same((await nhsa(app, genderCheck({ dept: 'D09' }))).rules, [], 'within its dates: suppressed');

  await app.checkStore.flush();
  const cost = await app.db('findings').whereNotNull('exemption_id').sum({ amount: 'vola_amt' }).count({ n: '*' });
  t.equal(Number(cost[0].n), 7, 'what exemptions cost: every suppressed finding is there');
  t.equal(Number(cost[0].amount), 700);
  const checks = await app.db('checks').select<Array<{ findings_count: number }>>('findings_count');
  t.equal(checks.filter((c) => Number(c.findings_count) === 0).length, 7, 'the check rows count the findings shown');
});

t.test('a capped exemption suppresses N findings, then they are shown again; the count survives a restart', async (t) => {
  const dir = t.testdir();
  const file = `${dir}/layer.db`;
  const app = await layerApp(t, { databaseUrl: `sqlite:${file}` });
  const ex = (await post(app, '/v1/layer/exemptions', KEYS.office, { rule_id: SEX_RULE, dept_codg: 'D01', reason: '规培', cap: 2 })).json();
  const seen: string[][] = [];
  for (let i = 0; i < 3; i++) seen.push((await nhsa(app, genderCheck({ dept: 'D01' }))).rules);
  t.same(seen, [[], [], [SEX_RULE]], 'two suppressed, the third shown');
  await app.close();
  const again = await layerApp(t, { databaseUrl: `sqlite:${file}` });
  const row = await again.inject({ method: 'GET', url: `/v1/layer/exemptions/${ex.id}`, headers: auth(KEYS.office) });
  t.equal(row.json().used, 2, 'uses written');
  t.same((await nhsa(again, genderCheck({ dept: 'D01' }))).rules, [SEX_RULE], 'cap still reached after a restart');
});

t.test('approval flow: a department requests, the insurance office approves or rejects; both in the trail', async (t) => {
  const app = await layerApp(t);
  const dept = { actor: 'dept-head-li', role: 'department', departments: ['D01'] };
  // Over HTTP: a department key without departments can request for none; another role cannot decide.
  const refused = await post(app, '/v1/layer/exemption-requests', KEYS.department, { rule_id: SEX_RULE, dept_codg: 'D01', reason: '申请' });
  t.equal(refused.statusCode, 403);
  t.match(refused.json().error, 'dept_codg');
  // A department head (console user scoped to D01) asks through the store the route calls.
  await t.rejects(app.layer.request({ rule_id: SEX_RULE, dept_codg: 'D02', reason: '他科' }, dept), { code: 'PA_FORBIDDEN' }, 'not for another department');
  await t.rejects(app.layer.request({ rule_id: SEX_RULE, reason: '未写科室' }, dept), { code: 'PA_BAD_INPUT' });
  const req = await app.layer.request({ rule_id: SEX_RULE, dept_codg: 'D01', reason: '特殊病种备案 2025-001', cap: 10 }, dept);
  t.equal(req.status, 'requested');
  t.same((await nhsa(app, genderCheck({ dept: 'D01' }))).rules, [SEX_RULE], 'a request is not in force');
  const mine = await app.layer.listExemptions(dept, { limit: 10, offset: 0 });
  t.same(
    mine.items.map((e) => e.id),
    [req.id],
  );
  t.equal(
    (await app.layer.listExemptions({ actor: 'dept-head-wang', role: 'department', departments: ['D02'] }, { limit: 10, offset: 0 })).total,
    0,
    'another department does not see it',
  );

  for (const key of [KEYS.department, KEYS.bureau, KEYS.doctor])
    t.equal((await post(app, `/v1/layer/exemptions/${req.id}/approve`, key)).statusCode, 403, 'only the insurance office decides');
  const pending = await app.inject({ method: 'GET', url: '/v1/layer/exemptions?status=requested', headers: auth(KEYS.office) });
  t.same(
    pending.json().items.map((e: { id: string }) => e.id),
    [req.id],
  );
  const ok = await post(app, `/v1/layer/exemptions/${req.id}/approve`, KEYS.office);
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().status, 'approved');
  t.match(ok.json().decided_by, /^insurance-office#/);
  t.same((await nhsa(app, genderCheck({ dept: 'D01' }))).rules, [], 'approved: in force');
  t.equal((await post(app, `/v1/layer/exemptions/${req.id}/approve`, KEYS.office)).statusCode, 409, 'decided once');

  const second = await app.layer.request({ dr_codg: 'DR01', dept_codg: 'D01', reason: '规培医师' }, dept);
  const noReason = await post(app, `/v1/layer/exemptions/${second.id}/reject`, KEYS.office, {});
  t.equal(noReason.statusCode, 400);
  t.match(noReason.json().fields, [{ field: 'reason' }]);
  const rejected = await post(app, `/v1/layer/exemptions/${second.id}/reject`, KEYS.office, { reason: '规培医师须由上级医师双签，不予豁免' });
  t.equal(rejected.statusCode, 200);
  t.equal(rejected.json().status, 'rejected');
  t.equal(rejected.json().decision_reason, '规培医师须由上级医师双签，不予豁免');

  const requests = await trailRows(app, 'layer.exemption.request');
  t.match(
    requests.filter((r) => r.outcome === 'ok'),
    [
      { actor: 'dept-head-li', role: 'department', ref: req.id, detail: { reason: '特殊病种备案 2025-001', scope: { rule_id: SEX_RULE, dept_codg: 'D01' } } },
      { actor: 'dept-head-li', ref: second.id },
    ],
  );
  t.ok(
    requests.some((r) => r.outcome === 'PA_FORBIDDEN'),
    'the refused request is in the trail too',
  );
  t.match(await trailRows(app, 'layer.exemption.approve'), [{ role: 'insurance-office', ref: req.id, outcome: 'ok', detail: { requested_by: 'dept-head-li' } }]);
  t.match(await trailRows(app, 'layer.exemption.reject'), [
    { ref: second.id, outcome: 'PA_BAD_INPUT' },
    { ref: second.id, outcome: 'ok', detail: { reason: '规培医师须由上级医师双签，不予豁免' } },
  ]);
});

t.test('shadow run: findings that disappear and appear, by rule and department, with amounts', async (t) => {
  const app = await layerApp(t);
  for (const dept of ['D01', 'D01', 'D02']) await nhsa(app, genderCheck({ dept }));
  await nhsa(app, ageCheck());
  const candidate = layerFile('5.0.0', {
    overrides: [override('ov-age', AGE_RULE, { params: { max_age: 65 }, base_params: { max_age: 60 } })],
    exemptions: [{ id: 'ex-d01', scope: { rule_id: SEX_RULE, dept_codg: 'D01' }, reason: '科室方案', approver: '医保办' }],
  });
  t.equal((await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: candidate })).statusCode, 201);
  const res = await post(app, '/v1/layer/versions/h-test@5.0.0/shadow', KEYS.office, {});
  t.equal(res.statusCode, 200, res.body);
  const report = res.json();
  t.equal(report.checks, 4);
  t.equal(report.checks_changed, 3);
  t.same(report.totals, { new: 0, vanished: 3, new_amount: 0, vanished_amount: 300 });
  const byRule = Object.fromEntries(report.by_rule.map((r: { rule_id: string; vanished: number; vanished_amount: number }) => [r.rule_id, [r.vanished, r.vanished_amount]]));
  t.same(byRule[SEX_RULE], [2, 200]);
  t.same(byRule[AGE_RULE], [1, 100]);
  const byDept = Object.fromEntries(report.by_department.map((d: { dept_codg: string; vanished: number; vanished_amount: number }) => [d.dept_codg, [d.vanished, d.vanished_amount]]));
  t.same(byDept.D01, [2, 200]);
  t.same(byDept.D05, [1, 100]);
  t.notOk(byDept.D02, 'D02 unchanged');
  t.equal(Number((await app.db('layer_exemptions').count({ n: '*' }))[0].n), 0, 'a shadow run changes nothing');
  t.match(await trailRows(app, 'layer.shadow'), [{ ref: 'h-test@5.0.0', outcome: 'ok', detail: { checks: 4 } }]);
});

t.test('export and import: the active layer with every approved exemption round-trips', async (t) => {
  const app = await layerApp(t);
  await activateLayer(
    t,
    app,
    layerFile('6.0.0', {
      overrides: [override('ov-sev', SEX_RULE, { sev_deg: '3' })],
      exemptions: [{ id: 'ex-file', scope: { rule_id: SEX_RULE, dept_codg: 'D07' }, reason: '文件内豁免', approver: '医保办', cap: 5 }],
    }),
  );
  const direct = (await post(app, '/v1/layer/exemptions', KEYS.office, { rule_id: SEX_RULE, patient_id: 'P-EXPORT-1', reason: '门特备案' })).json();
  t.same((await nhsa(app, genderCheck({ dept: 'D07' }))).rules, [], 'the file exemption is in force');
  const exported = await app.inject({ method: 'GET', url: '/v1/layer/export', headers: auth(KEYS.office) });
  t.equal(exported.statusCode, 200);
  t.match(exported.headers['content-disposition'], 'h-test@6.0.0.layer.json');
  const file = exported.json();
  t.same(file.exemptions.map((e: { id: string }) => e.id).sort(), ['ex-file', direct.id].sort());
  t.notOk(JSON.stringify(file).includes('P-EXPORT-1'), 'patients as keys only');

  const other = await layerApp(t);
  const imported = await other.inject({ method: 'POST', url: '/v1/layer/import', headers: auth(KEYS.office), payload: { ...file, version: '6.0.1' } });
  t.equal(imported.statusCode, 201, imported.body);
  t.equal(imported.json().version.source, 'import');
  t.equal((await post(other, '/v1/layer/versions/h-test@6.0.1/test', KEYS.office)).statusCode, 200);
  t.equal((await post(other, '/v1/layer/versions/h-test@6.0.1/activate', KEYS.office)).statusCode, 200);
  const a = await nhsa(other, genderCheck({ dept: 'D07' }));
  t.same(a.rules, [], 'file exemption imported');
  t.same((await nhsa(other, genderCheck({ patnId: 'P-EXPORT-1' }))).rules, [], 'the patient exemption matches by key');
  const shown = await nhsa(other, genderCheck());
  t.equal(shown.result[0].sev_deg, '3', 'override imported');
  const back = (await other.inject({ method: 'GET', url: '/v1/layer/export', headers: auth(KEYS.office) })).json();
  const byId = (list: Array<{ id: string }>) => [...list].sort((x, y) => (x.id < y.id ? -1 : 1));
  t.same(byId(back.exemptions), byId(file.exemptions), 'exemptions unchanged through the round trip');
  t.same(back.overrides, file.overrides);
  t.match(await trailRows(other, 'layer.import'), [{ ref: 'h-test@6.0.1', outcome: 'ok' }]);
  t.match(await trailRows(app, 'layer.export'), [{ ref: 'h-test@6.0.0', outcome: 'ok' }]);
});

t.test('the committed example layer: a masked patient is refused; with the patient id it activates, stored as a key', async (t) => {
  const app = await layerApp(t);
  const file = example<LayerFile & { exemptions: Array<{ scope: { patient?: unknown } }> }>('hospital-layer.json');
  const masked = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file });
  t.equal(masked.statusCode, 400);
  t.match(masked.json().fields, [{ field: 'file.exemptions[0].scope.patient', message: /脱敏/ }]);
  file.exemptions[0].scope.patient = '330102197805120034';
  await activateLayer(t, app, file);
  const stored = await app.inject({ method: 'GET', url: '/v1/layer/versions/h0001-local@1.0.0', headers: auth(KEYS.office) });
  t.match(stored.json().file.exemptions[0].scope.patient, /^pk:/);
  t.notOk(JSON.stringify(await app.db('layer_versions').select('file')).includes('330102197805120034'), 'the id itself is not stored');
  const list = (await app.inject({ method: 'GET', url: '/v1/layer/exemptions?status=approved', headers: auth(KEYS.office) })).json();
  t.same(list.items.map((e: { id: string }) => e.id).sort(), ['ex-0001', 'ex-0002', 'ex-0003', 'ex-0004']);
  t.ok(list.items.every((e: { origin: string; layer_ref: string }) => e.origin === 'layer' && e.layer_ref === 'h0001-local@1.0.0'));
});
