/**
 * The 2026 NHSA batch files shared by several tables: `index.csv` (publication dates) and the
 * `<base>_rules.csv` + `<base>_codes.csv` pairs, read and cross-checked in one place.
 */
import { SourceError, check, code, positiveInt, readSource, required } from './source.js';

/** Publication date of a file base, from index.csv. */
function published(dir: string, base: string): string {
  const row = readSource(dir, 'index.csv', ['batch', 'rule_name', 'rule_code', 'published', 'announcement', 'files', 'knowledge_points', 'codes']).find((r) => r.cell.files === base);
  if (!row) throw new SourceError('index.csv', 0, `no row for ${base}`);
  const date = required(row, 'published');
  check(/^\d{4}-\d{2}-\d{2}$/.test(date), row, `published "${date}" is not yyyy-MM-dd`);
  return date;
}

/** One knowledge point of a batch: the drug or slice name, its codes joined by `|`, its 逻辑依据. */
export interface BatchPoint {
  name: string;
  codes: string;
  text: string;
  effective_from: string;
}

/**
 * One 2026 batch file pair (`<base>_rules.csv`: 序号,药品通用名,检出逻辑,逻辑依据,代码数量;
 * `<base>_codes.csv`: 药品通用名,序号,国标代码) as points, with codes checked against 代码数量
 * and the effective date from index.csv.
 */
export function readBatch(dir: string, base: string, logic: string, shape: RegExp): BatchPoint[] {
  const from = published(dir, base);
  const points = new Map<string, { name: string; count: number; text: string; line: number; codes: string[] }>();
  for (const row of readSource(dir, `${base}_rules.csv`, ['序号', '药品通用名', '检出逻辑', '逻辑依据', '代码数量'])) {
    positiveInt(row, '序号');
    const name = required(row, '药品通用名');
    check(row.cell['检出逻辑'] === logic, row, `检出逻辑 "${row.cell['检出逻辑']}", expected "${logic}"`);
    check(!points.has(name), row, `duplicate 药品通用名 "${name}"`);
    points.set(name, { name, count: positiveInt(row, '代码数量'), text: required(row, '逻辑依据'), line: row.line, codes: [] });
  }
  for (const row of readSource(dir, `${base}_codes.csv`, ['药品通用名', '序号', '国标代码'])) {
    const p = points.get(required(row, '药品通用名'));
    check(p !== undefined, row, `药品通用名 "${row.cell['药品通用名']}" has no row in ${base}_rules.csv`);
    positiveInt(row, '序号');
    const c = code(row, '国标代码', shape);
    if (!p.codes.includes(c)) p.codes.push(c);
  }
  return [...points.values()].map((p) => {
    if (p.codes.length !== p.count) throw new SourceError(`${base}_rules.csv`, p.line, `"${p.name}" lists 代码数量 ${p.count} but ${base}_codes.csv has ${p.codes.length} codes`);
    return { name: p.name, codes: [...p.codes].sort().join('|'), text: p.text, effective_from: from };
  });
}
