/**
 * The mapping file's shape as JSON Schema, derived from the view contract (each view's
 * `columns` and `values` accept exactly the contract's national names). ajv checks a file
 * against it; `source-config.ts` turns ajv's errors into one problem per field, in the words
 * a hospital's DBA reads. `message` on a schema node is that node's problem text (an annotation
 * keyword registered with ajv); nodes without one fall back to ajv's own message.
 */
import { VIEW_CONTRACT, VIEW_KEYS, type ViewKey } from '../contract/view-contract.js';

/** Client names a mapping file may use, lower case, and the knex client each means. */
export const CLIENT_ALIASES = {
  pg: 'pg',
  postgres: 'pg',
  postgresql: 'pg',
  kingbase: 'pg',
  opengauss: 'pg',
  mysql: 'mysql2',
  mysql2: 'mysql2',
  mariadb: 'mysql2',
  mssql: 'mssql',
  sqlserver: 'mssql',
  oracle: 'oracledb',
  oracledb: 'oracledb',
  sqlite: 'better-sqlite3',
  sqlite3: 'better-sqlite3',
  'better-sqlite3': 'better-sqlite3',
} as const;

type Schema = Record<string, unknown>;

const positiveInt: Schema = { type: 'integer', minimum: 1, message: 'must be a positive integer' };

/** National column → a name in the hospital's view (or reply), for one contract view. */
function columnNames(view: ViewKey, what: string): Schema {
  const name: Schema = { type: 'string', pattern: '\\S', message: `must be the name of ${what}` };
  return {
    type: 'object',
    message: 'must map national column names to your column names',
    'x-contract': view,
    properties: Object.fromEntries(VIEW_CONTRACT[view].columns.map((c) => [c.name, name])),
    additionalProperties: false,
  };
}

/** National column → { hospital value: national value }, for one contract view. */
function codeConventions(view: ViewKey): Schema {
  const table: Schema = {
    type: 'object',
    message: 'must map each of your values to a national value (strings)',
    additionalProperties: { type: ['string', 'number'], message: 'must map each of your values to a national value (strings)' },
  };
  return {
    type: 'object',
    message: 'must map national column names to { your value: national value }',
    'x-contract': view,
    properties: Object.fromEntries(VIEW_CONTRACT[view].columns.map((c) => [c.name, table])),
    additionalProperties: false,
  };
}

/** One view's mapping: a view name, an object, or (optional views only) false. */
function viewMapping(view: ViewKey, required: boolean): Schema {
  return {
    type: required ? ['string', 'object'] : ['string', 'object', 'boolean', 'null'],
    ...(required ? {} : { not: { const: true } }),
    message: required ? 'this view is required and cannot be switched off; give a view name or an object' : 'must be a view name, an object, or false',
    minLength: 1,
    properties: {
      name: { type: 'string', minLength: 1, message: 'must be a non-empty string' },
      schema: { type: 'string', message: 'must be a string' },
      columns: columnNames(view, 'a column in your view'),
      values: codeConventions(view),
    },
    additionalProperties: false,
  };
}

/** A database source (also the `code_map` of a SOAP source). */
export const DB_SOURCE_SCHEMA: Schema = {
  $id: 'preaudit:db-source',
  type: 'object',
  message: 'must be a database source (client, connection, views)',
  required: ['client', 'connection'],
  properties: {
    kind: { const: 'database' },
    name: { type: 'string', message: 'must be a string' },
    client: { enum: Object.keys(CLIENT_ALIASES), message: `must be one of ${Object.keys(CLIENT_ALIASES).join(', ')}` },
    connection: { type: ['string', 'object'], message: 'must be a connection URL or an object (SQLite: { filename })' },
    schema: { type: 'string', message: 'must be a string' },
    page_size: positiveInt,
    page_encounters: positiveInt,
    code_cache_size: positiveInt,
    views: {
      type: 'object',
      message: `must be an object keyed by ${VIEW_KEYS.join(', ')}`,
      'x-keys': 'view',
      properties: Object.fromEntries(VIEW_KEYS.map((k) => [k, viewMapping(k, k === 'encounters' || k === 'orders')])),
      additionalProperties: false,
    },
  },
};

const child = (view: ViewKey): Schema => ({
  type: 'object',
  message: 'must be an object',
  required: ['path'],
  properties: {
    path: { type: 'string', message: 'must be the path of the records inside an encounter record' },
    columns: columnNames(view, 'a field in the reply'),
  },
});

/** A source calling a HIS web service. */
export const SOAP_SOURCE_SCHEMA: Schema = {
  $id: 'preaudit:soap-source',
  type: 'object',
  required: ['wsdl', 'operation', 'reply'],
  properties: {
    kind: { const: 'soap' },
    name: { type: 'string', message: 'must be a string' },
    wsdl: { type: 'string', minLength: 1, message: 'must be a non-empty string' },
    operation: { type: 'string', minLength: 1, message: 'must be a non-empty string' },
    endpoint: { type: 'string', message: 'must be a URL' },
    args: { type: 'object', message: 'must be an object' },
    page_size: positiveInt,
    reply: {
      type: 'object',
      message: 'must say where the data is in the reply (path, format, encounters, columns …)',
      required: ['encounters'],
      properties: {
        path: { type: 'string', message: 'must be a path in the result' },
        format: { enum: ['object', 'xml', 'json'], message: 'must be object, xml or json' },
        encounters: { type: 'string', message: 'must be the path of the encounter records in the payload' },
        total: { type: 'string', message: 'must be a path in the payload' },
        status: {
          type: 'object',
          message: 'must be { path, ok, message? }',
          required: ['path', 'ok'],
          properties: { path: { type: 'string' }, ok: { type: 'string' }, message: { type: 'string' } },
        },
        columns: columnNames('encounters', 'a field in the reply'),
        orders: child('orders'),
        diagnoses: child('diagnoses'),
        operations: child('operations'),
        values: {
          type: 'object',
          message: 'must map national column names to { your value: national value }',
          additionalProperties: { type: 'object', message: 'must map each of your values to a national value (strings)', additionalProperties: { type: ['string', 'number'] } },
        },
      },
    },
    code_map: { $ref: 'preaudit:db-source' },
  },
};
