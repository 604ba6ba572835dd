/**
 * The mapping file: where a hospital's data lives and how its views and columns map onto the
 * contract. JSON or YAML, validated against its JSON Schema (ajv) before any connection is
 * made; the columns themselves are checked against the database when the source opens.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { VIEW_CONTRACT, type ViewKey } from '../contract/view-contract.js';
import { CLIENT_ALIASES, DB_SOURCE_SCHEMA, SOAP_SOURCE_SCHEMA } from './source-config-schema.js';
import type { SoapReplyMapping } from '../soap/reply-mapping.js';

/** Database clients the adapter reads from (knex client names). */
export type DbClient = 'pg' | 'mysql2' | 'mssql' | 'oracledb' | 'better-sqlite3';

/** How one contract view maps onto a hospital view. */
export interface ViewMapping {
  /** The hospital's view (or table) name; defaults to the contract name. */
  name?: string;
  /** Schema (PostgreSQL/SQL Server schema, MySQL database, Oracle owner); defaults to the source's. */
  schema?: string;
  /** National column name → the hospital's column name. Unlisted columns are looked up by their national name. */
  columns?: Record<string, string>;
  /** Code conventions: national column → { hospital value: national value }, e.g. gend: { M: "1", F: "2" }. */
  values?: Record<string, Record<string, string>>;
}

/** A source reading database views. */
export interface DbSourceConfig {
  /** Always "database" (the default when omitted). */
  kind: 'database';
  /** A name for reports, watermarks and logs. */
  name: string;
  /** The database client. */
  client: DbClient;
  /** knex connection: a URL string or the driver's connection object (SQLite: { filename }). */
  connection: string | Record<string, unknown>;
  /** Default schema of every view. */
  schema?: string;
  /** Patients per page (each page reads their encounters, then the children of those). */
  page_size: number;
  /** At most this many encounters per page (fewer patients when some have many), which bounds memory. */
  page_encounters: number;
  /** The views; a key set to `false` means the hospital has no such view (e.g. no operations, no 对照). */
  views: Partial<Record<ViewKey, ViewMapping | false>>;
  /** Entries kept in the 对照 cache. */
  code_cache_size: number;
}

/** A source calling a HIS web service (SOAP). */
export interface SoapSourceConfig {
  /** Always "soap". */
  kind: 'soap';
  /** A name for reports and logs. */
  name: string;
  /** WSDL URL (http://…?wsdl) or file path. */
  wsdl: string;
  /** Operation to call, e.g. GetSettledEncounters. */
  operation: string;
  /** Endpoint overriding the WSDL's service address. */
  endpoint?: string;
  /** Arguments; string values may hold {from}, {to}, {page}, {page_size}, {changed_after}. */
  args: Record<string, unknown>;
  /** Where the data is in the reply and how it maps onto the model. */
  reply: SoapReplyMapping;
  /** Records per page when args use {page}. */
  page_size: number;
  /** Optional 对照 from a database view, as for database sources. */
  code_map?: DbSourceConfig;
}

/** Any source. */
export type SourceConfig = DbSourceConfig | SoapSourceConfig;

/** A problem with the mapping file or the views it names. */
export interface ConfigProblem {
  /** Path in the mapping file, e.g. views.orders.columns.hilist_code. */
  field: string;
  /** What is wrong, in plain words. */
  message: string;
}

/** Result of validating a mapping file. */
export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: ConfigProblem[] };

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_PAGE_ENCOUNTERS = 500;
const DEFAULT_CODE_CACHE = 50_000;
const DEFAULT_SOAP_PAGE_SIZE = 100;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Closest contract column name, for "did you mean" hints on typos. */
function suggest(view: ViewKey, name: string): string {
  let best = '';
  let bestScore = Infinity;
  for (const c of VIEW_CONTRACT[view].columns) {
    const score = editDistance(name, c.name);
    if (score < bestScore) {
      bestScore = score;
      best = c.name;
    }
  }
  return bestScore <= 3 ? `; did you mean ${best}?` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

// One ajv for both schemas: every error (not the first), with the failing schema node at hand
// for its `message`; the annotation keywords are declared so strict mode accepts them.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
ajv.addVocabulary(['message', 'x-contract', 'x-keys']);
ajv.addSchema(DB_SOURCE_SCHEMA);
const validateDbShape = ajv.getSchema(DB_SOURCE_SCHEMA.$id as string)!;
const validateSoapShape = ajv.compile(SOAP_SOURCE_SCHEMA);

type SchemaNode = { message?: string; properties?: Record<string, SchemaNode>; 'x-contract'?: ViewKey; 'x-keys'?: string };

const joinField = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** ajv's errors as one problem per field (the first error found there), in the file's own paths. */
function problemsOf(errors: readonly ErrorObject[]): ConfigProblem[] {
  const byField = new Map<string, string>();
  for (const e of errors) {
    let field = e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .join('.');
    const node = (e.parentSchema ?? {}) as SchemaNode;
    let message: string;
    if (e.keyword === 'required') {
      const key = (e.params as { missingProperty: string }).missingProperty;
      field = joinField(field, key);
      message = node.properties?.[key]?.message ?? 'is required';
    } else if (e.keyword === 'additionalProperties') {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      field = joinField(field, key);
      const view = node['x-contract'];
      const known = Object.keys(node.properties ?? {});
      if (view) message = `${key} is not a column of the ${view} contract${suggest(view, key)}`;
      else if (node['x-keys'] === 'view') message = `unknown view; expected one of ${known.join(', ')}`;
      else message = `unknown key; expected ${known.join(', ')}`;
    } else message = node.message ?? e.message ?? 'is not valid';
    if (!byField.has(field)) byField.set(field, message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** The mapping file's client spelled in lower case, as the schema lists the names. */
function lowerClient(raw: Record<string, unknown>): Record<string, unknown> {
  return typeof raw.client === 'string' ? { ...raw, client: raw.client.toLowerCase() } : raw;
}

function viewsOf(raw: unknown): Partial<Record<ViewKey, ViewMapping | false>> {
  const views: Partial<Record<ViewKey, ViewMapping | false>> = {};
  for (const [key, value] of Object.entries(isObject(raw) ? raw : {})) {
    const view = key as ViewKey;
    if (value === false || value === null) {
      views[view] = false;
      continue;
    }
    if (typeof value === 'string') {
      views[view] = { name: value };
      continue;
    }
    const v = value as { name?: string; schema?: string; columns?: Record<string, string>; values?: Record<string, Record<string, string | number>> };
    const mapping: ViewMapping = {};
    if (v.name !== undefined) mapping.name = v.name;
    if (v.schema !== undefined) mapping.schema = v.schema;
    if (v.columns) mapping.columns = Object.fromEntries(Object.entries(v.columns).map(([national, his]) => [national, his.trim()]));
    if (v.values) {
      mapping.values = Object.fromEntries(Object.entries(v.values).map(([national, table]) => [national, Object.fromEntries(Object.entries(table).map(([k, x]) => [k, String(x)]))]));
    }
    views[view] = mapping;
  }
  return views;
}

/** A database source with its defaults, from a file that passed the schema. */
function dbConfigOf(raw: Record<string, unknown>): DbSourceConfig {
  return {
    kind: 'database',
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'his',
    client: CLIENT_ALIASES[raw.client as keyof typeof CLIENT_ALIASES],
    connection: raw.connection as DbSourceConfig['connection'],
    schema: raw.schema as string | undefined,
    page_size: (raw.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE,
    page_encounters: (raw.page_encounters as number | undefined) ?? DEFAULT_PAGE_ENCOUNTERS,
    views: viewsOf(raw.views),
    code_cache_size: (raw.code_cache_size as number | undefined) ?? DEFAULT_CODE_CACHE,
  };
}

/** A SOAP source with its defaults, from a file that passed the schema. */
function soapConfigOf(raw: Record<string, unknown>): SoapSourceConfig {
  return {
    kind: 'soap',
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'his-soap',
    wsdl: raw.wsdl as string,
    operation: raw.operation as string,
    endpoint: raw.endpoint as string | undefined,
    args: (raw.args as Record<string, unknown> | undefined) ?? {},
    reply: raw.reply as SoapReplyMapping,
    page_size: (raw.page_size as number | undefined) ?? DEFAULT_SOAP_PAGE_SIZE,
    code_map: isObject(raw.code_map) ? dbConfigOf(raw.code_map) : undefined,
  };
}

/**
 * Validates a parsed mapping file (any JSON value) against the mapping file's JSON Schema
 * (`source-config-schema.ts`): every problem is listed with its path, so a hospital fixes its
 * file in one pass instead of one error per start-up.
 */
export function validateSourceConfig(raw: unknown): ConfigResult<SourceConfig> {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '', message: 'the mapping file must hold an object' }] };
  const kind = raw.kind ?? 'database';
  if (kind !== 'database' && kind !== 'soap') return { ok: false, problems: [{ field: 'kind', message: 'must be database or soap' }] };
  const input = kind === 'database' ? lowerClient(raw) : isObject(raw.code_map) ? { ...raw, code_map: lowerClient(raw.code_map) } : raw;
  const validate = kind === 'database' ? validateDbShape : validateSoapShape;
  if (!validate(input)) return { ok: false, problems: problemsOf(validate.errors ?? []) };
  return { ok: true, config: kind === 'database' ? dbConfigOf(input) : soapConfigOf(input) };
}

/** Replaces `${NAME}` in every string of the file with `env[NAME]`, so passwords stay out of it. */
export function interpolateEnv(raw: unknown, env: Record<string, string | undefined>, problems: ConfigProblem[] = [], path = ''): unknown {
  if (typeof raw === 'string') {
    return raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) problems.push({ field: path, message: `environment variable ${name} is not set` });
      return v ?? '';
    });
  }
  if (Array.isArray(raw)) return raw.map((v, i) => interpolateEnv(v, env, problems, `${path}[${i}]`));
  if (isObject(raw)) {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, interpolateEnv(v, env, problems, path ? `${path}.${k}` : k)]));
  }
  return raw;
}
