import type { LayerChange, LayerDiff } from './types.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Chinese labels of layer fields (nested ones as parent.child). */
const LABELS: Record<string, string> = {
  id: '编号',
  name: '名称',
  version: '版本',
  base: '国家规则库',
  rule_id: '规则',
  enabled: '启用状态',
  sev_deg: '严重程度',
  scenes: '触发场景',
  phases: '审核阶段',
  params: '参数',
  message: '提示文字',
  base_params: '编写时国家参数',
  approver: '审批人',
  reason: '理由',
  from: '生效日期',
  to: '失效日期',
  cap: '使用次数上限',
  scope: '范围',
  'scope.rule_id': '范围·规则',
  'scope.dept_codg': '范围·科室',
  'scope.dr_codg': '范围·医师',
  'scope.patient': '范围·患者',
  'scope.hilist_code': '范围·医保目录编码',
  'scope.diagnosis_prefix': '范围·诊断编码前缀',
  'scope.insutype': '范围·险种',
  category: '违规行为类别',
  result_type: '结果类型',
  window: '时间窗',
  basis: '政策依据',
  template: '规则模板',
  knowledge: '知识库',
  condition: '判断条件',
  effective_from: '生效日期',
  effective_to: '失效日期',
  source: '来源',
  rows: '条目',
  request: '请求',
  expect: '应出现',
  expect_not: '不应出现',
  exact: '仅限预期结果',
  now: '评估时间',
};

const SEV: Record<string, string> = { '1': '1 明确违规', '2': '2 高度可疑', '3': '3 轻度可疑' };

function label(field: string): string {
  if (LABELS[field]) return LABELS[field];
  const dot = field.indexOf('.');
  if (dot > 0) {
    const head = field.slice(0, dot);
    if (head === 'params' || head === 'base_params') return `${LABELS[head]} ${field.slice(dot + 1)}`;
  }
  return field;
}

function show(field: string, v: unknown): string {
  if (v === undefined || v === null) return '（无）';
  if (field.endsWith('sev_deg') && typeof v === 'string') return SEV[v] ?? v;
  if (field === 'enabled') return v === false ? '停用' : '启用';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length === 0 ? '（全部）' : v.join('、');
  if (field === 'rows' && Array.isArray(v)) return `${v.length} 条`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Fields of an entry, nested params/scope/base_params split by key so a diff names the parameter. */
function flatten(o: Obj): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(o)) {
    if ((k === 'params' || k === 'scope' || k === 'base_params') && isObject(v)) for (const [k2, v2] of Object.entries(v)) out.set(`${k}.${k2}`, v2);
    else out.set(k, v);
  }
  return out;
}

const eq = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** "（规则 X）" after an override's id. */
const about = (section: LayerChange['section'], e: Obj): string => (section === '覆盖' && typeof e.rule_id === 'string' ? `（规则 ${e.rule_id}）` : '');

function entries(list: unknown, key: string): Map<string, Obj> {
  const m = new Map<string, Obj>();
  if (!Array.isArray(list)) return m;
  for (const e of list) if (isObject(e) && typeof e[key] === 'string') m.set(e[key], e);
  return m;
}

function diffSection(section: LayerChange['section'], a: Map<string, Obj>, b: Map<string, Obj>, out: LayerChange[]): void {
  for (const [id, e] of a) {
    if (!b.has(id)) out.push({ kind: '删除', section, id, text: `删除 ${section} ${id}${about(section, e)}` });
  }
  for (const [id, e] of b) {
    const old = a.get(id);
    if (!old) {
      const summary = [...flatten(e)]
        .filter(([f]) => f !== 'id' && f !== 'name' && f !== 'request' && f !== 'condition')
        .map(([f, v]) => `${label(f)} ${show(f, v)}`)
        .join('；');
      out.push({ kind: '新增', section, id, text: `新增 ${section} ${id}${about(section, e)}${summary ? `：${summary}` : ''}` });
      continue;
    }
    const fa = flatten(old),
      fb = flatten(e);
    const fields: NonNullable<LayerChange['fields']> = [];
    for (const f of new Set([...fa.keys(), ...fb.keys()])) {
      if (!eq(fa.get(f), fb.get(f))) fields.push({ field: f, label: label(f), from: fa.get(f), to: fb.get(f) });
    }
    if (fields.length === 0) continue;
    const text = `修改 ${section} ${id}${about(section, e)}：${fields.map((c) => `${c.label} ${show(c.field, c.from)} → ${show(c.field, c.to)}`).join('；')}`;
    out.push({ kind: '修改', section, id, fields, text });
  }
}

/** The changes from layer file `a` to layer file `b`, in Chinese (新增/删除/修改 by section). */
export function diffLayers(a: unknown, b: unknown): LayerDiff {
  const A = isObject(a) ? a : typeof a === 'string' ? (JSON.parse(a) as Obj) : {};
  const B = isObject(b) ? b : typeof b === 'string' ? (JSON.parse(b) as Obj) : {};
  const changes: LayerChange[] = [];
  const head = (o: Obj) => new Map([['layer', { id: 'layer', name: o.name, base: o.base }]]);
  diffSection('基本信息', head(A), head(B), changes);
  diffSection('覆盖', entries(A.overrides, 'id'), entries(B.overrides, 'id'), changes);
  diffSection('白名单', entries(A.exemptions, 'id'), entries(B.exemptions, 'id'), changes);
  diffSection('本院规则', entries(A.rules, 'id'), entries(B.rules, 'id'), changes);
  const tables = (o: Obj) => new Map(Object.entries(isObject(o.knowledge) ? o.knowledge : {}).map(([k, v]) => [k, isObject(v) ? v : {}]));
  diffSection('知识库', tables(A), tables(B), changes);
  diffSection('测试用例', entries(A.cases, 'name'), entries(B.cases, 'name'), changes);
  const text = (v: unknown) => (typeof v === 'string' ? v : '?');
  const version = (o: Obj) => `${text(o.id)}@${text(o.version)}`;
  return { from: version(A), to: version(B), changes, text: changes.map((c) => c.text).join('\n') };
}
