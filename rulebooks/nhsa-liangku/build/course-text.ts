/**
 * Reads the course limits out of the batch08-3 remark text (备注), e.g.
 * "总时间不超过90天，评定间隔时间不短于14天。" → span 90 days, interval 14 days.
 * Every clause must be understood; an unknown clause is reported, never ignored.
 */

/** Limits of one item-course point. */
export interface CourseLimits {
  /** Days from the first use to a use, inclusive, may not exceed this. */
  maxSpanDays?: number;
  /** A use may not follow the previous one by fewer days than this. */
  minIntervalDays?: number;
}

/** Clause patterns and what they set. */
const CLAUSES: ReadonlyArray<{ re: RegExp; apply: (m: RegExpExecArray, out: CourseLimits) => keyof CourseLimits }> = [
  { re: /^(?:总时间|(?:一个疾病过程|单次住院)?支付)不超过([1-9]\d*)天$/, apply: (m, o) => ((o.maxSpanDays = Number(m[1])), 'maxSpanDays') },
  { re: /^(?:一个疾病过程)?支付不超过一年$/, apply: (_m, o) => ((o.maxSpanDays = 365), 'maxSpanDays') },
  { re: /^(?:两次)?评定间隔时间不短于([1-9]\d*)天$/, apply: (m, o) => ((o.minIntervalDays = Number(m[1])), 'minIntervalDays') },
  { re: /^每周最多支付一次$/, apply: (_m, o) => ((o.minIntervalDays = 7), 'minIntervalDays') },
];

/** Parses the remark; returns the limits, or a message saying which clause is not understood. */
export function parseCourseText(text: string): CourseLimits | string {
  const clauses = text
    .split(/[，,。；;]/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (clauses.length === 0) return 'no clause';
  const out: CourseLimits = {};
  for (const clause of clauses) {
    const hit = CLAUSES.find((c) => c.re.test(clause));
    if (!hit) return `cannot read the clause "${clause}"`;
    const before = { ...out };
    const key = hit.apply(hit.re.exec(clause)!, out);
    if (before[key] !== undefined) return `the clause "${clause}" sets ${key} a second time`;
  }
  return out;
}
