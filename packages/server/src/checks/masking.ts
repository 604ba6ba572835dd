/**
 * De-identification of what is stored and logged: patient ids are masked (first and last
 * characters kept, so a clerk can still match a record against the HIS), names are dropped, and
 * stored requests keep only the national fields (an allow-list, see `deidentify`).
 */
import type { CheckData, ResultDto } from '@preaudit/core-rules';
import { checkDataSchema } from './national-schemas.js';

/** `330102199001011234` → `33**************34`; short ids keep only their first character. */
export function maskId(id: string | undefined | null): string {
  if (id === undefined || id === null) return '';
  const s = String(id);
  if (s.length <= 2) return '*'.repeat(s.length);
  if (s.length <= 6) return s[0] + '*'.repeat(s.length - 1);
  const keep = s.length > 10 ? 2 : 1;
  return s.slice(0, keep) + '*'.repeat(s.length - 2 * keep) + s.slice(-keep);
}

/** Findings as stored: patient ids masked, the patient's name cut out of any text. */
export function maskFindings(results: readonly ResultDto[], names: readonly string[] = []): ResultDto[] {
  return results.map((r) => ({
    ...r,
    patn_id: maskId(r.patn_id),
    vola_cont: scrubNames(r.vola_cont, names),
    vola_evid: scrubNames(r.vola_evid, names),
    judge_result_detail_dtos: r.judge_result_detail_dtos.map((d) => ({ ...d, patn_id: maskId(d.patn_id) })),
  }));
}

/**
 * What of a request is kept, per level: the national fields (from the declarations in
 * core-rules' model/fields.ts, so a field the interface gains is kept without a second list) minus
 * those that name or place a person. Anything else a HIS sends along (`certno`, phone, address,
 * its own extensions) is dropped: an allow-list, because a deny-list misses what nobody foresaw.
 */
const PERSONAL = new Set(['patn_name', 'fsi_his_data_dto', 'drord_dr_name', 'oper_dr_name', 'anst_dr_name', 'wardno', 'bedno']);

interface Level {
  fields: ReadonlySet<string>;
  children: ReadonlyMap<string, Level>;
}

type SchemaNode = { properties?: Record<string, unknown>; items?: unknown };

/** A level of the allow-list from a declared object schema; array properties become child levels. */
function levelOf(schema: SchemaNode): Level {
  const fields = new Set<string>();
  const children = new Map<string, Level>();
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (PERSONAL.has(name)) continue;
    const p = prop as SchemaNode & { type?: unknown };
    if (p.type === 'array' && p.items && typeof p.items === 'object' && (p.items as SchemaNode).properties) children.set(name, levelOf(p.items));
    else fields.add(name);
  }
  return { fields, children };
}

const DATA_LEVEL = levelOf(checkDataSchema);

/** Ids masked wherever they are kept. */
const MASKED = new Set(['patn_id']);

function keep(node: unknown, level: Level, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof node !== 'object' || node === null) return out;
  for (const [key, value] of Object.entries(node)) {
    const child = level.children.get(key);
    if (child) {
      if (Array.isArray(value)) out[key] = value.map((v) => keep(v, child, names));
    } else if (level.fields.has(key) && value !== undefined) {
      out[key] = MASKED.has(key) ? maskId(value as string) : typeof value === 'string' ? scrubNames(value, names) : value;
    }
  }
  return out;
}

/**
 * The request as stored for replay: the national fields only (see PERSONAL), patient ids masked
 * consistently, patient names cut out of any kept text.
 */
export function deidentify(data: CheckData): CheckData {
  return keep(data, DATA_LEVEL, patientNames(data)) as unknown as CheckData;
}

/**
 * `JSON.stringify(deidentify(data))`, written directly as text: the same keys in the same order
 * and the same values, without building the intermediate object tree (this runs on the request
 * path for every stored check, where the tree's allocation and collection cost more than the text).
 */
export function deidentifiedJson(data: CheckData): string {
  return keepJson(data, DATA_LEVEL, patientNames(data));
}

/** How `keepJson` treats a key of a level: its JSON name with the colon, and what it is. */
interface KeyPlan {
  head: string;
  kind: 'field' | 'masked' | 'child';
  child?: Level;
}
const plans = new WeakMap<Level, Map<string, KeyPlan | null>>();

function planOf(level: Level, key: string): KeyPlan | null {
  let byKey = plans.get(level);
  if (!byKey) plans.set(level, (byKey = new Map<string, KeyPlan | null>()));
  let plan = byKey.get(key);
  if (plan === undefined) {
    const child = level.children.get(key);
    plan = child
      ? { head: `${JSON.stringify(key)}:`, kind: 'child', child }
      : level.fields.has(key)
        ? { head: `${JSON.stringify(key)}:`, kind: MASKED.has(key) ? 'masked' : 'field' }
        : null;
    // Only the declared keys are remembered: a HIS's own keys are many and vary.
    if (plan || byKey.size < 1024) byKey.set(key, plan);
  }
  return plan;
}

function keepJson(node: unknown, level: Level, names: readonly string[]): string {
  if (typeof node !== 'object' || node === null) return '{}';
  let out = '';
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    const plan = planOf(level, key);
    if (!plan) continue;
    const value = (node as Record<string, unknown>)[key];
    let text: string | undefined;
    if (plan.kind === 'child') {
      if (!Array.isArray(value)) continue;
      text = '[';
      for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + keepJson(value[i], plan.child!, names);
      text += ']';
    } else if (value === undefined) continue;
    else if (plan.kind === 'masked') text = JSON.stringify(maskId(value as string));
    else if (typeof value === 'string') text = JSON.stringify(names.length === 0 ? value : scrubNames(value, names));
    else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : 'null';
    else {
      text = JSON.stringify(value);
      if (text === undefined) continue;
    }
    out += out === '' ? plan.head + text : `,${plan.head}${text}`;
  }
  return `{${out}}`;
}

/** Names of the patients of a request (to cut them out of texts). */
export function patientNames(data: CheckData): string[] {
  const names: string[] = [];
  for (const p of data.patient_dtos) if (p.patn_name && p.patn_name.length > 1) names.push(p.patn_name);
  return names;
}

function scrubNames(text: string | undefined, names: readonly string[]): string {
  if (!text || names.length === 0) return text ?? '';
  let out = text;
  for (const n of names) if (out.includes(n)) out = out.split(n).join('*'.repeat(n.length));
  return out;
}
