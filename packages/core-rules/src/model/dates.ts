/**
 * National dates are local wall-clock strings without a zone ("yyyy-MM-dd" or
 * "yyyy-MM-dd HH:mm:ss"). They are parsed into a zone-free millisecond count (as if UTC) so that
 * day arithmetic is exact and never shifts with the host's time zone.
 */

const MS_PER_DAY = 86_400_000;

function digits(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd HH:mm` (also with a `T`) or
 * `yyyyMMdd[HHmmss]` into wall-clock milliseconds; NaN when the text is not such a date.
 */
export function parseDateTime(s: string | undefined | null): number {
  if (typeof s !== 'string') return NaN;
  const n = s.length;
  let y: number, mo: number, d: number, p: number;
  if (n >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    y = digits(s, 0, 4);
    mo = digits(s, 5, 2);
    d = digits(s, 8, 2);
    p = 10;
  } else if (n === 8 || n === 14) {
    y = digits(s, 0, 4);
    mo = digits(s, 4, 2);
    d = digits(s, 6, 2);
    p = 8;
  } else return NaN;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  let h = 0,
    mi = 0,
    se = 0;
  if (p === 10 && n > 10) {
    const sep = s.charCodeAt(10);
    if ((sep !== 32 && sep !== 84) || n < 16 || s.charCodeAt(13) !== 58) return NaN;
    h = digits(s, 11, 2);
    mi = digits(s, 14, 2);
    if (n >= 19) {
      if (s.charCodeAt(16) !== 58) return NaN;
      se = digits(s, 17, 2);
      if (n > 19 && s.charCodeAt(19) !== 46) return NaN; // only fractional seconds may follow
    } else if (n !== 16) return NaN;
  } else if (p === 8 && n === 14) {
    h = digits(s, 8, 2);
    mi = digits(s, 10, 2);
    se = digits(s, 12, 2);
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return NaN;
  // Refuse dates that do not exist (2025-02-30) instead of rolling them over as Date.UTC would.
  if (d > 28 && d > daysInMonth(y, mo)) return NaN;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + se) * 1000;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), no allocation. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Wall-clock milliseconds of a JS Date or date string (a Date is read in local time, as HIS clocks are). */
export function toWallClock(t: string | Date | number): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) {
    return Date.UTC(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds());
  }
  return parseDateTime(t);
}

/** Day number (days since 1970-01-01) of wall-clock milliseconds. */
export function dayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Formats a day number as yyyy-MM-dd. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Civil date (y, m 1–12, d) of a day number, without allocating (H. Hinnant's algorithm). */
function civil(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Full years from a birth date to a moment (both wall-clock ms); NaN when either is unknown. */
export function fullYears(birthMs: number, atMs: number): number {
  if (Number.isNaN(birthMs) || Number.isNaN(atMs)) return NaN;
  const [by, bm, bd] = civil(Math.floor(birthMs / MS_PER_DAY));
  const [ay, am, ad] = civil(Math.floor(atMs / MS_PER_DAY));
  let age = ay - by;
  if (am < bm || (am === bm && ad < bd)) age--;
  return age;
}
