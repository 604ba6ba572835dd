/**
 * The mapping file: where a hospital's data lives and how its views and columns map onto the
 * contract. JSON or YAML, validated here field by field (the shape) before any connection is
 * made; the columns themselves are checked against the database when the source opens.
 */
import { VIEW_CONTRACT, VIEW_KEYS, contractColumn, type ViewKey } from '../contract/view-contract.js';
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

const CLIENT_ALIASES: Record<string, DbClient> = {
  pg: 'pg', postgres: 'pg', postgresql: 'pg', kingbase: 'pg', opengauss: 'pg',
  mysql: 'mysql2', mysql2: 'mysql2', mariadb: 'mysql2',
  mssql: 'mssql', sqlserver: 'mssql',
  oracle: 'oracledb', oracledb: 'oracledb',
  sqlite: 'better-sqlite3', sqlite3: 'better-sqlite3', 'better-sqlite3': 'better-sqlite3',
};

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_PAGE_ENCOUNTERS = 500;
const DEFAULT_CODE_CACHE = 50_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Closest contract column name, for "did you mean" hints on typos. */
function suggest(view: ViewKey, name: string): string {
  let best = '';
  let bestScore = Infinity;
  for (const c of VIEW_CONTRACT[view].columns) {
    const score = editDistance(name, c.name);
    if (score < bestScore) { bestScore = score; best = c.name; }
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

function validateViews(raw: unknown, problems: ConfigProblem[]): Partial<Record<ViewKey, ViewMapping | false>> {
  const views: Partial<Record<ViewKey, ViewMapping | false>> = {};
  if (raw === undefined) return views;
  if (!isObject(raw)) {
    problems.push({ field: 'views', message: 'must be an object keyed by encounters, diagnoses, orders, operations, code_map' });
    return views;
  }
  for (const [key, value] of Object.entries(raw)) {
    const field = `views.${key}`;
    if (!VIEW_KEYS.includes(key as ViewKey)) {
      problems.push({ field, message: `unknown view; expected one of ${VIEW_KEYS.join(', ')}` });
      continue;
    }
    const view = key as ViewKey;
    if (value === false || value === null) {
      if (view === 'encounters' || view === 'orders') problems.push({ field, message: 'this view is required and cannot be switched off' });
      else views[view] = false;
      continue;
    }
    if (typeof value === 'string') { views[view] = { name: value }; continue; }
    if (!isObject(value)) { problems.push({ field, message: 'must be a view name, an object, or false' }); continue; }
    const mapping: ViewMapping = {};
    if (value.name !== undefined) {
      if (typeof value.name !== 'string' || !value.name) problems.push({ field: `${field}.name`, message: 'must be a non-empty string' });
      else mapping.name = value.name;
    }
    if (value.schema !== undefined) {
      if (typeof value.schema !== 'string') problems.push({ field: `${field}.schema`, message: 'must be a string' });
      else mapping.schema = value.schema;
    }
    if (value.columns !== undefined) {
      if (!isObject(value.columns)) problems.push({ field: `${field}.columns`, message: 'must map national column names to your column names' });
      else {
        mapping.columns = {};
        for (const [national, his] of Object.entries(value.columns)) {
          const colField = `${field}.columns.${national}`;
          if (!contractColumn(view, national)) {
            problems.push({ field: colField, message: `${national} is not a column of the ${view} contract${suggest(view, national)}` });
          } else if (typeof his !== 'string' || !his.trim()) {
            problems.push({ field: colField, message: 'must be the name of a column in your view' });
          } else mapping.columns[national] = his.trim();
        }
      }
    }
    if (value.values !== undefined) {
      if (!isObject(value.values)) problems.push({ field: `${field}.values`, message: 'must map national column names to { your value: national value }' });
      else {
        mapping.values = {};
        for (const [national, table] of Object.entries(value.values)) {
          const valField = `${field}.values.${national}`;
          if (!contractColumn(view, national)) {
            problems.push({ field: valField, message: `${national} is not a column of the ${view} contract${suggest(view, national)}` });
          } else if (!isObject(table) || Object.values(table).some((v) => typeof v !== 'string' && typeof v !== 'number')) {
            problems.push({ field: valField, message: 'must map each of your values to a national value (strings)' });
          } else {
            mapping.values[national] = Object.fromEntries(Object.entries(table).map(([k, v]) => [k, String(v)]));
          }
        }
      }
    }
    for (const extra of Object.keys(value)) {
      if (!['name', 'schema', 'columns', 'values'].includes(extra)) problems.push({ field: `${field}.${extra}`, message: 'unknown key; expected name, schema, columns, values' });
    }
    views[view] = mapping;
  }
  return views;
}

function positiveInt(raw: unknown, field: string, fallback: number, problems: ConfigProblem[]): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    problems.push({ field, message: 'must be a positive integer' });
    return fallback;
  }
  return raw;
}

function validateDb(raw: Record<string, unknown>, problems: ConfigProblem[], prefix = ''): DbSourceConfig {
  const clientRaw = typeof raw.client === 'string' ? CLIENT_ALIASES[raw.client.toLowerCase()] : undefined;
  if (!clientRaw) problems.push({ field: `${prefix}client`, message: `must be one of ${Object.keys(CLIENT_ALIASES).join(', ')}` });
  const connection = raw.connection;
  if (typeof connection !== 'string' && !isObject(connection)) {
    problems.push({ field: `${prefix}connection`, message: 'must be a connection URL or an object (SQLite: { filename })' });
  }
  if (raw.schema !== undefined && typeof raw.schema !== 'string') problems.push({ field: `${prefix}schema`, message: 'must be a string' });
  const viewProblems: ConfigProblem[] = [];
  const views = validateViews(raw.views, viewProblems);
  for (const p of viewProblems) problems.push({ field: `${prefix}${p.field}`, message: p.message });
  return {
    kind: 'database',
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'his',
    client: clientRaw ?? 'pg',
    connection: (connection ?? {}) as DbSourceConfig['connection'],
    schema: typeof raw.schema === 'string' ? raw.schema : undefined,
    page_size: positiveInt(raw.page_size, `${prefix}page_size`, DEFAULT_PAGE_SIZE, problems),
    page_encounters: positiveInt(raw.page_encounters, `${prefix}page_encounters`, DEFAULT_PAGE_ENCOUNTERS, problems),
    views,
    code_cache_size: positiveInt(raw.code_cache_size, `${prefix}code_cache_size`, DEFAULT_CODE_CACHE, problems),
  };
}

function validateSoap(raw: Record<string, unknown>, problems: ConfigProblem[]): SoapSourceConfig {
  for (const key of ['wsdl', 'operation'] as const) {
    if (typeof raw[key] !== 'string' || !raw[key]) problems.push({ field: key, message: 'must be a non-empty string' });
  }
  if (raw.endpoint !== undefined && typeof raw.endpoint !== 'string') problems.push({ field: 'endpoint', message: 'must be a URL' });
  if (raw.args !== undefined && !isObject(raw.args)) problems.push({ field: 'args', message: 'must be an object' });
  const reply = raw.reply;
  if (!isObject(reply)) problems.push({ field: 'reply', message: 'must say where the data is in the reply (path, format, encounters, columns …)' });
  else {
    if (reply.format !== undefined && !['object', 'xml', 'json'].includes(reply.format as string)) {
      problems.push({ field: 'reply.format', message: 'must be object, xml or json' });
    }
    if (typeof reply.encounters !== 'string') problems.push({ field: 'reply.encounters', message: 'must be the path of the encounter records in the payload' });
    for (const part of ['columns', 'orders', 'diagnoses', 'operations'] as const) {
      if (reply[part] !== undefined && !isObject(reply[part])) problems.push({ field: `reply.${part}`, message: 'must be an object' });
    }
    const checkCols = (cols: unknown, view: ViewKey, field: string) => {
      if (!isObject(cols)) return;
      for (const [national, his] of Object.entries(cols)) {
        if (!contractColumn(view, national) && !(view === 'encounters' && national === 'patn_id')) {
          problems.push({ field: `${field}.${national}`, message: `${national} is not a column of the ${view} contract${suggest(view, national)}` });
        } else if (typeof his !== 'string' || !his) problems.push({ field: `${field}.${national}`, message: 'must be the name of a field in the reply' });
      }
    };
    checkCols(reply.columns, 'encounters', 'reply.columns');
    for (const part of ['orders', 'diagnoses', 'operations'] as const) {
      const sub = reply[part];
      if (isObject(sub)) {
        if (typeof sub.path !== 'string') problems.push({ field: `reply.${part}.path`, message: 'must be the path of the records inside an encounter record' });
        checkCols(sub.columns, part, `reply.${part}.columns`);
      }
    }
  }
  let codeMap: DbSourceConfig | undefined;
  if (raw.code_map !== undefined) {
    if (!isObject(raw.code_map)) problems.push({ field: 'code_map', message: 'must be a database source (client, connection, views.code_map)' });
    else codeMap = validateDb(raw.code_map, problems, 'code_map.');
  }
  return {
    kind: 'soap',
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'his-soap',
    wsdl: String(raw.wsdl ?? ''),
    operation: String(raw.operation ?? ''),
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : undefined,
    args: isObject(raw.args) ? raw.args : {},
    reply: (isObject(reply) ? reply : {}) as unknown as SoapReplyMapping,
    page_size: positiveInt(raw.page_size, 'page_size', 100, problems),
    code_map: codeMap,
  };
}

/**
 * Validates a parsed mapping file (any JSON value): every problem is listed with its path,
 * so a hospital fixes its file in one pass instead of one error per start-up.
 */
export function validateSourceConfig(raw: unknown): ConfigResult<SourceConfig> {
  const problems: ConfigProblem[] = [];
  if (!isObject(raw)) return { ok: false, problems: [{ field: '', message: 'the mapping file must hold an object' }] };
  const kind = raw.kind ?? 'database';
  let config: SourceConfig;
  if (kind === 'database') config = validateDb(raw, problems);
  else if (kind === 'soap') config = validateSoap(raw, problems);
  else return { ok: false, problems: [{ field: 'kind', message: 'must be database or soap' }] };
  return problems.length ? { ok: false, problems } : { ok: true, config };
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
