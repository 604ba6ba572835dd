import type { RulebookProblem } from '../rulebook/types.js';
import type { KnowledgeRow, KnowledgeTable } from './types.js';
import { parseCsvObjects } from './csv.js';

function splitCodes(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map((c) => String(c).trim()).filter((c) => c !== '');
  if (typeof v === 'string')
    return v
      .split('|')
      .map((c) => c.trim())
      .filter((c) => c !== '');
  return undefined;
}

/** Parses a knowledge table file (CSV with header, or JSON array of objects). */
export function parseKnowledgeTable(id: string, file: string, text: string, problems: RulebookProblem[]): KnowledgeTable | undefined {
  const table: KnowledgeTable = { id, file, rows: [], lines: [] };
  let raw: Array<{ line: number; row: Record<string, unknown> }>;
  try {
    if (file.toLowerCase().endsWith('.json')) {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) {
        problems.push({ field: `knowledge.${id}`, message: `${file} must hold a JSON array of objects` });
        return undefined;
      }
      raw = parsed.map((row, i) => ({ line: i, row: row as Record<string, unknown> }));
    } else {
      raw = parseCsvObjects(text);
    }
  } catch (e) {
    problems.push({ field: `knowledge.${id}`, message: `${file}: ${(e as Error).message}` });
    return undefined;
  }
  for (const { line, row } of raw) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.push({ field: `${file}:${line}`, message: 'row must be an object' });
      continue;
    }
    const out: KnowledgeRow = { ...row };
    if ('codes' in row) {
      const codes = splitCodes(row.codes);
      if (!codes) {
        problems.push({ field: `${file}:${line}.codes`, message: 'codes must be a |-separated string or an array' });
        continue;
      }
      out.codes = codes;
    }
    table.rows.push(out);
    table.lines.push(line);
  }
  return table;
}
