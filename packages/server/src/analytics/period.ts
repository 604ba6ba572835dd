/**
 * Query periods and scope for the analytics routes: `from`/`to` read as the compliance report
 * reads them (local days, `to` inclusive, or ISO times), the previous period of equal length,
 * local day keys, and the department scope of the caller (a department head sees only theirs).
 */
import { ErrorCode, PreauditError, badInput, type FieldProblem } from '../platform/errors.js';
import { departmentScope, type Identity } from '../platform/auth.js';
import { periodBound } from '../checks/compliance/report.js';

/** Longest period one request may span (the summary rows read grow with it). */
const MAX_SPAN_DAYS = 400;

/** A period [from, to) in ISO UTC. */
export interface Period {
  from: string;
  to: string;
}

/** Reads `from`/`to` (default: the 30 days before now); 400 naming the field when unreadable, reversed or too long. */
export function readPeriod(q: { from?: string; to?: string }, now: Date): Period {
  const from = q.from ? periodBound(q.from, false) : new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const to = q.to ? periodBound(q.to, true) : new Date(now.getTime() + 1).toISOString();
  const problems: FieldProblem[] = [];
  if (!from) problems.push({ field: 'query.from', message: '日期格式应为 yyyy-MM-dd 或 ISO 时间' });
  if (!to) problems.push({ field: 'query.to', message: '日期格式应为 yyyy-MM-dd 或 ISO 时间' });
  if (from && to && from >= to) problems.push({ field: 'query.to', message: '应晚于 from' });
  if (from && to && Date.parse(to) - Date.parse(from) > MAX_SPAN_DAYS * 86_400_000) problems.push({ field: 'query.to', message: `时间跨度不能超过 ${MAX_SPAN_DAYS} 天` });
  if (problems.length > 0 || !from || !to) throw badInput(problems);
  return { from, to };
}

/** The period of equal length just before `p`. */
export function previousPeriod(p: Period): Period {
  const len = Date.parse(p.to) - Date.parse(p.from);
  return { from: new Date(Date.parse(p.from) - len).toISOString(), to: p.from };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local day (yyyy-MM-dd) an ISO time falls on. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Start of a local day as ISO UTC. */
export function dayStart(day: string): string {
  return periodBound(day, false)!;
}

/** Start of the next local day as ISO UTC. */
export function dayEnd(day: string): string {
  return periodBound(day, true)!;
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return localDay(dayEnd(day));
}

/**
 * The departments a request covers: those asked for (comma-separated), within the caller's scope.
 * undefined = all. A department head asking for a department outside theirs gets 403.
 */
export function scopedDepartments(identity: Identity, asked: string | undefined): string[] | undefined {
  const wanted = asked
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const scope = departmentScope(identity);
  if (!scope) return wanted && wanted.length > 0 ? wanted : undefined;
  if (!wanted || wanted.length === 0) return [...scope];
  const outside = wanted.filter((d) => !scope.includes(d));
  if (outside.length > 0) throw new PreauditError(ErrorCode.forbidden, `无权查看科室 ${outside.join(', ')}`);
  return wanted;
}

/** Rounds money to cents. */
export const money = (n: number): number => Math.round(n * 100) / 100;

/** A ratio with 4 decimals; null when the denominator is 0. */
export const ratio = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);

/** A database cell as text ('' for null/undefined; numbers and booleans as written; Dates as ISO). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}
