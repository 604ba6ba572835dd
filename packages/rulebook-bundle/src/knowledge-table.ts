/**
 * Reads a knowledge table's text into rows for the diff. The rules core has its own, stricter
 * loader; this one only needs rows and codes to compare two versions, so it never fails: a
 * table it cannot read yields no rows and the diff says the file changed.
 */

/** A table as rows plus each row's code set. */
export interface ReadTable {
  /** Column values except `codes`, as text. */
  rows: Array<{ values: Record<string, string>; codes: string[] }>;
  /** False when the text could not be read as a table. */
  readable: boolean;
}

/** Parses RFC 4180 CSV (header row, quoted fields, CRLF or LF) into records. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((f) => f.trim() !== ''));
  const header = nonEmpty.shift() ?? [];
  return nonEmpty.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

const splitCodes = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : String(v ?? '').split('|'))
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
      for (const [k, v] of Object.entries(r)) if (k !== 'codes') values[k] = Array.isArray(v) ? v.join('|') : String(v ?? '');
      return { values, codes: splitCodes(r.codes) };
    }),
  };
}
