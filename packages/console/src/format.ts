/** Display helpers shared by the pages (numbers are computed by the service, only formatted here). */

export const SEVERITY_NAMES: Readonly<Record<string, string>> = Object.freeze({ '1': '明确违规', '2': '高度可疑', '3': '轻度可疑' });

export const yuan = (n: number | null | undefined): string => (typeof n === 'number' ? `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : '—');
export const count = (n: number | null | undefined): string => (typeof n === 'number' ? n.toLocaleString('zh-CN') : '—');
export const percent = (r: number | null | undefined): string => (typeof r === 'number' ? `${(r * 100).toFixed(1)}%` : '—');
export const time = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 19) : '—');

/** yyyy-MM-dd of a date in local time. */
function day(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The last `days` days up to today, as [from, to] (inclusive). */
export function lastDays(days: number, now = new Date()): [string, string] {
  return [day(new Date(now.getTime() - (days - 1) * 86_400_000)), day(now)];
}

/** Change ratio as text: +12.5% / -3.0% / —. */
export function change(r: number | null | undefined): string {
  return typeof r === 'number' ? `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%` : '—';
}
