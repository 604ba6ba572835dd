/**
 * The process: the only module that reads the environment. Validates it against the declared
 * schema (config/env-schema.ts: every variable, its default and meaning; the README table is
 * generated from it), builds the app, listens (https with PA_TLS_CERT/PA_TLS_KEY), and on
 * SIGTERM/SIGINT closes gracefully (stops accepting, lets in-flight requests finish, flushes
 * pending check and audit records, closes storage).
 * A bad setting throws a ConfigError naming the variable; start.ts prints it as one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import envSchema from 'env-schema';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, ROLES, type Role } from './options.js';
import { defaultDatabaseFile, parseDatabaseUrl } from './platform/storage/connect.js';
import { ConfigError } from './platform/config/config-error.js';
import { ENV_VARIABLES, envJsonSchema, type EnvName, type EnvVariable } from './platform/config/env-schema.js';
import { logOptions } from './platform/config/log-options.js';
import { parseSize } from './platform/config/size.js';
import { parseTrustProxy } from './platform/config/trust-proxy.js';
import { pickVariables, referencedVariables } from './audit-jobs/source-variables.js';

/** Signals that close the service gracefully; handled here so that a duplicate is not fatal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** A repeat of the closing signal within this many ms is the same stop request delivered twice. */
const DUPLICATE_SIGNAL_MS = 2000;

/** What the environment configures. */
export interface ServerConfig {
  port: number;
  host: string;
  /** true when HOST asked for more than loopback but no keys are configured. */
  hostRestricted: boolean;
  graceMs: number;
  /** The data folder (PA_DATA_DIR, absolute); created at start. */
  dataDir: string;
  app: AppOptions;
}

/**
 * Parses `key:role` pairs separated by commas, semicolons or new lines; `#` starts a comment; or
 * a JSON object `{ "key": "role" }`. Errors name `source` and the entry's number, never any
 * part of a key.
 */
export function parseApiKeys(text: string, source: string): Record<string, Role> {
  const keys: Record<string, Role> = {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // JSON.parse quotes the text around the fault: the key itself.
      throw new ConfigError(source, 'not valid JSON (expected { "key": "role", … })');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(source, 'expected a JSON object { "key": "role", … }');
    Object.entries(parsed as Record<string, unknown>).forEach(([key, role], i) => {
      keys[key] = checkRole(role, source, i + 1);
    });
    return keys;
  }
  let n = 0;
  for (const raw of trimmed.split(/[,;\n]/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    n++;
    const m = /^(\S+?)\s*[:=\s]\s*(\S+)$/.exec(line);
    if (!m) throw new ConfigError(source, `entry ${n}: expected key:role`);
    keys[m[1]] = checkRole(m[2], source, n);
  }
  return keys;
}

function checkRole(role: unknown, source: string, n: number): Role {
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    const shown = typeof role === 'string' ? `"${role.slice(0, 40)}"` : typeof role;
    throw new ConfigError(source, `entry ${n}: unknown role ${shown} (expected ${ROLES.join(', ')})`);
  }
  return role as Role;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The environment validated against the schema, defaults applied (empty variables count as unset). */
type Settings = { [K in EnvName]: (typeof ENV_VARIABLES)[K] extends { type: 'integer' } ? number : string } & Record<string, unknown>;

function validate(env: NodeJS.ProcessEnv): Settings {
  const data: Record<string, string> = {};
  for (const name of Object.keys(ENV_VARIABLES)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') data[name] = v.trim();
  }
  try {
    return envSchema<Settings>({ schema: envJsonSchema(), data, env: false });
  } catch (err) {
    const first = (err as { errors?: Array<{ instancePath: string; keyword: string; message?: string }> }).errors?.[0];
    if (!first) throw err;
    const name = first.instancePath.replace(/^\//, '');
    const variable = ENV_VARIABLES[name as EnvName] as EnvVariable | undefined;
    let problem = first.message ?? 'invalid';
    if (first.keyword === 'type' && variable?.type === 'integer') problem = 'not a whole number';
    if (first.keyword === 'enum' && variable?.enum) problem = `must be one of ${variable.enum.join(', ')}`;
    if (first.keyword === 'pattern' && variable?.patternText) problem = `must be ${variable.patternText}`;
    if (first.keyword === 'minimum' || first.keyword === 'maximum') {
      problem = variable?.maximum === undefined ? `must be at least ${variable?.minimum}` : `out of range (${variable.minimum} to ${variable.maximum})`;
    }
    const got = variable?.secret ? '' : `, got "${String(data[name]).slice(0, 80)}"`;
    throw new ConfigError(name, `${problem}${got}`);
  }
}

/** Reads a file a variable names; unreadable → ConfigError naming the variable and the reason. */
function readSettingFile(variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a folder, not a file' : (e.code ?? e.message);
    throw new ConfigError(variable, `cannot read ${file}: ${why}`);
  }
}

/** Checks that a variable names an existing folder. */
function checkFolder(variable: string, dir: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ConfigError(variable, `no such folder: ${dir}`);
  }
  if (!stat.isDirectory()) throw new ConfigError(variable, `not a folder: ${dir}`);
  return dir;
}

/** Turns environment variables into the server's configuration; throws a ConfigError naming the first bad variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const s = validate(env);

  const apiKeys: Record<string, Role> = {};
  if (s.PA_API_KEYS_FILE) Object.assign(apiKeys, parseApiKeys(readSettingFile('PA_API_KEYS_FILE', s.PA_API_KEYS_FILE), 'PA_API_KEYS_FILE'));
  if (s.PA_API_KEYS) Object.assign(apiKeys, parseApiKeys(s.PA_API_KEYS, 'PA_API_KEYS'));
  const authEnabled = Object.keys(apiKeys).length > 0;
  const wantedHost = s.HOST || (authEnabled ? '0.0.0.0' : '127.0.0.1');
  const host = authEnabled || LOOPBACK.has(wantedHost) ? wantedHost : '127.0.0.1';

  const dataDir = path.resolve(s.PA_DATA_DIR);
  const databaseUrl = s.DATABASE_URL || defaultDatabaseFile(dataDir);
  let dialect: string;
  try {
    dialect = parseDatabaseUrl(databaseUrl).dialect;
  } catch (err) {
    throw new ConfigError('DATABASE_URL', (err as Error).message);
  }

  if (!!s.PA_TLS_CERT !== !!s.PA_TLS_KEY) throw new ConfigError(s.PA_TLS_CERT ? 'PA_TLS_KEY' : 'PA_TLS_CERT', 'set both PA_TLS_CERT and PA_TLS_KEY, or neither');
  const tls = s.PA_TLS_CERT ? { cert: readSettingFile('PA_TLS_CERT', s.PA_TLS_CERT), key: readSettingFile('PA_TLS_KEY', s.PA_TLS_KEY) } : undefined;
  if (tls && !/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(tls.cert)) throw new ConfigError('PA_TLS_CERT', `no PEM certificate in ${s.PA_TLS_CERT}`);
  if (tls && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(tls.key)) throw new ConfigError('PA_TLS_KEY', `no PEM private key in ${s.PA_TLS_KEY}`);

  let trustProxy: boolean | number | string[] | undefined;
  if (s.PA_TRUST_PROXY) {
    try {
      trustProxy = parseTrustProxy(s.PA_TRUST_PROXY);
    } catch (err) {
      throw new ConfigError('PA_TRUST_PROXY', (err as Error).message);
    }
  }

  const trustedKeys = s.PA_BUREAU_KEYS_FILE ? readSettingFile('PA_BUREAU_KEYS_FILE', s.PA_BUREAU_KEYS_FILE) : undefined;
  if (trustedKeys !== undefined && !/-----BEGIN PUBLIC KEY-----/.test(trustedKeys)) throw new ConfigError('PA_BUREAU_KEYS_FILE', `no PEM public key in ${s.PA_BUREAU_KEYS_FILE}`);
  if (s.PA_RULEBOOK) checkFolder('PA_RULEBOOK', s.PA_RULEBOOK);
  if (s.PA_RULEBOOK_FEED && !/^https?:\/\//i.test(s.PA_RULEBOOK_FEED)) checkFolder('PA_RULEBOOK_FEED', s.PA_RULEBOOK_FEED);

  let auditJobs: AppOptions['auditJobs'];
  if (s.PA_AUDIT_SOURCES) {
    checkFolder('PA_AUDIT_SOURCES', s.PA_AUDIT_SOURCES);
    auditJobs = { sourcesDir: s.PA_AUDIT_SOURCES, env: pickVariables(env, referencedVariables(s.PA_AUDIT_SOURCES)) };
  }
  if (s.PA_AUDIT_JOBS_RUN === 'false') auditJobs = { ...auditJobs, run: false };
  if (s.PA_AUDIT_JOB_LEASE_MS !== 60000) auditJobs = { ...auditJobs, leaseMs: s.PA_AUDIT_JOB_LEASE_MS };

  return {
    port: s.PORT,
    host,
    hostRestricted: host !== wantedHost,
    graceMs: s.PA_SHUTDOWN_GRACE_MS,
    dataDir,
    app: {
      databaseUrl,
      databaseSchema: s.DATABASE_SCHEMA || undefined,
      // With a database server the service's other data files live in the data folder, named as
      // beside the default SQLite file; with SQLite they are beside its file (the default).
      ...(dialect === 'sqlite' ? {} : { quarantineFile: path.join(dataDir, 'preaudit.quarantine.jsonl'), auditAnchorFile: path.join(dataDir, 'preaudit.audit-head.json') }),
      rulebookDir: s.PA_RULEBOOK || undefined,
      trustedKeys: trustedKeys !== undefined ? [trustedKeys] : undefined,
      rulebookFeed: s.PA_RULEBOOK_FEED
        ? {
            source: s.PA_RULEBOOK_FEED,
            intervalMs: s.PA_RULEBOOK_FEED_INTERVAL_S * 1000,
            ...(s.PA_RULEBOOK_FEED_ORIGINS ? { allowedOrigins: s.PA_RULEBOOK_FEED_ORIGINS.split(',').map((o) => o.trim()) } : {}),
          }
        : undefined,
      apiKeys,
      auditJobs,
      bodyLimit: parseSize(s.PA_BODY_LIMIT),
      flushIntervalMs: s.PA_FLUSH_INTERVAL_MS,
      rulebookSyncMs: s.PA_RULEBOOK_SYNC_MS,
      checkQueueMaxBytes: parseSize(s.PA_CHECK_QUEUE_MAX_BYTES),
      auditQueueMaxBytes: parseSize(s.PA_AUDIT_QUEUE_MAX_BYTES),
      checkLimits: { maxOrders: s.PA_MAX_ORDERS, maxInvolved: s.PA_MAX_INVOLVED, maxFindingsPerRule: s.PA_MAX_FINDINGS_PER_RULE },
      tls,
      trustProxy,
      publicHosts: s.PA_PUBLIC_HOSTS
        ? s.PA_PUBLIC_HOSTS.split(',')
            .map((h) => h.trim())
            .filter(Boolean)
        : undefined,
      logger: logOptions({
        level: s.LOG_LEVEL,
        file: s.PA_LOG_FILE || undefined,
        sizeBytes: parseSize(s.PA_LOG_FILE_SIZE) ?? 10 * 1024 * 1024,
        frequency: s.PA_LOG_FILE_FREQUENCY as 'daily' | 'hourly' | 'none',
        count: s.PA_LOG_FILE_COUNT,
      }),
    },
  };
}

/**
 * Starts the service; resolves with the app once listening. `worker`: `preaudit worker`, the same
 * process without the HTTP port: it runs the batch audits (and schedules) of the shared database.
 */
export async function main(env: NodeJS.ProcessEnv = process.env, opts: { worker?: boolean } = {}): Promise<FastifyInstance> {
  const config = configFromEnv(env);
  if (opts.worker) config.app.auditJobs = { ...config.app.auditJobs, run: true };
  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
  } catch (err) {
    throw new ConfigError('PA_DATA_DIR', `cannot create ${config.dataDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // Loaded after the settings are checked: a bad one is reported at once, not after loading every plugin.
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config.app);
  if (!app.config.authEnabled) {
    app.log.warn(
      config.hostRestricted
        ? `no API keys configured (PA_API_KEYS / PA_API_KEYS_FILE): HOST=${env.HOST} ignored, listening on loopback ${config.host} only`
        : `no API keys configured (PA_API_KEYS / PA_API_KEYS_FILE): authentication is off, listening on loopback ${config.host} only`,
    );
  }
  let closingSignal: { signal: NodeJS.Signals; at: number } | undefined;
  const grace = closeWithGrace({ delay: config.graceMs, skip: [...STOP_SIGNALS] }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal: signal ?? closingSignal?.signal }, 'closing: finishing in-flight requests, flushing records');
    await app.close();
    app.log.info('closed');
  });
  // A signal sent to a process group (Ctrl+C, systemd, `npm start`) reaches node twice: directly and
  // forwarded by npm. close-with-grace exits at once on a second signal, dropping what is queued, so
  // the same signal repeated within DUPLICATE_SIGNAL_MS is ignored; a later one still forces the exit.
  const onStopSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (!closingSignal) {
      closingSignal = { signal, at: now };
      void grace.close();
    } else if (signal !== closingSignal.signal || now - closingSignal.at > DUPLICATE_SIGNAL_MS) {
      app.log.error({ signal }, 'second signal while closing, exiting');
      process.exit(1);
    }
  };
  for (const s of STOP_SIGNALS) process.on(s, onStopSignal);
  if (opts.worker) {
    app.log.info({ runner: app.auditJobs.runner.id }, 'audit worker started: running the batch audits of the shared database');
    return app;
  }
  await app.listen({ port: config.port, host: config.host });
  return app;
}
