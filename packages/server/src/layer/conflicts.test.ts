import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { CITY_DEMO_V1, editedFixture } from '../rulebooks/test-support/fixtures.js';
import { KEYS as RB_KEYS, auth as rbAuth, checkFemaleApalutamide, signedBundle, startService } from '../rulebooks/test-support/service.js';
import { AGE_RULE, KEYS, auth, layerApp, layerFile, override, trailRows } from './test-support/layer.js';

const SEX = 'GZ10000301004000';
const DAILY = 'GZ10000102014000';

const cityLayer = (version: string) => ({
  format: 'preaudit-layer/1',
  id: 'h-city',
  version,
  base: { id: 'city-demo', version: '2025.9.0' },
  overrides: [
    { id: 'ov-sex', rule_id: SEX, sev_deg: '3', approver: '医保办', reason: '试行' },
    { id: 'ov-daily', rule_id: DAILY, enabled: false, base_params: {}, approver: '医保办', reason: '本院另行管理' },
  ],
});

async function uploadAndTest(t: Test, app: FastifyInstance, file: object, ref: string) {
  const up = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: rbAuth(RB_KEYS.office), payload: file });
  t.equal(up.statusCode, 201, up.body.slice(0, 300));
  const test = await app.inject({ method: 'POST', url: `/v1/layer/versions/${ref}/test`, headers: rbAuth(RB_KEYS.office) });
  t.equal(test.statusCode, 200, test.body.slice(0, 300));
}

t.test('a bureau update that drops an overridden rule is reported, never applied silently', async (t) => {
  const { app } = await startService(t);
  await uploadAndTest(t, app, cityLayer('1.0.0'), 'h-city@1.0.0');
  await uploadAndTest(t, app, cityLayer('1.1.0'), 'h-city@1.1.0');
  const act = await app.inject({ method: 'POST', url: '/v1/layer/versions/h-city@1.0.0/activate', headers: rbAuth(RB_KEYS.office) });
  t.equal(act.statusCode, 200, act.body);
  t.same(act.json().conflicts, []);
  const check = await app.inject({ method: 'POST', url: '/v1/check', headers: rbAuth(RB_KEYS.doctor), payload: { trig_scen: '1', patient_dtos: [] } });
  t.equal(check.statusCode, 200);
  t.equal(check.headers['x-layer-version'], 'h-city@1.0.0');
  t.same((await checkFemaleApalutamide(app)).rules, [SEX]);

  // The bureau's next version no longer has the daily-count rule.
  const files = editedFixture(CITY_DEMO_V1, (m) => {
    m.version = '2025.9.1';
    m.rules = m.rules.filter((r) => r.id !== DAILY);
    delete (m.knowledge as Record<string, unknown>).item_daily_count;
  });
  // …nor its cases.
  const fileMap = files.files;
  const cases = JSON.parse(fileMap['cases/cases.json']) as Array<Record<string, unknown>>;
  fileMap['cases/cases.json'] = JSON.stringify(cases.filter((c) => !JSON.stringify(c).includes(DAILY)));
  const next = signedBundle(files);
  const put = await app.inject({ method: 'PUT', url: '/v1/rulebooks', headers: rbAuth(RB_KEYS.bureau), payload: next });
  t.equal(put.statusCode, 201, put.body.slice(0, 500));
  t.equal(app.rulebooks.activeRef(), 'city-demo@2025.9.1');

  // The active layer no longer compiles: the service says so (status, log, trail) rather than drop the override quietly.
  const c = await checkFemaleApalutamide(app);
  t.equal(c.header, 'city-demo@2025.9.1');
  const status = (await app.inject({ method: 'GET', url: '/v1/layer', headers: rbAuth(RB_KEYS.office) })).json();
  t.equal(status.degraded, true);
  t.equal(status.rulebook, 'city-demo@2025.9.1');
  t.match(await trailRows(app, 'layer.degraded'), [{ ref: 'h-city@1.0.0', outcome: 'PA_RULEBOOK_CONFLICT', detail: { rulebook: 'city-demo@2025.9.1' } }]);

  // The conflict report names the override and its field.
  const report = await app.inject({ method: 'GET', url: '/v1/layer/versions/h-city@1.1.0/conflicts', headers: rbAuth(RB_KEYS.office) });
  t.equal(report.statusCode, 200);
  t.equal(report.json().rulebook, 'city-demo@2025.9.1');
  const kinds = report.json().conflicts as Array<{ kind: string }>;
  t.match(
    kinds.filter((c) => c.kind !== 'base-changed'),
    [{ kind: 'rule-missing', rule_id: DAILY, field: /^overrides\[1\]/ }],
  );
  t.ok(
    kinds.some((c) => c.kind === 'base-changed'),
    'and, for information, that the base moved on',
  );

  // Activating a version tested on the old rulebook is refused with that report.
  const refused = await app.inject({ method: 'POST', url: '/v1/layer/versions/h-city@1.1.0/activate', headers: rbAuth(RB_KEYS.office) });
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().code, 'PA_RULEBOOK_CONFLICT');
  t.match(refused.json().fields, [{ field: /^overrides\[1\]/, message: /GZ10000102014000/ }]);
  t.match(await trailRows(app, 'layer.activate'), [{ outcome: 'ok' }, { ref: 'h-city@1.1.0', outcome: 'PA_RULEBOOK_CONFLICT' }]);

  // A fixed version (without the dropped rule's override) activates, and the layer applies again.
  const fixed = { ...cityLayer('1.2.0'), base: { id: 'city-demo', version: '2025.9.1' } };
  fixed.overrides = fixed.overrides.filter((o) => o.rule_id !== DAILY);
  await uploadAndTest(t, app, fixed, 'h-city@1.2.0');
  const ok = await app.inject({ method: 'POST', url: '/v1/layer/versions/h-city@1.2.0/activate', headers: rbAuth(RB_KEYS.office) });
  t.equal(ok.statusCode, 200, ok.body);
  const after = (await app.inject({ method: 'GET', url: '/v1/layer', headers: rbAuth(RB_KEYS.office) })).json();
  t.equal(after.degraded, false);
  t.equal(after.in_use, 'h-city@1.2.0');
});

t.test('an override written against other parameters is reported; activation needs a reason to accept it', async (t) => {
  const app = await layerApp(t);
  const file = layerFile('7.0.0', { overrides: [override('ov-age', AGE_RULE, { params: { max_age: 65 }, base_params: { max_age: 55 } })] });
  const up = await app.inject({ method: 'PUT', url: '/v1/layer/versions', headers: auth(KEYS.office), payload: file });
  t.equal(up.statusCode, 201);
  t.match(up.json().conflicts, [{ kind: 'params-changed', rule_id: AGE_RULE, was: { max_age: 55 }, now: { max_age: 60 } }], 'reported at upload');
  t.equal((await app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@7.0.0/test', headers: auth(KEYS.office) })).statusCode, 200);
  const activate = (payload?: object) => app.inject({ method: 'POST', url: '/v1/layer/versions/h-test@7.0.0/activate', headers: auth(KEYS.office), ...(payload ? { payload } : {}) });
  const refused = await activate();
  t.equal(refused.statusCode, 409);
  t.match(refused.json().fields, [{ field: /^overrides\[0\]/ }]);
  const noReason = await activate({ accept_conflicts: true });
  t.equal(noReason.statusCode, 400);
  t.equal(noReason.json().code, 'PA_REASON_REQUIRED');
  const accepted = await activate({ accept_conflicts: true, reason: '已核对：国家规则年龄上限仍为 60，本院按市局文件放宽至 65' });
  t.equal(accepted.statusCode, 200, accepted.body);
  t.match(accepted.json().conflicts, [{ kind: 'params-changed' }]);
  const status = (await app.inject({ method: 'GET', url: '/v1/layer', headers: auth(KEYS.office) })).json();
  t.match(status.activations[0], { ref: 'h-test@7.0.0', kind: 'command', conflicts: [{ kind: 'params-changed' }] });
  t.match(await trailRows(app, 'layer.activate'), [
    { outcome: 'PA_RULEBOOK_CONFLICT' },
    { outcome: 'PA_REASON_REQUIRED' },
    { outcome: 'ok', detail: { conflicts: [{ kind: 'params-changed' }], reason: /市局文件/ } },
  ]);
});
