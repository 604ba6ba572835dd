/**
 * 遵从率 report: per rule, warnings given, continued (dspo_way 1), modified (dspo_way 2),
 * no answer, and the compliance rate = modified / warnings (the share of warnings after which
 * the doctor changed the order). The SQL is the same on SQLite and PostgreSQL.
 */
import type { Knex } from 'knex';

/** One rule's line. */
export interface ComplianceLine {
  rule_id: string;
  rule_name: string;
  warnings: number;
  continued: number;
  modified: number;
  no_answer: number;
  /** modified / warnings, 4 decimals; null without warnings. */
  compliance_rate: number | null;
}

/** Filters: period [from, to) as ISO UTC strings, optional hospital/department/doctor. */
export interface ComplianceQuery {
  from: string;
  to: string;
  hospital?: string;
  department?: string;
  doctor?: string;
}

const rate = (modified: number, warnings: number) => (warnings > 0 ? Math.round((modified / warnings) * 10_000) / 10_000 : null);

/** Builds the report. */
export async function complianceReport(db: Knex, q: ComplianceQuery): Promise<{ rules: ComplianceLine[]; total: Omit<ComplianceLine, 'rule_id' | 'rule_name'> }> {
  const query = db('findings as f')
    .leftJoin('feedback as fb', 'fb.jr_id', 'f.jr_id')
    .where('f.time', '>=', q.from)
    .andWhere('f.time', '<', q.to)
    .groupBy('f.rule_id', 'f.rule_name')
    .orderBy('f.rule_id')
    .select('f.rule_id', 'f.rule_name')
    .count({ warnings: '*' })
    .select(db.raw("sum(case when fb.dspo_way = '1' then 1 else 0 end) as continued"))
    .select(db.raw("sum(case when fb.dspo_way = '2' then 1 else 0 end) as modified"));
  if (q.hospital) query.andWhere('f.hospital', q.hospital);
  if (q.department) query.andWhere('f.department', q.department);
  if (q.doctor) query.andWhere('f.doctor', q.doctor);
  const rows: Array<Record<string, unknown>> = await query;
  const total = { warnings: 0, continued: 0, modified: 0, no_answer: 0, compliance_rate: null as number | null };
  const rules = rows.map((r): ComplianceLine => {
    const warnings = Number(r.warnings);
    const continued = Number(r.continued ?? 0);
    const modified = Number(r.modified ?? 0);
    total.warnings += warnings;
    total.continued += continued;
    total.modified += modified;
    return {
      rule_id: String(r.rule_id),
      rule_name: String(r.rule_name),
      warnings,
      continued,
      modified,
      no_answer: warnings - continued - modified,
      compliance_rate: rate(modified, warnings),
    };
  });
  total.no_answer = total.warnings - total.continued - total.modified;
  total.compliance_rate = rate(total.modified, total.warnings);
  return { rules, total };
}

/**
 * A period bound from a query parameter: `yyyy-MM-dd` (local midnight; as `to`, the whole day is
 * included), `yyyy-MM-dd HH:mm:ss` (local) or a full ISO time. Returns ISO UTC or undefined if unreadable.
 */
export function periodBound(value: string, end: boolean): string | undefined {
  const v = value.trim();
  let d: Date;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    d = new Date(`${v}T00:00:00`);
    if (end) d.setDate(d.getDate() + 1);
  } else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) {
    d = new Date(v.replace(' ', 'T'));
  } else {
    d = new Date(v);
  }
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
