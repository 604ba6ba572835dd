/**
 * Mapping a web-service reply onto the national model: where the payload is, what it is
 * (a structured SOAP reply, or an XML or JSON document inside a string element), where the
 * encounter records are, and which field of a record holds each national column.
 */
import type { CheckData } from '@preaudit/core-rules';
import { VIEW_CONTRACT, conventionOf, type ViewKey } from '../contract/view-contract.js';
import { cellText } from '../db/db-rows.js';
import { assembleRequests, type PageRows } from '../mapping/assemble.js';
import type { RowColumn } from '../mapping/row-values.js';
import { xmlToObject } from './xml-to-object.js';

/** Children of an encounter record. */
export interface SoapChildMapping {
  /** Path of the child records inside an encounter record, e.g. "Orders.Order". */
  path: string;
  /** National column → field name in the child record (unlisted columns are read by national name). */
  columns?: Record<string, string>;
}

/** How to read a reply. */
export interface SoapReplyMapping {
  /** Path of the payload in the operation's result, e.g. "GetEncountersResult"; empty = the result itself. */
  path?: string;
  /** object: the reply is structured SOAP; xml / json: the payload is a string holding an XML / JSON document. */
  format?: 'object' | 'xml' | 'json';
  /** Path of the encounter records in the payload, e.g. "Response.Encounters.Encounter". */
  encounters: string;
  /** Path of the total record count in the payload, when the service reports one. */
  total?: string;
  /** Path of a status code in the payload and the value meaning success (e.g. { path: "Response.Code", ok: "0" }). */
  status?: { path: string; ok: string; message?: string };
  /** Encounter and patient columns: national column → field name in the encounter record. */
  columns?: Record<string, string>;
  /** Diagnoses inside an encounter record. */
  diagnoses?: SoapChildMapping;
  /** Orders inside an encounter record. */
  orders?: SoapChildMapping;
  /** Operations inside an encounter record. */
  operations?: SoapChildMapping;
  /** Code conventions: national column → { hospital value: national value } (any view). */
  values?: Record<string, Record<string, string>>;
}

/** Follows a dotted path; arrays along the way are flattened, so "A.B" over [{B:1},{B:2}] is [1,2]. */
export function pick(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let cur: unknown[] = [value];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const v of cur) {
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (item && typeof item === 'object' && part in (item as object)) next.push((item as Record<string, unknown>)[part]);
      }
    }
    cur = next;
  }
  if (cur.length === 0) return undefined;
  return cur.length === 1 ? cur[0] : cur.flat();
}

/** A value that may be one record or many (XML has no arrays of one) as a list. */
function asList(v: unknown): Record<string, unknown>[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
}

/** Extracts the payload from an operation result according to the mapping. */
export function payloadOf(result: unknown, mapping: SoapReplyMapping): unknown {
  const raw = pick(result, mapping.path);
  const format = mapping.format ?? 'object';
  if (format === 'object') return raw;
  const text = typeof raw === 'string' ? raw : raw && typeof raw === 'object' && '$value' in raw ? String(raw.$value) : undefined;
  if (text === undefined) throw new Error(`the reply has no ${format.toUpperCase()} text at ${mapping.path || '(result)'}`);
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`the reply's JSON at ${mapping.path || '(result)'} does not parse: ${(err as Error).message}`);
    }
  }
  return xmlToObject(text);
}

function columnsFor(view: ViewKey, names: Record<string, string> | undefined, values: SoapReplyMapping['values']): RowColumn[] {
  return VIEW_CONTRACT[view].columns.map((c) => ({ national: c.name, kind: c.kind, values: conventionOf(c, values?.[c.name]), field: names?.[c.name] ?? c.name }));
}

function extract(record: Record<string, unknown>, cols: Array<RowColumn & { field?: string }>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of cols) {
    const v = pick(record, (c as { field: string }).field);
    if (v !== undefined && typeof v !== 'object') row[c.national] = v;
  }
  return row;
}

/**
 * Maps a payload's encounter records to requests (one per patient). Child records inherit the
 * encounter's mdtrt_id. Records without a patient or encounter id are returned as problems.
 */
export function mapReply(payload: unknown, mapping: SoapReplyMapping): { requests: CheckData[]; encounters: number; orders: number; problems: string[] } {
  const problems: string[] = [];
  if (mapping.status) {
    const code = pick(payload, mapping.status.path);
    if (cellText(code) !== mapping.status.ok) {
      const msg = mapping.status.message ? pick(payload, mapping.status.message) : undefined;
      throw new Error(`the HIS web service answered status ${cellText(code)}${msg ? `: ${cellText(msg)}` : ''}`);
    }
  }
  const encCols = columnsFor('encounters', mapping.columns, mapping.values);
  const child = (view: 'diagnoses' | 'orders' | 'operations') => {
    const m = mapping[view];
    return m ? { path: m.path, cols: columnsFor(view, m.columns, mapping.values) } : undefined;
  };
  const children = { diagnoses: child('diagnoses'), orders: child('orders'), operations: child('operations') };
  const rows: PageRows = { encounters: [], diagnoses: [], orders: [], operations: [] };
  asList(pick(payload, mapping.encounters)).forEach((record, i) => {
    const enc = extract(record, encCols);
    if (enc.patn_id === undefined || enc.mdtrt_id === undefined) {
      problems.push(`encounter record ${i}: missing ${enc.patn_id === undefined ? 'patn_id' : 'mdtrt_id'}`);
      return;
    }
    rows.encounters.push(enc);
    for (const view of ['diagnoses', 'orders', 'operations'] as const) {
      const c = children[view];
      if (!c) continue;
      for (const r of asList(pick(record, c.path))) rows[view].push({ ...extract(r, c.cols), mdtrt_id: enc.mdtrt_id });
    }
  });
  const strip = (cols: RowColumn[]) => cols.map(({ national, kind, values }) => ({ national, kind, values }));
  const requests = assembleRequests(rows, {
    encounters: strip(encCols),
    diagnoses: strip(children.diagnoses?.cols ?? []),
    orders: strip(children.orders?.cols ?? []),
    operations: strip(children.operations?.cols ?? []),
  });
  return { requests, encounters: rows.encounters.length, orders: rows.orders.length, problems };
}
