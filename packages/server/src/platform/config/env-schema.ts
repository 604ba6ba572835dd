/**
 * Every environment variable the service reads, declared once: its type, bounds, default and
 * meaning. server.ts validates the environment against it at start (env-schema, ajv) and the
 * README table is generated from it (`npm run env-table -w @preaudit/server`), so the code, the
 * check and the documentation cannot drift apart.
 *
 * Besides JSON Schema, an entry may carry `defaultText` (the default as the table shows it, when
 * it is not a constant), `valueText` (the kind of value in words), `patternText` (its pattern in words), `secret` (its value is never
 * echoed in an error) and `group` (the table's section).
 */

/** One variable. */
export interface EnvVariable {
  type: 'string' | 'integer';
  description: string;
  default?: string | number;
  defaultText?: string;
  enum?: readonly string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  /** The kind of value, in words, for the table (file, folder, URL…), when its type says too little. */
  valueText?: string;
  /** What `pattern` asks for, in words (error messages). */
  patternText?: string;
  secret?: boolean;
  group: 'service' | 'storage' | 'keys' | 'tls' | 'logs' | 'rulebooks' | 'audits';
}

/** Sizes in bytes, or with a k, m or g suffix (kibi-, mebi-, gibibytes). */
const SIZE = '^[0-9]+[kKmMgG]?$';
const SIZE_TEXT = 'a size in bytes, or a number with k, m or g (4m)';

/** The variables, in the order of the README table. */
export const ENV_VARIABLES = {
  PORT: { group: 'service', type: 'integer', minimum: 0, maximum: 65535, default: 8080, description: 'listening port (`0` = any free port)' },
  HOST: {
    group: 'service',
    valueText: 'address',
    type: 'string',
    minLength: 1,
    defaultText: '`0.0.0.0` with keys, `127.0.0.1` without',
    description: 'listening address; without API keys anything but loopback is ignored',
  },
  PA_BODY_LIMIT: { group: 'service', type: 'string', pattern: SIZE, patternText: SIZE_TEXT, default: '4m', description: 'largest request body (bytes, or `k`/`m`/`g`); larger → 413' },
  PA_SHUTDOWN_GRACE_MS: { group: 'service', type: 'integer', minimum: 0, default: 10000, description: 'longest graceful close (ms) before the process is ended' },
  PA_MAX_ORDERS: {
    group: 'service',
    type: 'integer',
    minimum: 1,
    default: 1000,
    description:
      'most orders (`fsi_order_dtos` of every encounter, history included) in one check; more → `infcode: -1` (national routes) or 400 (`/v1/check`, CDS Hooks) naming the order list',
  },
  PA_MAX_INVOLVED: {
    group: 'service',
    type: 'integer',
    minimum: 0,
    default: 20,
    description: 'most 涉及项 (involved orders) listed per finding; `vola_evid` counts the rest (`另有N项涉及项未列出`)',
  },
  PA_MAX_FINDINGS_PER_RULE: {
    group: 'service',
    type: 'integer',
    minimum: 1,
    default: 200,
    description: 'most findings per rule in one check; `warn_msg` (and `truncated` on `/v1/check`) names the rules cut and how many findings were left out',
  },
  PA_TRUST_PROXY: {
    group: 'service',
    valueText: '`true`, hop count or addresses',
    type: 'string',
    defaultText: 'off',
    description:
      'behind a reverse proxy (nginx): `true` (trust every hop), a hop count (`1`), or comma-separated proxy addresses/CIDRs (`127.0.0.1,10.0.0.0/8`); then `X-Forwarded-Proto/Host/For` give the public address (WSDL location, client IP). Off: those headers are ignored',
  },
  PA_PUBLIC_HOSTS: {
    group: 'service',
    valueText: 'host names',
    type: 'string',
    description:
      "comma-separated names the service is reached by besides loopback (`ybsh.hospital.example`): the WSDL's address uses them (with `PA_TRUST_PROXY`, the forwarded one), and without API keys requests addressed to them are accepted; any other Host is not trusted",
  },
  PA_DATA_DIR: {
    group: 'storage',
    valueText: 'folder',
    type: 'string',
    minLength: 1,
    default: './data',
    description: 'data folder (created if missing): the SQLite database when `DATABASE_URL` is unset, and with a database server the quarantine file and the audit anchor',
  },
  DATABASE_URL: {
    group: 'storage',
    valueText: 'URL or file path',
    type: 'string',
    minLength: 1,
    secret: true,
    defaultText: '`$PA_DATA_DIR/preaudit.sqlite`',
    description:
      '`postgres://user:password@host:5432/db` → PostgreSQL; `mysql://user:password@host:3306/db` (or `mariadb://`) → MySQL/MariaDB; a file path or `sqlite:<path>` → SQLite. Any other scheme stops the start',
  },
  DATABASE_SCHEMA: {
    group: 'storage',
    type: 'string',
    pattern: '^[A-Za-z_][A-Za-z0-9_$]{0,62}$',
    patternText: 'a plain identifier (letters, digits, _; at most 63)',
    description: "PostgreSQL: the schema to work in; MySQL/MariaDB: the database (instead of the URL's). Created if missing",
  },
  PA_FLUSH_INTERVAL_MS: {
    group: 'storage',
    type: 'integer',
    minimum: 1,
    maximum: 60000,
    default: 100,
    description: 'longest wait before answered checks and audit rows are written (ms); a `kill -9` loses what was answered within about this plus two batch writes (README, Records)',
  },
  PA_RULEBOOK_SYNC_MS: {
    group: 'storage',
    type: 'integer',
    minimum: 100,
    maximum: 600000,
    default: 2000,
    description:
      'several instances on one database: how often each re-reads the rulebook versions (ms). PostgreSQL also notifies at once (LISTEN/NOTIFY); this poll bounds how long two instances can answer with different versions (docs/scale-out.md)',
  },
  PA_CHECK_QUEUE_MAX_BYTES: {
    group: 'storage',
    type: 'string',
    pattern: SIZE,
    patternText: SIZE_TEXT,
    default: '64m',
    description: 'check records allowed to wait for storage (bytes, or `k`/`m`/`g`); beyond it the oldest go to the quarantine file, counted in `/metrics` (checks are still answered)',
  },
  PA_AUDIT_QUEUE_MAX_BYTES: {
    group: 'storage',
    type: 'string',
    pattern: SIZE,
    patternText: SIZE_TEXT,
    default: '16m',
    description: 'audit rows allowed to wait for storage (bytes, or `k`/`m`/`g`); beyond it the oldest go to the quarantine file, counted in `/metrics`',
  },
  PA_API_KEYS: {
    group: 'keys',
    valueText: '`key:role` list',
    type: 'string',
    secret: true,
    description: '`key:role` pairs, comma separated: `k1:doctor-station,k2:insurance-office,k3:bureau,k4:admin`',
  },
  PA_API_KEYS_FILE: {
    group: 'keys',
    valueText: 'file',
    type: 'string',
    minLength: 1,
    description: 'a file of `key:role` lines (`#` comments) or a JSON object `{ "key": "role" }`; merged with `PA_API_KEYS`',
  },
  PA_TLS_CERT: { group: 'tls', valueText: 'file', type: 'string', minLength: 1, description: 'PEM certificate (chain) file: the service itself serves https (set with `PA_TLS_KEY`)' },
  PA_TLS_KEY: { group: 'tls', valueText: 'file', type: 'string', minLength: 1, description: 'PEM private key file of `PA_TLS_CERT` (both or neither)' },
  LOG_LEVEL: {
    group: 'logs',
    type: 'string',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'pino level; per-request lines are at `debug`',
  },
  PA_LOG_FILE: {
    group: 'logs',
    valueText: 'file',
    type: 'string',
    minLength: 1,
    description: 'also write the log to this file, rotated (numbered files beside it: `preaudit.1.log`, `preaudit.2.log`, …; the highest is the current one); stdout keeps the log too',
  },
  PA_LOG_FILE_SIZE: {
    group: 'logs',
    type: 'string',
    pattern: SIZE,
    patternText: SIZE_TEXT,
    default: '10m',
    description: 'rotate the log file when it reaches this size (bytes, or `k`/`m`/`g`)',
  },
  PA_LOG_FILE_FREQUENCY: {
    group: 'logs',
    type: 'string',
    enum: ['daily', 'hourly', 'none'],
    default: 'daily',
    description: 'rotate the log file also every day / hour (or `none`: by size only)',
  },
  PA_LOG_FILE_COUNT: { group: 'logs', type: 'integer', minimum: 1, maximum: 1000, default: 14, description: 'rotated log files kept besides the current one' },
  PA_RULEBOOK: {
    group: 'rulebooks',
    valueText: 'folder',
    type: 'string',
    minLength: 1,
    defaultText: 'the bundled national rulebook',
    description: 'folder of the rulebook to activate at start',
  },
  PA_BUREAU_KEYS_FILE: {
    group: 'rulebooks',
    valueText: 'file',
    type: 'string',
    minLength: 1,
    description: 'trusted bureau public keys (Ed25519, PEM, one or more) for signed rulebooks; without it every upload is refused (RULEBOOKS.md)',
  },
  PA_RULEBOOK_FEED: {
    group: 'rulebooks',
    valueText: 'URL or folder',
    type: 'string',
    minLength: 1,
    description: "pull mode: the bureau's feed (`https://…` URL or a folder) polled for signed bundles",
  },
  PA_RULEBOOK_FEED_INTERVAL_S: { group: 'rulebooks', type: 'integer', minimum: 1, default: 300, description: 'poll interval of the feed, seconds' },
  PA_RULEBOOK_FEED_ORIGINS: {
    group: 'rulebooks',
    valueText: 'origin list',
    type: 'string',
    pattern: '^https?://[^,\\s/]+(,\\s*https?://[^,\\s/]+)*$',
    patternText: 'comma-separated origins (`https://host[:port]`)',
    description: "pull mode: origins besides the feed's own that bundle URLs in the feed (and redirects) may point to, e.g. a CDN `https://cdn.ybj.example`; default none",
  },
  PA_AUDIT_SOURCES: {
    group: 'audits',
    valueText: 'folder',
    type: 'string',
    minLength: 1,
    description:
      'folder of HIS mapping files (`*.yaml`, `*.yml`, `*.json`), one batch-audit source per file; a `${NAME}` in them is read from the environment variable NAME (only the variables they name are passed on; read at start)',
  },
  PA_AUDIT_JOB_LEASE_MS: {
    group: 'audits',
    type: 'integer',
    minimum: 200,
    maximum: 3600000,
    default: 60000,
    description: 'how long a runner’s claim on a batch audit lasts without a committed page (ms); a worker killed mid-job is replaced after about this long',
  },
  PA_AUDIT_JOBS_RUN: {
    group: 'audits',
    type: 'string',
    enum: ['true', 'false'],
    default: 'true',
    description:
      '`false`: this service instance accepts and reports batch audits but runs none; `preaudit worker` processes (any number, on any machine, same database) run them (docs/scale-out.md)',
  },
} as const satisfies Record<string, EnvVariable>;

/** A variable's name. */
export type EnvName = keyof typeof ENV_VARIABLES;

/** The JSON Schema handed to env-schema (only standard keywords; defaults applied by ajv). */
export function envJsonSchema(): { type: 'object'; properties: Record<string, object> } {
  const properties: Record<string, object> = {};
  for (const [name, v] of Object.entries(ENV_VARIABLES) as Array<[string, EnvVariable]>) {
    const { group: _g, defaultText: _d, secret: _s, patternText: _p, valueText: _v, description, ...schema } = v;
    properties[name] = { ...schema, description };
  }
  return { type: 'object', properties };
}
