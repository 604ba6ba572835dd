/**
 * National dates are local wall-clock strings without a zone ("yyyy-MM-dd" or
 * "yyyy-MM-dd HH:mm:ss"). They are parsed into a zone-free millisecond count (as if UTC) so that
 * day arithmetic is exact and never shifts with the host's time zone.
 */
declare const MS_PER_DAY = 86400000;
/**
 * Parses `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd HH:mm` (also with a `T`) or
 * `yyyyMMdd[HHmmss]` into wall-clock milliseconds; NaN when the text is not such a date.
 */
export declare function parseDateTime(s: string | undefined | null): number;
/** Wall-clock milliseconds of a JS Date or date string (a Date is read in local time, as HIS clocks are). */
export declare function toWallClock(t: string | Date | number): number;
/** Day number (days since 1970-01-01) of wall-clock milliseconds. */
export declare function dayOf(ms: number): number;
/** Formats a day number as yyyy-MM-dd. */
export declare function formatDay(day: number): string;
/** Full years from a birth date to a moment (both wall-clock ms); NaN when either is unknown. */
export declare function fullYears(birthMs: number, atMs: number): number;
export { MS_PER_DAY };
//# sourceMappingURL=dates.d.ts.map