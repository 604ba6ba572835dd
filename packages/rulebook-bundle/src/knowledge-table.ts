/**
 * Reads a knowledge table's text into rows for the diff. The rules core has its own, stricter
 * loader; this one only needs rows and codes to compare two versions, so it never fails: a
 * table it cannot read yields no rows and the diff says the file changed.
 */
import { parseCsvObjects, readText } from '@preaudit/core-rules';

/** A table as rows plus each row's code set. */
export interface ReadTable {
  /** Column values except `codes`, as text. */
  rows: Array<{ values: Record<string, string>; codes: string[] }>;
  /** False when the text could not be read as a table. */
  readable: boolean;
}

/** Parses CSV with a header row (the core's csv-parse reader) into records; empty rows are skipped. */
function parseCsv(text: string): Array<Record<string, string>> {
  return parseCsvObjects(text).map((r) => r.row);
}

const splitCodes = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(readText) : readText(v).split('|'))
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();

/** Reads a .csv or .json knowledge table. */
export function readTable(path: string, text: string | undefined): ReadTable {
  if (text === undefined) return { rows: [], readable: false };
  let records: Array<Record<string, unknown>>;
  try {
    if (path.toLowerCase().endsWith('.json')) {
      const parsed = JSON.parse(text) as unknown;
      if (!Array.isArray(parsed)) return { rows: [], readable: false };
      records = parsed.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
    } else records = parseCsv(text);
  } catch {
    return { rows: [], readable: false };
  }
  return {
    readable: true,
    rows: records.map((r) => {
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (k !== 'codes') values[k] = Array.isArray(v) ? v.join('|') : readText(v);
      return { values, codes: splitCodes(r.codes) };
    }),
  };
}
