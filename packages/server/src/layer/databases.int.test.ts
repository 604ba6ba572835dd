/**
 * The layer on PostgreSQL and MariaDB (a schema / database of its own per run): a version through
 * its life, an exemption request approved, suppressed findings stored with their exemption,
 * caps counted, a shadow run, the export.
 */
import t, { type Test } from 'tap';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from '../options.js';
import { dropMysqlDatabase, MYSQL_URL, PG_URL, uniqueName } from '../test-support/helpers.js';
import { AGE_RULE, KEYS, SEX_RULE, activateLayer, ageCheck, auth, genderCheck, layerApp, layerFile, nhsa, override, trailRows } from './test-support/layer.js';

async function exercise(t: Test, options: AppOptions): Promise<void> {
  const app: FastifyInstance = await layerApp(t, options);
  await nhsa(app, genderCheck({ dept: 'D01' }));
  await nhsa(app, ageCheck());

  // shadow before activation: the param override removes the age finding (100 元, department D05)
  const file = layerFile('1.0.0', { overrides: [override('ov-age', AGE_RULE, { params: { max_age: 65 }, base_params: { max_age: 60 } })] });
  t.equal((await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file })).statusCode, 201);
  const shadow = await app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@1.0.0/shadow', headers: auth(KEYS.office), payload: {} });
  t.equal(shadow.statusCode, 200, shadow.body);
  t.match(shadow.json(), { checks: 2, totals: { vanished: 1, vanished_amount: 100, new: 0 }, by_department: [{ dept_codg: 'D05', vanished: 1 }] });
  await app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@1.0.0/test', headers: auth(KEYS.office) });
  t.equal((await app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@1.0.0/activate', headers: auth(KEYS.office) })).statusCode, 200);
  t.notOk((await nhsa(app, ageCheck())).rules.includes(AGE_RULE));

  // a department's request, approved, capped at 1
  const req = await app.layer.request({ rule_id: SEX_RULE, dept_codg: 'D01', reason: '门特备案', cap: 1 }, { actor: 'dept-head-li', role: 'department', departments: ['D01'] });
  t.same((await nhsa(app, genderCheck({ dept: 'D01' }))).rules, [SEX_RULE], 'requested: not in force');
  const ok = await app.inject({ method: 'POST', url: `/v1/layer/exemptions/${req.id}/approve`, headers: auth(KEYS.office) });
  t.equal(ok.statusCode, 200, ok.body);
  const first = await nhsa(app, genderCheck({ dept: 'D01' }));
  t.same(first.rules, [], 'approved: suppressed');
  t.equal(first.layer, 'h-test@1.0.0');
  t.same((await nhsa(app, genderCheck({ dept: 'D01' }))).rules, [SEX_RULE], 'cap of 1 reached');
  await app.checkStore.flush();
  const suppressed = await app.db('findings').where({ exemption_id: req.id }).select('rule_id', 'vola_amt', 'department');
  t.same(
    suppressed.map((r) => [r.rule_id, Number(r.vola_amt), r.department]),
    [[SEX_RULE, 100, 'D01']],
  );
  await app.layer.flushUses();
  t.equal(Number((await app.db('layer_exemptions').where({ id: req.id }).first('used')).used), 1);

  // export: the version's override and the approved request
  const exported = (await app.inject({ method: 'GET', url: '/v1/layer/export', headers: auth(KEYS.office) })).json();
  t.same(
    exported.exemptions.map((e: { id: string }) => e.id),
    [req.id],
  );
  t.equal(exported.overrides[0].id, 'ov-age');

  // a second version carrying an exemption in its file, then a rollback
  await activateLayer(t, app, layerFile('1.1.0', { exemptions: [{ id: 'ex-d02', scope: { rule_id: SEX_RULE, dept_codg: 'D02' }, reason: '科室方案', approver: '医保办' }] }));
  t.same((await nhsa(app, genderCheck({ dept: 'D02' }))).rules, []);
  t.equal((await app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@1.1.0/rollback', headers: auth(KEYS.office) })).statusCode, 200);
  t.same((await nhsa(app, genderCheck({ dept: 'D02' }))).rules, [SEX_RULE], "rolled back: the file's exemption is revoked");
  t.equal((await app.db('layer_exemptions').where({ id: 'ex-d02' }).first('status')).status, 'revoked');
  t.match(await trailRows(app, 'layer.exemption.approve'), [{ ref: req.id, outcome: 'ok' }]);
  t.match(await trailRows(app, 'layer.rollback'), [{ ref: 'h-test@1.0.0', outcome: 'ok' }]);
}

t.test('PostgreSQL', async (t) => {
  const schema = uniqueName('layer');
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  t.teardown(async () => {
    await admin.raw('drop schema if exists ?? cascade', [schema]);
    await admin.destroy();
  });
  await exercise(t, { databaseUrl: PG_URL, databaseSchema: schema, flushBatchSize: 25 });
});

t.test('MariaDB / MySQL', async (t) => {
  const database = uniqueName('layer');
  t.teardown(() => dropMysqlDatabase(database));
  await exercise(t, { databaseUrl: MYSQL_URL, databaseSchema: database, flushBatchSize: 25 });
});
