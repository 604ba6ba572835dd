/**
 * What changed between two versions of a rulebook, in the words of the people who approve the
 * change (a bureau officer, the hospital's insurance office): rules added, removed and changed
 * field by field, knowledge points added, removed and changed (codes and limits), test cases.
 * `diffRulebooks` gives data (the service returns it as JSON), `formatDiff` the text.
 */
import { readText, type RulebookFiles } from '@preaudit/core-rules';
import { canonicalJson } from './canonical-json.js';
import { readTable } from './knowledge-table.js';

/** One field that changed, with readable values. */
export interface FieldChange {
  /** Field name in the rulebook (sev_deg). */
  field: string;
  /** Its Chinese label (严重程度). */
  label: string;
  /** Old value as shown, '' when absent. */
  from: string;
  /** New value as shown, '' when absent. */
  to: string;
}

/** A rule as listed in a diff. */
export interface RuleSummary {
  /** Rule id. */
  id: string;
  /** Rule name. */
  name: string;
  /** First day the rule applies, when the rule carries one (a rule added by a revision). */
  effective_from?: string;
}

/**
 * Points that take effect or stop on one date (knowledge rows' effective_from / effective_to):
 * a revision lists the replacing points under its date and the replaced ones as stopping then.
 */
export interface ScheduleEntry {
  /** yyyy-MM-dd[ HH:mm:ss]. */
  date: string;
  /** Points that apply from this date. */
  takes_effect: string[];
  /** Points that stop applying on this date (effective_to is exclusive). */
  stops: string[];
}

/** A knowledge point that changed. */
export interface PointChange {
  /** The point, as shown (a drug name, or "main + sub" for a pair). */
  point: string;
  /** Codes added to the point. */
  codes_added: string[];
  /** Codes removed from the point. */
  codes_removed: string[];
  /** Other columns that changed. */
  changes: FieldChange[];
}

/** The changes of one knowledge table. */
export interface KnowledgeDiff {
  /** Table id. */
  table: string;
  /** Names of the rules (in the new version, else the old) that use the table. */
  rules: string[];
  /** 'added' / 'removed' = the whole table is new / gone. */
  status: 'added' | 'removed' | 'changed';
  /** Points added. */
  added: string[];
  /** Points removed. */
  removed: string[];
  /** Points changed. */
  changed: PointChange[];
  /** When points take effect / stop, by date (only when some row's dates are new or moved). */
  schedule?: ScheduleEntry[];
}

/** Everything that changed between two rulebooks. */
export interface RulebookDiff {
  /** id@version of the old rulebook. */
  from: string;
  /** id@version of the new rulebook. */
  to: string;
  /** Rulebook-level fields (name, issuer, effective dates). */
  header: FieldChange[];
  /** Rules added. */
  rules_added: RuleSummary[];
  /** Rules removed. */
  rules_removed: RuleSummary[];
  /** Rules changed, with each field. */
  rules_changed: Array<RuleSummary & { changes: FieldChange[] }>;
  /** Knowledge tables with changes. */
  knowledge: KnowledgeDiff[];
  /** Test cases by name. */
  cases: { added: string[]; removed: string[]; changed: string[] };
  /** True when nothing differs. */
  identical: boolean;
}

const RULE_LABELS: Record<string, string> = {
  name: '规则名称',
  category: '违规行为类别',
  sev_deg: '严重程度',
  result_type: '结果类型',
  scenes: '触发场景',
  phases: '审核阶段',
  window: '时间窗口',
  message: '提示语',
  basis: '政策依据',
  enabled: '启用状态',
  template: '规则模板',
  params: '参数',
  knowledge: '知识库表',
  condition: '判断条件',
  scope: '判断范围',
  effective_from: '生效日期',
  effective_to: '失效日期',
};

const HEADER_LABELS: Record<string, string> = {
  name: '规则库名称',
  issuer: '发布机构',
  effective_from: '生效时间',
  effective_to: '失效时间',
};

const COLUMN_LABELS: Record<string, string> = {
  name: '知识点名称',
  sex: '限定性别',
  min_age: '最小年龄',
  max_age: '最大年龄',
  object: '限定对象',
  insutypes: '允许险种',
  med_mdtrt_types: '允许就医方式',
  min_tier: '最低医院等级',
  max_days: '最大支付天数',
  max_count: '最大次数',
  unit: '计价单位',
  period_days: '周期天数',
  group: '手术组',
  max_span_days: '最长疗程天数',
  min_interval_days: '最小间隔天数',
  main_name: '主项目名称',
  sub_name: '被收费项目名称',
  window: '时间窗口',
  note: '说明',
  effective_from: '生效日期',
  effective_to: '失效日期（当日起不再适用）',
  revision: '修订说明',
};

const SEV: Record<string, string> = { '1': '1 明确违规', '2': '2 高度可疑', '3': '3 轻度可疑' };
const SEX: Record<string, string> = { '1': '男', '2': '女' };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function manifestOf(rb: RulebookFiles): Rec {
  const m = typeof rb.manifest === 'string' ? (JSON.parse(rb.manifest) as unknown) : rb.manifest;
  return isRec(m) ? m : {};
}

/** How a rule field reads to a person. */
function showRuleValue(field: string, v: unknown): string {
  if (v === undefined || v === null) return field === 'enabled' ? '启用' : '';
  if (field === 'enabled') return v === false ? '停用' : '启用';
  if (field === 'sev_deg') return SEV[readText(v)] ?? readText(v);
  if (field === 'scenes' && Array.isArray(v)) return v.join('、');
  if (field === 'phases' && Array.isArray(v)) return v.join('、');
  if (typeof v === 'string') return v;
  return canonicalJson(v);
}

function showColumn(column: string, v: string): string {
  return column === 'sex' ? (SEX[v] ?? v) : v;
}

function ruleChanges(a: Rec, b: Rec): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => f !== 'id');
  for (const field of fields) {
    const enabledSame = field === 'enabled' && (a.enabled !== false) === (b.enabled !== false);
    if (enabledSame || canonicalJson(a[field]) === canonicalJson(b[field])) continue;
    if (field === 'params' && (isRec(a.params) || isRec(b.params))) {
      // One line per parameter reads better than two JSON blobs.
      const pa = isRec(a.params) ? a.params : {};
      const pb = isRec(b.params) ? b.params : {};
      for (const k of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort())
        if (canonicalJson(pa[k]) !== canonicalJson(pb[k])) changes.push({ field: `params.${k}`, label: `参数 ${k}`, from: showRuleValue(k, pa[k]), to: showRuleValue(k, pb[k]) });
      continue;
    }
    changes.push({ field, label: RULE_LABELS[field] ?? field, from: showRuleValue(field, a[field]), to: showRuleValue(field, b[field]) });
  }
  return changes;
}

/** One knowledge row as the diff compares it. */
interface KeyedRow {
  label: string;
  values: Record<string, string>;
  codes: string[];
}

/** The rows of a table that is absent on one side. */
function noRows(): { rows: Map<string, KeyedRow>; readable: boolean } {
  return { rows: new Map<string, KeyedRow>(), readable: true };
}

/** Key and display name of each row: pairs by their two codes, points by name. */
function keyedRows(path: string, text: string | undefined) {
  const table = readTable(path, text);
  const out = new Map<string, KeyedRow>();
  for (const row of table.rows) {
    const v = row.values;
    let key: string;
    let label: string;
    if (v.main_code !== undefined && v.sub_code !== undefined) {
      key = `${v.main_code}|${v.sub_code}`;
      label = `${v.main_name || v.main_code}（${v.main_code}）+ ${v.sub_name || v.sub_code}（${v.sub_code}）`;
    } else {
      key = v.name ?? row.codes.join('|');
      label = v.name || row.codes[0] || '(无名称)';
    }
    // A point re-issued by a revision is another row of the same name: its first day tells them apart.
    if (v.effective_from) {
      key = `${key}@${v.effective_from}`;
      label = `${label}（${v.effective_from}起）`;
    }
    // The same name twice (two limits for one drug) stays two points.
    let k = key;
    for (let n = 2; out.has(k); n++) k = `${key}#${n}`;
    out.set(k, { label: k === key ? label : `${label}（第${k.split('#').at(-1)}条）`, values: v, codes: row.codes });
  }
  return { rows: out, readable: table.readable };
}

function tableDiff(
  table: string,
  rules: string[],
  oldRb: RulebookFiles | null,
  oldPath: string | undefined,
  newRb: RulebookFiles | null,
  newPath: string | undefined,
): KnowledgeDiff | null {
  const before = oldPath && oldRb ? keyedRows(oldPath, oldRb.files[oldPath]) : noRows();
  const after = newPath && newRb ? keyedRows(newPath, newRb.files[newPath]) : noRows();
  const status = !oldPath ? 'added' : !newPath ? 'removed' : 'changed';
  const diff: KnowledgeDiff = { table, rules, status, added: [], removed: [], changed: [] };
  for (const [key, row] of after.rows) if (!before.rows.has(key)) diff.added.push(row.label);
  for (const [key, row] of before.rows) if (!after.rows.has(key)) diff.removed.push(row.label);
  for (const [key, b] of after.rows) {
    const a = before.rows.get(key);
    if (!a) continue;
    const oldCodes = new Set(a.codes);
    const newCodes = new Set(b.codes);
    const change: PointChange = {
      point: b.label,
      codes_added: b.codes.filter((c: string) => !oldCodes.has(c)),
      codes_removed: a.codes.filter((c: string) => !newCodes.has(c)),
      changes: [],
    };
    for (const col of [...new Set([...Object.keys(a.values), ...Object.keys(b.values)])]) {
      const x = a.values[col] ?? '';
      const y = b.values[col] ?? '';
      if (x !== y) change.changes.push({ field: col, label: COLUMN_LABELS[col] ?? col, from: showColumn(col, x), to: showColumn(col, y) });
    }
    if (change.codes_added.length || change.codes_removed.length || change.changes.length) diff.changed.push(change);
  }
  const schedule = new Map<string, ScheduleEntry>();
  const at = (date: string) => {
    let e = schedule.get(date);
    if (!e) schedule.set(date, (e = { date, takes_effect: [], stops: [] }));
    return e;
  };
  for (const [key, b] of after.rows) {
    const a = before.rows.get(key);
    const from = b.values.effective_from ?? '';
    const to = b.values.effective_to ?? '';
    if (from && from !== (a?.values.effective_from ?? '')) at(from).takes_effect.push(b.label);
    if (to && to !== (a?.values.effective_to ?? '')) at(to).stops.push(b.label);
  }
  if (schedule.size > 0) diff.schedule = [...schedule.values()].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  const unreadable = (oldPath && !before.readable) || (newPath && !after.readable);
  if (unreadable && oldPath && newPath && oldRb?.files[oldPath] !== newRb?.files[newPath])
    diff.changed.push({ point: '(表格无法解析，文件内容有变化)', codes_added: [], codes_removed: [], changes: [] });
  return diff.added.length || diff.removed.length || diff.changed.length || diff.schedule || status !== 'changed' ? diff : null;
}

function casesOf(rb: RulebookFiles): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of Object.entries(rb.files)) {
    if (!path.startsWith('cases/') || !path.endsWith('.json')) continue;
    try {
      const arr = JSON.parse(text) as unknown;
      if (Array.isArray(arr)) for (const c of arr) if (isRec(c)) out.set(`${String(c.name)}`, canonicalJson(c));
    } catch {
      out.set(`${path}（无法解析）`, text);
    }
  }
  return out;
}

/** Compares two rulebooks given as files (a folder read by the core, or a bundle's files). */
export function diffRulebooks(oldRb: RulebookFiles, newRb: RulebookFiles): RulebookDiff {
  const a = manifestOf(oldRb);
  const b = manifestOf(newRb);
  const header: FieldChange[] = [];
  for (const field of Object.keys(HEADER_LABELS))
    if ((a[field] ?? null) !== (b[field] ?? null)) header.push({ field, label: HEADER_LABELS[field], from: readText(a[field]), to: readText(b[field]) });
  if (a.id !== b.id) header.unshift({ field: 'id', label: '规则库编号', from: readText(a.id), to: readText(b.id) });

  const rulesA = new Map((Array.isArray(a.rules) ? a.rules : []).filter(isRec).map((r) => [String(r.id), r]));
  const rulesB = new Map((Array.isArray(b.rules) ? b.rules : []).filter(isRec).map((r) => [String(r.id), r]));
  const summary = (r: Rec): RuleSummary => ({
    id: String(r.id),
    name: readText(r.name),
    ...(typeof r.effective_from === 'string' && r.effective_from ? { effective_from: r.effective_from } : {}),
  });
  const rules_added = [...rulesB.values()].filter((r) => !rulesA.has(String(r.id))).map(summary);
  const rules_removed = [...rulesA.values()].filter((r) => !rulesB.has(String(r.id))).map(summary);
  const rules_changed: RulebookDiff['rules_changed'] = [];
  for (const [id, rb] of rulesB) {
    const ra = rulesA.get(id);
    if (!ra) continue;
    const changes = ruleChanges(ra, rb);
    if (changes.length) rules_changed.push({ ...summary(rb), changes });
  }

  const kA = isRec(a.knowledge) ? a.knowledge : {};
  const kB = isRec(b.knowledge) ? b.knowledge : {};
  const usedBy = (table: string) => {
    const from = [...rulesB.values()].some((r) => r.knowledge === table) ? rulesB : rulesA;
    return [...from.values()].filter((r) => r.knowledge === table).map((r) => String(r.name ?? r.id));
  };
  const fileOf = (k: Rec, t: string) => (isRec(k[t]) && typeof k[t].file === 'string' ? String(k[t].file) : undefined);
  const knowledge: KnowledgeDiff[] = [];
  for (const table of [...new Set([...Object.keys(kA), ...Object.keys(kB)])].sort()) {
    const d = tableDiff(table, usedBy(table), oldRb, fileOf(kA, table), newRb, fileOf(kB, table));
    if (d) knowledge.push(d);
  }

  const cA = casesOf(oldRb);
  const cB = casesOf(newRb);
  const cases = {
    added: [...cB.keys()].filter((n) => !cA.has(n)),
    removed: [...cA.keys()].filter((n) => !cB.has(n)),
    changed: [...cB.keys()].filter((n) => cA.has(n) && cA.get(n) !== cB.get(n)),
  };
  const identical =
    !header.length &&
    !rules_added.length &&
    !rules_removed.length &&
    !rules_changed.length &&
    !knowledge.length &&
    !cases.added.length &&
    !cases.removed.length &&
    !cases.changed.length &&
    a.version === b.version;
  return {
    from: `${String(a.id)}@${String(a.version)}`,
    to: `${String(b.id)}@${String(b.version)}`,
    header,
    rules_added,
    rules_removed,
    rules_changed,
    knowledge,
    cases,
    identical,
  };
}

/** Options of {@link formatDiff}. */
export interface FormatDiffOptions {
  /** At most this many items per list; the rest are counted. Default: all. */
  limit?: number;
}

/** The diff as text for a person (Chinese labels). */
export function formatDiff(diff: RulebookDiff, options: FormatDiffOptions = {}): string {
  const limit = options.limit ?? Infinity;
  const lines: string[] = [`规则库变更：${diff.from} → ${diff.to}`];
  if (diff.identical) {
    lines.push('无变化');
    return `${lines.join('\n')}\n`;
  }
  const list = <T>(title: string, items: T[], show: (x: T) => string[], indent = '') => {
    if (!items.length) return;
    lines.push(`${indent}${title}（${items.length}）：`);
    for (const x of items.slice(0, limit)) for (const l of show(x)) lines.push(`${indent}  ${l}`);
    if (items.length > limit) lines.push(`${indent}  …… 另有 ${items.length - limit} 项`);
  };
  const change = (c: FieldChange) => `${c.label}：${c.from || '（无）'} → ${c.to || '（无）'}`;
  if (diff.header.length) {
    lines.push('规则库信息：');
    for (const c of diff.header) lines.push(`  ${change(c)}`);
  }
  list('新增规则', diff.rules_added, (r) => [`+ ${r.id} ${r.name}${r.effective_from ? `（${r.effective_from}起生效）` : ''}`]);
  list('删除规则', diff.rules_removed, (r) => [`- ${r.id} ${r.name}`]);
  list('修改规则', diff.rules_changed, (r) => [`* ${r.id} ${r.name}`, ...r.changes.map((c) => `    ${change(c)}`)]);
  for (const k of diff.knowledge) {
    const status = k.status === 'added' ? '（新增知识库表）' : k.status === 'removed' ? '（删除知识库表）' : '';
    lines.push(`知识库表 ${k.table}${status}${k.rules.length ? `，用于：${k.rules.join('、')}` : ''}`);
    if (k.schedule) {
      lines.push('  生效安排：');
      for (const e of k.schedule) {
        const parts = [e.takes_effect.length ? `${e.takes_effect.length} 个知识点起生效` : '', e.stops.length ? `${e.stops.length} 个知识点起失效` : ''].filter(Boolean);
        lines.push(`    ${e.date}：${parts.join('，')}`);
        list('起生效', e.takes_effect, (p) => [`+ ${p}`], '      ');
        list('起失效', e.stops, (p) => [`- ${p}`], '      ');
      }
    }
    list('新增知识点', k.added, (p) => [`+ ${p}`], '  ');
    list('删除知识点', k.removed, (p) => [`- ${p}`], '  ');
    list(
      '修改知识点',
      k.changed,
      (p) => [
        `* ${p.point}`,
        ...(p.codes_added.length ? [`    新增编码：${p.codes_added.join('、')}`] : []),
        ...(p.codes_removed.length ? [`    删除编码：${p.codes_removed.join('、')}`] : []),
        ...p.changes.map((c) => `    ${change(c)}`),
      ],
      '  ',
    );
  }
  list('新增测试用例', diff.cases.added, (n) => [`+ ${n}`]);
  list('删除测试用例', diff.cases.removed, (n) => [`- ${n}`]);
  list('修改测试用例', diff.cases.changed, (n) => [`* ${n}`]);
  return `${lines.join('\n')}\n`;
}
