// Compiling a layer: the example compiles; every bad field is named by its path; the conflict
// report after a bureau update.
import t from 'tap';
import { compileRulebookFiles } from '../rulebook/compile-files.js';
import { indexRulebook } from '../evaluate/code-index.js';
import type { RulebookManifest } from '../rulebook/types.js';
import { compileLayer, layerConflicts } from './compile.js';
import type { LayerFile, LayerProblem } from './types.js';
import { exampleLayer, layerWith, national, nationalFiles } from './layer.test-helper.js';

const base = national();

function errorsOf(layer: unknown): LayerProblem[] {
  const r = compileLayer(base, layer);
  if (r.ok) throw new Error('expected errors, the layer compiled');
  return r.errors;
}
/** Asserts one error names `field` with a message matching `message` (all errors shown when not). */
function has(t: { ok: (v: unknown, m: string, extra: object) => void }, errors: LayerProblem[], field: string, message: RegExp): void {
  const found = errors.some((e) => e.field === field && message.test(e.message));
  t.ok(found, `${field}: ${String(message)}`, found ? {} : { errors });
}

t.test('the example layer compiles against the national rulebook', async (t) => {
  const r = compileLayer(base, JSON.stringify(exampleLayer()));
  t.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  if (!r.ok) return;
  t.equal(r.layer.digest, 'h0001-local@1.0.0');
  t.same(r.layer.base, { id: 'nhsa-liangku', version: base.version, digest: base.digest });
  const rb = r.layer.rulebookAt('2026-04-01 10:00:00');
  t.equal(rb.digest, base.digest, 'the layered rulebook keeps the bureau identity');
  t.ok(
    rb.rules.some((x) => x.id === 'H0001-KJYW-001'),
    'the local rule is in',
  );
  t.notOk(
    rb.rules.some((x) => x.id === 'NHSA2025-YPXJYFS'),
    'the rule switched off by ov-005 is out',
  );
  t.ok(
    base.rules.some((x) => x.id === 'NHSA2025-YPXJYFS'),
    'the base itself is untouched',
  );
  t.equal(rb.rules.find((x) => x.id === 'GZ10000301006000')?.sev_deg, '3');
  t.equal(base.rules.find((x) => x.id === 'GZ10000301006000')?.sev_deg, '2');
  t.equal(r.layer.rulebookAt('2026-04-01 11:00:00'), rb, 'one compiled rulebook per period between override dates');
  t.not(r.layer.rulebookAt('2026-07-01 00:00:00'), rb, 'ov-003 ends on 2026-07-01: another period');
  t.equal(r.layer.rulebookAt('2026-07-01 00:00:00').rules.find((x) => x.id === 'GZ10000301006000')?.sev_deg, '2');
});

t.test('override errors name the field path', async (t) => {
  const ov = { id: 'ov-1', approver: '王', reason: '测试' };
  const errors = errorsOf(
    layerWith({
      overrides: [
        { ...ov, rule_id: 'GZ10000301004000', params: { max_age: 14 } },
        { ...ov, id: 'ov-2', rule_id: 'NO-SUCH-RULE', enabled: false },
        { ...ov, id: 'ov-3', rule_id: 'NHSA2025-XMXNL', sev_deg: '4' as '1', phases: ['术中' as '事中'], scenes: ['11'] },
        { id: 'ov-4', rule_id: 'NHSA2025-XMXNL', enabled: false } as never,
        { ...ov, id: 'ov-5', rule_id: 'NHSA2025-XMXNL', params: { max_age: -3 } },
        { ...ov, id: 'ov-6', rule_id: 'GZ10000301002000', message: '「{point}」{nonsense}' },
        { ...ov, id: 'ov-7', rule_id: 'GZ10000301002000', from: '2026-05-01', to: '2026-04-01', enabled: false },
        { ...ov, id: 'ov-8', rule_id: 'GZ10000301002000' },
        { ...ov, id: 'ov-1', rule_id: 'GZ10000302004000', enabled: false },
      ],
    }),
  );
  has(t, errors, 'overrides[0].params.max_age', /^rule GZ10000301004000 has no parameter max_age$/);
  has(t, errors, 'overrides[1].rule_id', /NO-SUCH-RULE is not in nhsa-liangku@/);
  has(t, errors, 'overrides[2].sev_deg', /"1", "2" or "3"/);
  has(t, errors, 'overrides[2].phases', /事前, 事中, 事后/);
  has(t, errors, 'overrides[2].scenes', /trig_scen/);
  has(t, errors, 'overrides[3].approver', /required/);
  has(t, errors, 'overrides[3].reason', /required/);
  has(t, errors, 'overrides[4].params.max_age', /^rule NHSA2025-XMXNL: must be a number ≥ 0/);
  has(t, errors, 'overrides[5].message', /unknown placeholder \{nonsense\}/);
  has(t, errors, 'overrides[6].to', /later than from/);
  has(t, errors, 'overrides[7]', /changes nothing/);
  has(t, errors, 'overrides[8].id', /duplicate override id ov-1/);
});

t.test('overlapping overrides of one rule are refused; consecutive ones are fine', async (t) => {
  const ov = { approver: '王', reason: '测试', rule_id: 'GZ10000301002000' };
  const errors = errorsOf(
    layerWith({
      overrides: [
        { ...ov, id: 'a', sev_deg: '2', from: '2026-01-01', to: '2026-06-01' },
        { ...ov, id: 'b', sev_deg: '3', from: '2026-05-01' },
      ],
    }),
  );
  has(t, errors, 'overrides[1]', /overlaps override a of rule GZ10000301002000/);
  const ok = compileLayer(
    base,
    layerWith({
      overrides: [
        { ...ov, id: 'a', sev_deg: '2', from: '2026-01-01', to: '2026-06-01' },
        { ...ov, id: 'b', sev_deg: '3', from: '2026-06-01' },
      ],
    }),
  );
  t.ok(ok.ok);
  if (!ok.ok) return;
  const sev = (at: string) => ok.layer.rulebookAt(at).rules.find((r) => r.id === 'GZ10000301002000')?.sev_deg;
  t.equal(sev('2025-12-31 23:59:59'), '1', 'before: the bureau');
  t.equal(sev('2026-01-01 00:00:00'), '2', 'from is inclusive');
  t.equal(sev('2026-06-01 00:00:00'), '3', 'to is exclusive, the next one starts');
});

t.test('local rules, knowledge, exemptions and the header: errors name the field path', async (t) => {
  const errors = errorsOf({
    format: 'preaudit-layer/1',
    id: 'bad id',
    version: 'v1',
    base: { id: 'some-city-book', version: '1' },
    knowledge: { drug_gender: { rows: [] }, local_x: { rows: [{ name: '无编码' }] } },
    rules: [
      { id: 'GZ10000301004000', name: '撞号', sev_deg: '1', message: '「{item}」', condition: true },
      { id: 'H-2', name: '坏占位符', sev_deg: '1', message: '「{oops}」', condition: true },
      { id: 'H-3', name: '缺严重程度', message: 'x', condition: true },
    ],
    exemptions: [
      { id: 'e1', scope: {}, reason: 'r', approver: 'a' },
      { id: 'e2', scope: { rule_id: 'NOPE', hospital: 'x' }, reason: 'r', approver: 'a', cap: 0 },
      { id: 'e3', scope: { patient: '' }, approver: 'a', to: '2026-13-01' },
    ],
    cases: [{ name: '坏请求', request: { patient_dtos: [{ patn_id: 'P', fsi_encounter_dtos: [{ mdtrt_id: 'M', fsi_order_dtos: [{ rx_id: 'R', curr_drord_flag: 'x' }] }] }] } }],
    extra: 1,
  });
  has(t, errors, 'id', /letters, digits/);
  has(t, errors, 'version', /dotted numbers/);
  has(t, errors, 'base.id', /written for rulebook some-city-book, not nhsa-liangku/);
  has(t, errors, 'extra', /not a known field/);
  has(t, errors, 'knowledge.drug_gender', /also a table of nhsa-liangku@/);
  has(t, errors, 'rules[2].sev_deg', /required/);
  // Schema errors stop the rule compiler; a schema-valid set shows the compiler's own paths.
  const errors2 = errorsOf(
    layerWith({
      knowledge: { local_x: { rows: [{ name: '无编码' }] } },
      rules: [
        { id: 'GZ10000301004000', name: '撞号', sev_deg: '1', message: '「{item}」', condition: true },
        { id: 'H-2', name: '坏占位符', sev_deg: '1', message: '「{oops}」', condition: true },
        { id: 'H-4', name: '表无编码', sev_deg: '1', message: '「{item}」', knowledge: 'local_x', condition: true },
      ],
    }),
  );
  has(t, errors2, 'rules[0].id', /local rule id GZ10000301004000 is also a rule of nhsa-liangku@/);
  has(t, errors2, 'rules[1].message', /unknown placeholder \{oops\}/);
  has(t, errors2, 'knowledge.local_x.rows[0].codes', /at least one national code/);
  has(t, errors, 'exemptions[0].scope', /at least one of/);
  has(t, errors, 'exemptions[1].scope.rule_id', /no rule NOPE/);
  has(t, errors, 'exemptions[1].scope.hospital', /not a known field/);
  has(t, errors, 'exemptions[1].cap', /whole number ≥ 1/);
  has(t, errors, 'exemptions[2].scope.patient', /non-empty/);
  has(t, errors, 'exemptions[2].reason', /required/);
  has(t, errors, 'exemptions[2].to', /must be a date/);
  has(t, errors, 'cases[0].request.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag', /./);
  t.same(errorsOf('{not json'), [{ field: '(layer)', message: errorsOf('{not json')[0].message }]);
  t.match(errorsOf('{not json')[0].message, /not valid JSON/);
  has(t, errorsOf({ ...exampleLayer(), format: 'preaudit-layer/9' }), 'format', /preaudit-layer\/1/);
});

/** The next bureau version: XMXNL's age limit changed to 63, YPXJYFS withdrawn. */
function nextBureauVersion() {
  const files = nationalFiles();
  const m = structuredClone(typeof files.manifest === 'string' ? JSON.parse(files.manifest) : files.manifest) as RulebookManifest;
  m.version = '2026.3.0';
  m.rules = m.rules.filter((r) => r.id !== 'NHSA2025-YPXJYFS');
  m.rules.find((r) => r.id === 'NHSA2025-XMXNL')!.params = { max_age: 63 };
  const c = compileRulebookFiles({ manifest: m, files: Object.fromEntries(Object.entries(files.files).filter(([p]) => !p.startsWith('cases/'))) });
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return indexRulebook(c.rulebook);
}

t.test('conflict report after a bureau update', async (t) => {
  const layer = exampleLayer();
  t.same(layerConflicts(base, layer), [], 'none on the base the layer was written for');
  const next = nextBureauVersion();
  const conflicts = layerConflicts(next, layer);
  const byKind = (k: string) => conflicts.filter((c) => c.kind === k);
  t.equal(byKind('base-changed').length, 1);
  t.match(byKind('base-changed')[0].message, /按 nhsa-liangku@2026\.2\.0 编写，现基于 nhsa-liangku@2026\.3\.0 启用/);
  t.same(
    byKind('params-changed').map((c) => [c.field, c.rule_id, c.was, c.now]),
    [['overrides[1].base_params', 'NHSA2025-XMXNL', { max_age: 60 }, { max_age: 63 }]],
  );
  t.match(
    byKind('params-changed')[0].message,
    /覆盖 ov-002 编写时国家规则「医疗服务项目限年龄」（NHSA2025-XMXNL）的参数为 \{"max_age":60\}，nhsa-liangku@2026\.3\.0 中已改为 \{"max_age":63\}/,
  );
  t.same(
    byKind('rule-missing').map((c) => [c.field, c.rule_id]),
    [['overrides[4].rule_id', 'NHSA2025-YPXJYFS']],
  );
  // Activation on the new base is refused by the compiler too, naming the same override.
  const r = compileLayer(next, layer);
  t.notOk(r.ok);
  if (!r.ok) t.same(r.errors, [{ field: 'overrides[4].rule_id', message: 'rule NHSA2025-YPXJYFS is not in nhsa-liangku@2026.3.0' }]);
  // After the office removes ov-005 and re-records ov-002 against the new params, only the version note is left.
  const fixed: LayerFile = { ...layer, base: { id: 'nhsa-liangku', version: '2026.3.0' }, overrides: layer.overrides!.filter((o) => o.id !== 'ov-005') };
  fixed.overrides![1] = { ...fixed.overrides![1], base_params: { max_age: 63 } };
  t.same(layerConflicts(next, fixed), []);
  t.ok(compileLayer(next, fixed).ok);
});

t.test('conflict report: id collisions, unknown exemption rules, overrides without base_params', async (t) => {
  const conflicts = layerConflicts(
    base,
    layerWith({
      knowledge: { drug_gender: { rows: [] } },
      rules: [{ id: 'GZ10000301004000', name: '本院性别', sev_deg: '1', message: 'x', condition: true }],
      overrides: [{ id: 'o', rule_id: 'NHSA2025-XMXNL', params: { max_age: 65 }, approver: 'a', reason: 'r' }],
      exemptions: [{ id: 'e', scope: { rule_id: ['GZ10000301004000', 'H-GONE'] }, reason: 'r', approver: 'a' }],
    }),
  );
  t.same(
    conflicts.map((c) => [c.kind, c.field]),
    [
      ['params-changed', 'overrides[0].base_params'],
      ['id-collision', 'rules[0].id'],
      ['id-collision', 'knowledge.drug_gender'],
      ['exemption-rule-missing', 'exemptions[0].scope.rule_id'],
    ],
  );
  t.match(conflicts[0].message, /未记录编写时的国家参数/);
  t.match(conflicts[1].message, /本院规则编号 GZ10000301004000 与 nhsa-liangku@.* 中的国家规则「药品区分性别使用」重复/);
  t.equal(conflicts[3].rule_id, 'H-GONE');
});
