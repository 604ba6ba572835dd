// The Chinese diff between two layer versions, and the layer's cases plus the national cases its
// overrides touch.
import t from 'tap';
import { diffLayers } from './diff.js';
import { runLayerCases } from './cases.js';
import type { LayerFile } from './types.js';
import { compiled, exampleLayer, national } from './layer.test-helper.js';

t.test('diff: 新增, 删除, 修改 by section, with Chinese field names', async (t) => {
  const a = exampleLayer();
  const b: LayerFile = structuredClone(a);
  b.version = '1.1.0';
  b.overrides![0].phases = ['事中', '事后'];
  b.overrides![1].params = { max_age: 63 };
  b.overrides![2].sev_deg = '2';
  b.overrides = b.overrides!.filter((o) => o.id !== 'ov-005');
  b.overrides.push({ id: 'ov-006', rule_id: 'GZ10000301004000', enabled: false, approver: '医保办 王主任', reason: '试运行' });
  b.exemptions![0].cap = 40;
  b.exemptions![0].to = '2027-06-30';
  b.exemptions![1].scope.dept_codg = ['A03.01', 'A03.02'];
  b.exemptions = b.exemptions!.filter((e) => e.id !== 'ex-0004');
  b.rules![0].sev_deg = '1';
  b.knowledge!.local_special_abx.rows.push({ name: '注射用替加环素', codes: ['XJ01AAT123B001010100001'] });
  b.cases!.pop();
  const d = diffLayers(a, b);
  t.equal(d.from, 'h0001-local@1.0.0');
  t.equal(d.to, 'h0001-local@1.1.0');
  const line = (s: string) => t.ok(d.text.split('\n').includes(s), s, { text: d.text });
  line('修改 覆盖 ov-001（规则 NHSA2025-XMZQCPC）：审核阶段 事中 → 事中、事后');
  line('修改 覆盖 ov-002（规则 NHSA2025-XMXNL）：参数 max_age 65 → 63');
  line('修改 覆盖 ov-003（规则 GZ10000301006000）：严重程度 3 轻度可疑 → 2 高度可疑');
  line('删除 覆盖 ov-005（规则 NHSA2025-YPXJYFS）');
  line('新增 覆盖 ov-006（规则 GZ10000301004000）：规则 GZ10000301004000；启用状态 停用；审批人 医保办 王主任；理由 试运行');
  line('修改 白名单 ex-0001：失效日期 2026-12-31 → 2027-06-30；使用次数上限 30 → 40');
  line('修改 白名单 ex-0002：范围·科室 A03.01 → A03.01、A03.02');
  line('删除 白名单 ex-0004');
  line('修改 本院规则 H0001-KJYW-001：严重程度 2 高度可疑 → 1 明确违规');
  line('修改 知识库 local_special_abx：条目 1 条 → 2 条');
  line('删除 测试用例 62岁患者做职业功能训练：本院上限65岁，不提示');
  t.equal(d.changes.length, 11, 'nothing else');
  const ov2 = d.changes.find((c) => c.id === 'ov-002');
  t.same(ov2?.fields, [{ field: 'params.max_age', label: '参数 max_age', from: 65, to: 63 }]);
  t.equal(ov2?.kind, '修改');
  t.equal(ov2?.section, '覆盖');
  const same = diffLayers(a, structuredClone(a));
  t.same(same.changes, []);
  t.equal(same.text, '');
  t.match(diffLayers(a, { ...a, name: '新名称' }).text, /修改 基本信息 layer：名称 示例市第一人民医院本院规则层 → 新名称/);
});

t.test('runLayerCases: the layer’s own cases, and the national cases of the overridden rules', async (t) => {
  const base = national();
  const layer = compiled(exampleLayer());
  const report = runLayerCases(base, layer);
  t.same(report.layer, { passed: 3, failed: 0, failures: [] }, 'the example’s own cases pass');
  const overridden = new Set(exampleLayer().overrides!.map((o) => o.rule_id));
  const expected = base.cases.filter((c) => [...(c.expect ?? []), ...(c.expect_not ?? [])].some((e) => overridden.has(e.rule_id)));
  t.equal(report.national.cases.length, expected.length, 'every national case naming an overridden rule is run, no other');
  t.equal(report.national.passed + report.national.failed, expected.length);
  // ov-005 switches 药品限就医方式 off: each national case expecting it now fails, by design.
  const ypx = report.national.cases.filter((c) => c.rule_ids.includes('NHSA2025-YPXJYFS'));
  const ypxExpecting = base.cases.filter((c) => c.expect?.some((e) => e.rule_id === 'NHSA2025-YPXJYFS'));
  t.ok(ypxExpecting.length > 0);
  for (const c of ypxExpecting) {
    const o = ypx.find((x) => x.name === c.name);
    t.equal(o?.passed, false, c.name);
    t.match(o?.message, /expected NHSA2025-YPXJYFS/);
  }
  // ov-002 raises the age limit to 65: the bureau's 65-year-old case still fires, its 60th birthday case no longer does.
  const xmxnl = report.national.cases.filter((c) => c.rule_ids.includes('NHSA2025-XMXNL'));
  t.equal(xmxnl.find((c) => c.name.startsWith('65岁患者'))?.passed, true);
  t.equal(xmxnl.find((c) => c.name.startsWith('60岁生日当天'))?.passed, false);
  t.equal(report.national.failures.length, report.national.failed);
  // A broken layer case is reported by name.
  const broken = exampleLayer();
  broken.cases![1].expect = [{ rule_id: 'H0001-KJYW-001', rx_id: 'R1' }];
  delete broken.cases![1].expect_not;
  const r2 = runLayerCases(base, compiled(broken));
  t.equal(r2.layer.failed, 1);
  t.equal(r2.layer.failures[0].name, '规培医师 D1024 开万古霉素：白名单 ex-0003 豁免');
  t.match(r2.layer.failures[0].message, /expected H0001-KJYW-001 on R1, not found/, 'the exemption hides it: cases judge what is shown');
  // No overrides: no national case is run.
  const noOverrides = exampleLayer();
  delete noOverrides.overrides;
  t.same(runLayerCases(base, compiled(noOverrides)).national.cases, []);
});
