import type { CheckData } from './request.js';
import { parseDateTime } from './dates.js';
import { fieldsOf, listsOf, requiredAt, type FieldKind, type FieldLevel } from './fields.js';

/** A problem with one field of the input, named by its path. */
export interface FieldError {
  /** Path of the field, e.g. patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[2].cnt. */
  field: string;
  /** What is wrong with it. */
  message: string;
}

/** Result of normalising input: the clean value or every problem found. */
export type Normalized<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** What a node may hold. Looked up by keys from the input, so Maps: `constructor` or `__proto__` must find nothing. */
interface Shape {
  fields: ReadonlyMap<string, FieldKind>;
  required: string[];
  children: ReadonlyMap<string, Shape>;
}

/** The shape of one level, from the national field table (fields.ts). */
function shapeOf(level: FieldLevel): Shape {
  return {
    fields: new Map(fieldsOf(level).map((f) => [f.name, f.kind])),
    required: requiredAt(level),
    children: new Map(listsOf(level).map((l) => [l.name, shapeOf(l.child)])),
  };
}

const DATA = shapeOf('data');

const snakeCache = new Map<string, string>();
/** patientDtos → patient_dtos, currDrordFlag → curr_drord_flag; snake_case keys pass unchanged. */
export function snakeKey(key: string): string {
  let v = snakeCache.get(key);
  if (v === undefined) {
    v = /[A-Z]/.test(key) ? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : key;
    if (snakeCache.size < 10_000) snakeCache.set(key, v);
  }
  return v;
}

/** NUL, and halves of UTF-16 surrogate pairs without their other half (JSON's `\\ud800` escape makes them). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this detects (PostgreSQL text cannot store it)
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a text value cannot be taken as is, or undefined when it can. NUL is refused by
 * PostgreSQL text columns (one such value used to stop every later write) and is never part of
 * a code, name or reference; a lone surrogate has no UTF-8 form, so it would be stored as
 * something other than what was hashed and checked. Every string read from a request into the
 * model passes here.
 */
export function textProblem(value: string): string | undefined {
  if (!UNSTORABLE.test(value)) return undefined;
  return value.includes('\u0000') ? 'must not contain a NUL character (\\u0000)' : 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
}

/**
 * curr_drord_flag values, settled in DOMAIN.md: 1, "1", true current; 0, "0", false history.
 * Missing, null and "" never reach here (they mean current: most HIS send no flag when checking
 * one visit). Anything else ("2", "Y", "true") is refused rather than guessed, since reading a
 * history order as current makes it a 违规项 and reading a current one as history hides it.
 */
function currentFlag(value: unknown): '1' | '0' | undefined {
  if (value === 1 || value === '1' || value === true) return '1';
  if (value === 0 || value === '0' || value === false) return '0';
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function normalizeNode(raw: unknown, shape: Shape, path: string, errors: FieldError[]): Record<string, unknown> | undefined {
  if (!isPlainObject(raw)) {
    errors.push({ field: path, message: 'must be an object' });
    return undefined;
  }
  // Keys come from the input: an own `__proto__` (JSON.parse makes one) must stay a plain field, not a prototype.
  const out = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(raw);
  for (let k = 0; k < keys.length; k++) {
    const rawKey = keys[k];
    const key = snakeKey(rawKey);
    const value = raw[rawKey];
    const child = shape.children.get(key);
    if (child) {
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) {
        errors.push({ field: join(path, key), message: 'must be an array' });
        continue;
      }
      const list: unknown[] = new Array(value.length);
      const at = join(path, key);
      for (let i = 0; i < value.length; i++) list[i] = normalizeNode(value[i], child, `${at}[${i}]`, errors);
      out[key] = list;
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    const kind = shape.fields.get(key) ?? 'string';
    switch (kind) {
      case 'number': {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
        if (!Number.isFinite(n)) errors.push({ field: join(path, key), message: `must be a number, got ${JSON.stringify(value)}` });
        else out[key] = n;
        break;
      }
      case 'date': {
        if (typeof value !== 'string' || Number.isNaN(parseDateTime(value))) {
          errors.push({ field: join(path, key), message: `must be a date yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, got ${JSON.stringify(value)}` });
        } else out[key] = value;
        break;
      }
      case 'list':
      case 'any':
        out[key] = value;
        break;
      case 'current-flag': {
        const flag = currentFlag(value);
        if (flag === undefined) errors.push({ field: join(path, key), message: `must be 1 (current order) or 0 (history), got ${JSON.stringify(value)}` });
        else out[key] = flag;
        break;
      }
      default:
        if (typeof value === 'string') {
          const problem = textProblem(value);
          if (problem) errors.push({ field: join(path, key), message: problem });
          else out[key] = value;
        } else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
        else errors.push({ field: join(path, key), message: 'must be a string' });
    }
  }
  for (const req of shape.required) {
    if (out[req] !== undefined) continue;
    const field = join(path, req);
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: 'is required' });
  }
  return out;
}

/**
 * Coerces a raw 3101/3102 `input.data` as HIS software sends it (numbers as strings, legacy
 * 3660/3661 camelCase keys, dates with or without time) into `CheckData`, or names every bad field.
 * The input is not modified.
 */
export function normalizeCheckData(raw: unknown): Normalized<CheckData> {
  const errors: FieldError[] = [];
  const out = normalizeNode(raw, DATA, '', errors);
  if (errors.length > 0 || !out) return { ok: false, errors };
  return { ok: true, value: out as unknown as CheckData };
}
