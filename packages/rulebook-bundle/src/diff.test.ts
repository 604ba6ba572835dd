import t from 'tap';
import { CITY_DEMO_V1, CITY_DEMO_V2, readFixture } from './testing/fixtures.js';
import { diffRulebooks, formatDiff } from './diff.js';

const v1 = readFixture(CITY_DEMO_V1);
const v2 = readFixture(CITY_DEMO_V2);

t.test('v1 → v2: rule disabled, effective date moved, one knowledge point added, cases changed', async (t) => {
  const d = diffRulebooks(v1, v2);
  t.equal(d.from, 'city-demo@2025.9.0');
  t.equal(d.to, 'city-demo@2025.10.0');
  t.same(d.header, [{ field: 'effective_from', label: '生效时间', from: '2025-01-01', to: '2025-10-01' }]);
  t.same(d.rules_added, []);
  t.same(d.rules_removed, []);
  t.same(d.rules_changed, [{ id: 'GZ10000301004000', name: '药品区分性别使用', changes: [{ field: 'enabled', label: '启用状态', from: '启用', to: '停用' }] }]);
  t.equal(d.knowledge.length, 1);
  t.same(d.knowledge[0], { table: 'drug_gender', rules: ['药品区分性别使用'], status: 'changed', added: ['丹莪妇康煎膏'], removed: [], changed: [] });
  t.same(d.cases.added, ['药品区分性别使用已停用：女性患者开阿帕他胺片不提示']);
  t.same(d.cases.removed, ['女性患者开阿帕他胺片']);
  t.equal(d.identical, false);
  const text = formatDiff(d);
  for (const s of ['修改规则（1）', '启用状态：启用 → 停用', '新增知识点（1）', '+ 丹莪妇康煎膏', '生效时间：2025-01-01 → 2025-10-01']) t.ok(text.includes(s), s);
});

t.test('rules added and removed, parameters and knowledge columns and codes changed', async (t) => {
  const m1 = JSON.parse(v1.manifest as string);
  const m2 = structuredClone(m1);
  m2.version = '2025.9.1';
  m2.rules = m2.rules.filter((r: { id: string }) => r.id !== 'GZ10000102014000');
  m2.rules[0].sev_deg = '2';
  m2.rules[0].params = { note: 'x' };
  m2.rules.push({ ...m1.rules[0], id: 'CITY-0001', name: '药品限性别（本市）' });
  const csv = v1.files['knowledge/drug_gender.csv'].replace('XL02BBA326A001010102180|', '').replace(/^(阿帕他胺片,[^,]*),1,/m, '$1|XL02BBA326A0010101NEW01,2,');
  const d = diffRulebooks(v1, { manifest: m2, files: { ...v1.files, 'knowledge/drug_gender.csv': csv } });
  t.same(d.rules_added, [{ id: 'CITY-0001', name: '药品限性别（本市）' }]);
  t.same(d.rules_removed, [{ id: 'GZ10000102014000', name: '医疗服务项目限定频次' }]);
  t.same(
    d.rules_changed[0].changes.map((c) => `${c.label}:${c.from}>${c.to}`),
    ['严重程度:1 明确违规>2 高度可疑', '参数 note:>x'],
  );
  const k = d.knowledge.find((x) => x.table === 'drug_gender');
  t.same(k?.changed, [
    { point: '阿帕他胺片', codes_added: ['XL02BBA326A0010101NEW01'], codes_removed: ['XL02BBA326A001010102180'], changes: [{ field: 'sex', label: '限定性别', from: '男', to: '女' }] },
  ]);
  const text = formatDiff(d);
  for (const s of [
    '新增规则（1）',
    '删除规则（1）',
    '+ CITY-0001 药品限性别（本市）',
    '- GZ10000102014000 医疗服务项目限定频次',
    '新增编码：XL02BBA326A0010101NEW01',
    '限定性别：男 → 女',
  ])
    t.ok(text.includes(s), s);
});

t.test('the same rulebook is identical; long lists are cut with a count', async (t) => {
  t.equal(diffRulebooks(v1, v1).identical, true);
  t.match(formatDiff(diffRulebooks(v1, v1)), '无变化');
  const empty = { manifest: { ...JSON.parse(v1.manifest as string), knowledge: {}, rules: [] }, files: {} };
  const text = formatDiff(diffRulebooks(empty, v1), { limit: 1 });
  t.match(text, '新增规则（2）');
  t.match(text, '…… 另有 1 项');
  t.match(text, '知识库表 drug_gender（新增知识库表）');
});

t.test('a revision: the diff says which points take effect and which stop, and when', async (t) => {
  const m1 = JSON.parse(v1.manifest as string);
  const m2 = structuredClone(m1);
  m2.version = '2026.1.0';
  m2.rules.push({ ...m1.rules[0], id: 'GZ10000101007000', name: '药品限儿童使用', effective_from: '2026-01-28' });
  const old = v1.files['knowledge/drug_gender.csv'].trimEnd().split('\n');
  // 阿帕他胺片 is re-issued on 2026-01-28 with one code fewer: the published row stops, the new one starts.
  const rows = old.slice(1).map((l) => `${l},${l.startsWith('阿帕他胺片,') ? ',2026-01-28' : ','}`);
  rows.push('阿帕他胺片,XL02BBA326A001010102180|XL02BBA326A001010178537,1,限转移性激素敏感性前列腺癌(mHSPC)患者。,2026-01-28,');
  const csv = [`${old[0]},effective_from,effective_to`, ...rows].join('\n') + '\n';
  const d = diffRulebooks(v1, { manifest: m2, files: { ...v1.files, 'knowledge/drug_gender.csv': csv } });
  t.same(d.rules_added, [{ id: 'GZ10000101007000', name: '药品限儿童使用', effective_from: '2026-01-28' }]);
  const k = d.knowledge.find((x) => x.table === 'drug_gender')!;
  t.same(k.schedule, [{ date: '2026-01-28', takes_effect: ['阿帕他胺片（2026-01-28起）'], stops: ['阿帕他胺片'] }]);
  t.same(k.added, ['阿帕他胺片（2026-01-28起）'], 'the re-issued point is a point of its own, not a change of the old one');
  t.same(
    k.changed.map((c) => c.changes.map((x) => `${x.label}:${x.from}>${x.to}`)),
    [['失效日期（当日起不再适用）:>2026-01-28']],
  );
  const text = formatDiff(d);
  for (const s of [
    '+ GZ10000101007000 药品限儿童使用（2026-01-28起生效）',
    '生效安排：',
    '2026-01-28：1 个知识点起生效，1 个知识点起失效',
    '+ 阿帕他胺片（2026-01-28起）',
    '- 阿帕他胺片',
  ])
    t.ok(text.includes(s), s);
});
