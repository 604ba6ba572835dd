import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { CITY_DEMO_V1, editedFixture, femaleApalutamideData, readFixture } from './test-support/fixtures.js';
import { BUREAU_KEYS, KEYS, V2_SIGNED, auth, checkFemaleApalutamide, signedBundle, startService, v2As } from './test-support/service.js';
import { generateSigningKeys } from '@preaudit/rulebook-bundle';

const put = (app: FastifyInstance, payload: unknown, key: string = KEYS.bureau, query = '') =>
  app.inject({ method: 'PUT', url: `/v1/rulebooks${query}`, headers: auth(key), payload: payload as object });
const post = (app: FastifyInstance, url: string, key: string = KEYS.bureau, payload?: object) =>
  app.inject({ method: 'POST', url, headers: auth(key), ...(payload ? { payload } : {}) });

async function auditRows(app: FastifyInstance, action: string) {
  await app.trail.flush();
  return app.db('audit_log').where({ action }).orderBy('seq', 'asc').select('actor', 'role', 'ref', 'outcome', 'detail');
}

t.test('the service starts on its built-in rulebook and names it in every check reply', async (t) => {
  const { app } = await startService(t);
  const c = await checkFemaleApalutamide(app);
  t.same(c, { status: 200, header: 'city-demo@2025.9.0', version: '2025.9.0', rules: ['GZ10000301004000'] });
  const list = await app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.office) });
  t.equal(list.statusCode, 200);
  t.equal(list.json().active, 'city-demo@2025.9.0');
  t.match(list.json().versions, [{ ref: 'city-demo@2025.9.0', state: 'active', source: 'builtin', loaded_by: 'system' }]);
});

t.test('only the bureau role uploads and switches', async (t) => {
  const { app } = await startService(t);
  t.equal((await put(app, V2_SIGNED(), KEYS.doctor)).statusCode, 403);
  t.equal((await put(app, V2_SIGNED(), KEYS.office)).statusCode, 403);
  t.equal((await post(app, '/v1/rulebooks/city-demo@2025.9.0/rollback', KEYS.doctor)).statusCode, 403);
  t.equal((await app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.doctor) })).statusCode, 403);
});

t.test('every refusal is a 4xx with its reasons, audited, and leaves the active rulebook untouched', async (t) => {
  const { app } = await startService(t);
  const stranger = generateSigningKeys();
  const tampered = V2_SIGNED() as { files: Record<string, string> };
  tampered.files['knowledge/drug_gender.csv'] = tampered.files['knowledge/drug_gender.csv'].replace(',1,', ',2,');
  const failingCase = signedBundle(
    editedFixture(CITY_DEMO_V1, (m) => {
      m.version = '2025.9.5';
      m.rules[0].enabled = false; // its case still expects the finding
    }),
  );
  const schema = signedBundle(editedFixture(CITY_DEMO_V1, (m) => ((m.version = '2025.9.6'), (m.rules[0].sev_deg = '9'))));
  const older = signedBundle(editedFixture(CITY_DEMO_V1, (m) => (m.version = '2025.8.0')));
  const cases: Array<[string, unknown, number, string]> = [
    ['malformed', { format: 'zip' }, 400, 'malformed_bundle'],
    ['unsigned', { ...V2_SIGNED(), signatures: [] }, 403, 'bad_signature'],
    ['untrusted key', signedBundle(readFixture(CITY_DEMO_V1), stranger.privateKeyPem), 403, 'bad_signature'],
    ['tampered file', tampered, 422, 'tampered_file'],
    ['schema error', schema, 422, 'schema_error'],
    ['failing case', failingCase, 422, 'failing_case'],
    ['same version', signedBundle(readFixture(CITY_DEMO_V1)), 409, 'version_not_newer'],
    ['older version', older, 409, 'version_not_newer'],
  ];
  for (const [name, bundle, status, reason] of cases) {
    const res = await put(app, bundle);
    t.equal(res.statusCode, status, name);
    const body = res.json();
    t.equal(body.code, 'PA_RULEBOOK_REFUSED', name);
    t.equal(res.headers['x-pa-error'], 'PA_RULEBOOK_REFUSED');
    t.ok(body.refusals.length > 0 && body.refusals.every((r: { reason: string }) => r.reason === reason), `${name}: ${JSON.stringify(body.refusals)}`);
    t.match(body.error, '规则包被拒绝');
  }
  const c = await checkFemaleApalutamide(app);
  t.equal(c.header, 'city-demo@2025.9.0');
  t.same(c.rules, ['GZ10000301004000']);
  const list = await app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.bureau) });
  t.equal(list.json().versions.length, 1, 'nothing stored');
  const refused = (await auditRows(app, 'rulebook.load')).filter((r) => r.outcome.startsWith('refused'));
  t.same(
    refused.map((r) => r.outcome),
    cases.map(([, , , reason]) => `refused:${reason}`),
  );
  t.ok(refused.every((r) => r.actor !== 'anonymous' && r.role === 'bureau'));
});

t.test('upload → scheduled → activates at its effective time → rollback; all audited', async (t) => {
  const { app, clock } = await startService(t, {}, '2025-09-01T09:00:00');
  const res = await put(app, V2_SIGNED());
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), {
    version: { ref: 'city-demo@2025.10.0', state: 'scheduled', activate_at: '2025-10-01', key_id: BUREAU_KEYS.keyId, source: 'upload', loaded_role: 'bureau' },
    activated: false,
    active: 'city-demo@2025.9.0',
  });
  t.same((await checkFemaleApalutamide(app)).rules, ['GZ10000301004000'], 'still v1 before its time');

  clock.now = new Date('2025-10-01T00:00:00');
  const list = await app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.office) });
  t.equal(list.json().active, 'city-demo@2025.10.0');
  t.match(list.json().versions, [
    { ref: 'city-demo@2025.10.0', state: 'active' },
    { ref: 'city-demo@2025.9.0', state: 'retired' },
  ]);
  t.same(await checkFemaleApalutamide(app), { status: 200, header: 'city-demo@2025.10.0', version: '2025.10.0', rules: [] });

  const rb = await post(app, '/v1/rulebooks/city-demo@2025.10.0/rollback');
  t.equal(rb.statusCode, 200, rb.body);
  t.match(rb.json(), { version: { ref: 'city-demo@2025.9.0', state: 'active' }, rolled_back: 'city-demo@2025.10.0' });
  t.same((await checkFemaleApalutamide(app)).header, 'city-demo@2025.9.0');
  const again = await post(app, '/v1/rulebooks/city-demo@2025.9.0/rollback');
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'PA_RULEBOOK_CONFLICT');

  const act = await post(app, '/v1/rulebooks/city-demo%402025.10.0/activate');
  t.equal(act.statusCode, 200, act.body);
  t.equal((await checkFemaleApalutamide(app)).header, 'city-demo@2025.10.0');
  t.equal((await post(app, '/v1/rulebooks/nope@1/activate')).statusCode, 404);

  t.match(await auditRows(app, 'rulebook.activate'), [
    { ref: 'city-demo@2025.9.0', actor: 'system', outcome: 'ok' },
    { ref: 'city-demo@2025.10.0', actor: 'system', outcome: 'ok' },
    { ref: 'city-demo@2025.10.0', role: 'bureau', outcome: 'ok' },
    { ref: 'nope@1', outcome: 'PA_NOT_FOUND' },
  ]);
  t.match(await auditRows(app, 'rulebook.rollback'), [
    { ref: 'city-demo@2025.9.0', role: 'bureau', outcome: 'ok' },
    { ref: 'city-demo@2025.9.0', outcome: 'PA_RULEBOOK_CONFLICT' },
  ]);
});

t.test('manual activation: stored pending, shadow run shows the impact by rule, then activated on command', async (t) => {
  const { app } = await startService(t, {}, '2025-12-01T09:00:00');
  // Traffic under v1: three women given 阿帕他胺片 (one finding each), one man (none).
  for (const p of ['W1', 'W2', 'W3']) t.equal((await checkFemaleApalutamide(app, p)).rules.length, 1);
  const male = femaleApalutamideData('M1') as { patient_dtos: Array<Record<string, unknown>> };
  male.patient_dtos[0].gend = '1';
  const man = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(KEYS.doctor), payload: male });
  t.equal(man.statusCode, 200);

  const res = await put(app, v2As('2025.10.0'), KEYS.bureau, '?activation=manual');
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { version: { state: 'pending' }, activated: false, active: 'city-demo@2025.9.0' });

  const shadow = await post(app, '/v1/rulebooks/city-demo@2025.10.0/shadow', KEYS.office, { from: '2025-11-01T00:00:00Z' });
  t.equal(shadow.statusCode, 200, shadow.body);
  const report = shadow.json();
  t.match(report, { candidate: 'city-demo@2025.10.0', baseline: 'city-demo@2025.9.0', checks: 4, checks_changed: 3, truncated: false });
  t.same(report.totals, { new: 0, vanished: 3, new_amount: 0, vanished_amount: report.by_rule[0].vanished_amount });
  t.match(report.by_rule, [{ rule_id: 'GZ10000301004000', rule_name: '药品区分性别使用', baseline: 3, candidate: 0, new: 0, vanished: 3 }]);
  t.equal(report.by_rule[0].examples.length, 3);
  t.equal((await checkFemaleApalutamide(app)).header, 'city-demo@2025.9.0', 'a shadow run changes nothing');

  const empty = await post(app, '/v1/rulebooks/city-demo@2025.10.0/shadow', KEYS.office, { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' });
  t.match(empty.json(), { checks: 0, by_rule: [] });
  t.equal((await post(app, '/v1/rulebooks/x@1/shadow', KEYS.office, {})).statusCode, 404);

  t.equal((await post(app, '/v1/rulebooks/city-demo@2025.10.0/activate')).statusCode, 200);
  t.same((await checkFemaleApalutamide(app)).rules, []);
  t.match(await auditRows(app, 'rulebook.shadow'), [{ ref: 'city-demo@2025.10.0', outcome: 'ok' }]);
});

t.test('no trusted keys configured: every upload is refused', async (t) => {
  const { app } = await startService(t, { trustedKeys: [] });
  const res = await put(app, V2_SIGNED());
  t.equal(res.statusCode, 403);
  t.match(res.json().refusals[0].message, BUREAU_KEYS.keyId);
});

t.test('diff of a stored version against the active one, in words; listed in the OpenAPI document', async (t) => {
  const { app } = await startService(t, { rulebook: undefined, rulebookDir: CITY_DEMO_V1 });
  t.equal((await put(app, V2_SIGNED(), KEYS.bureau, '?activation=manual')).statusCode, 201);
  const res = await app.inject({ method: 'GET', url: '/v1/rulebooks/city-demo@2025.10.0/diff', headers: auth(KEYS.office) });
  t.equal(res.statusCode, 200, res.body);
  const d = res.json();
  t.equal(d.from, 'city-demo@2025.9.0');
  t.equal(d.to, 'city-demo@2025.10.0');
  t.match(d.rules_changed, [{ id: 'GZ10000301004000', changes: [{ label: '启用状态', from: '启用', to: '停用' }] }]);
  t.match(d.text, '新增知识点（1）');
  const back = await app.inject({ method: 'GET', url: '/v1/rulebooks/city-demo@2025.9.0/diff?against=city-demo@2025.10.0', headers: auth(KEYS.office) });
  t.match(back.json().text, '删除知识点（1）');
  t.equal((await app.inject({ method: 'GET', url: '/v1/rulebooks/x@1/diff', headers: auth(KEYS.office) })).statusCode, 404);

  const doc = await app.inject({ method: 'GET', url: '/openapi.json', headers: auth(KEYS.office) });
  const paths = Object.keys(doc.json().paths);
  for (const p of ['/v1/rulebooks', '/v1/rulebooks/{id}/activate', '/v1/rulebooks/{id}/rollback', '/v1/rulebooks/{id}/shadow', '/v1/rulebooks/{id}/diff']) t.ok(paths.includes(p), p);
  t.same(doc.json().paths['/v1/rulebooks'].put.tags, ['rulebooks']);
});

t.test('the national 3101 reply names the rulebook version too; routes that read no rulebook do not', async (t) => {
  const { app } = await startService(t);
  const res = await app.inject({
    method: 'POST',
    url: '/nhsa/3101',
    headers: auth(KEYS.doctor),
    payload: { infno: '3101', msgid: 'M-RB-1', input: { data: femaleApalutamideData() } },
  });
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().infcode, 0);
  t.equal(res.headers['x-rulebook-version'], 'city-demo@2025.9.0');
  t.same(
    res.json().output.result.map((r: { rule_id: string }) => r.rule_id),
    ['GZ10000301004000'],
  );
  const list = await app.inject({ method: 'GET', url: '/v1/rulebooks', headers: auth(KEYS.office) });
  t.equal(list.headers['x-rulebook-version'], undefined);
});

t.test('an unsigned bundle listing a file named constructor is a 4xx, not a 500 (issue 10 #10)', async (t) => {
  const { app } = await startService(t);
  const json = JSON.stringify({ ...V2_SIGNED(), signatures: [] });
  const at = json.indexOf('"files":{') + '"files":{'.length; // manifest.files comes first
  for (const name of ['constructor', 'toString']) {
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/rulebooks',
      headers: { ...auth(KEYS.bureau), 'content-type': 'application/json' },
      payload: `${json.slice(0, at)}"${name}":"${'0'.repeat(64)}",${json.slice(at)}`,
    });
    t.equal(res.statusCode, 403, res.body);
    t.ok(
      res.json().refusals.some((r: { field?: string }) => r.field === name),
      name,
    );
  }
});

t.test('a bundle with 100,000 signatures is refused at once with 400 naming signatures (issue 10 #15)', async (t) => {
  const { app } = await startService(t);
  const b = V2_SIGNED() as { signatures: unknown[] };
  const sigs = Array.from({ length: 100_000 }, (_, i) => ({ key_id: i.toString(16).padStart(16, '0'), alg: 'ed25519', sig: 'AAAA' }));
  const started = performance.now();
  const res = await put(app, { ...b, signatures: [...sigs, ...b.signatures] });
  t.ok(performance.now() - started < 3000, `answered in ${Math.round(performance.now() - started)} ms`);
  t.equal(res.statusCode, 400);
  t.match(res.json().refusals, [{ reason: 'malformed_bundle', field: 'signatures' }]);
  t.equal(res.json().refusals.length, 1);
});

t.test('a bureau key cannot re-activate a retired older version; an admin can, with a reason that is audited (issue 10 #21)', async (t) => {
  const admin = 'test-admin-key-0001';
  const { app } = await startService(
    t,
    { apiKeys: { [KEYS.bureau]: 'bureau', [KEYS.doctor]: 'doctor-station', [KEYS.office]: 'insurance-office', [admin]: 'admin' } },
    '2025-12-01T09:00:00',
  );
  t.equal((await put(app, V2_SIGNED())).statusCode, 201);
  t.equal((await checkFemaleApalutamide(app)).header, 'city-demo@2025.10.0');

  const down = await post(app, '/v1/rulebooks/city-demo@2025.9.0/activate');
  t.equal(down.statusCode, 409, down.body);
  t.match(down.json(), { code: 'PA_RULEBOOK_CONFLICT', error: /rollback/ });
  t.equal((await checkFemaleApalutamide(app)).header, 'city-demo@2025.10.0', 'still the newer version');

  const bureauForce = await post(app, '/v1/rulebooks/city-demo@2025.9.0/activate', KEYS.bureau, { force: true, reason: 'x' });
  t.equal(bureauForce.statusCode, 403, bureauForce.body);
  t.match(bureauForce.json().error, 'force');
  const noReason = await post(app, '/v1/rulebooks/city-demo@2025.9.0/activate', admin, { force: true });
  t.equal(noReason.statusCode, 400, noReason.body);
  t.match(noReason.json().error, 'reason');
  const forced = await post(app, '/v1/rulebooks/city-demo@2025.9.0/activate', admin, { force: true, reason: '新版误报，临时退回' });
  t.equal(forced.statusCode, 200, forced.body);
  t.equal((await checkFemaleApalutamide(app)).header, 'city-demo@2025.9.0');
  t.match((await auditRows(app, 'rulebook.activate')).at(-1), { ref: 'city-demo@2025.9.0', role: 'admin', outcome: 'ok' });
  t.match(JSON.stringify((await auditRows(app, 'rulebook.activate')).at(-1)?.detail), '新版误报，临时退回');
});
