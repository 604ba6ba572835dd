/**
 * The process: the only module that reads the environment. Builds the app, listens, and on
 * SIGTERM/SIGINT closes gracefully (stops accepting, lets in-flight requests finish, flushes
 * pending check and audit records, closes storage).
 *
 * Environment: PORT (8080), HOST (0.0.0.0 with keys; forced to 127.0.0.1 without), DATABASE_URL
 * (default SQLite ./data/preaudit.sqlite), DATABASE_SCHEMA, PA_RULEBOOK (rulebook folder),
 * PA_API_KEYS (`key:role,…`) or PA_API_KEYS_FILE, LOG_LEVEL (info), PA_BODY_LIMIT (bytes),
 * PA_SHUTDOWN_GRACE_MS (10000).
 * Rulebooks (RULEBOOKS.md): PA_BUREAU_KEYS_FILE (trusted bureau public keys, PEM, one or more),
 * PA_RULEBOOK_FEED (feed URL or folder: pull mode), PA_RULEBOOK_FEED_INTERVAL_S (300).
 * Batch audits: PA_AUDIT_SOURCES (folder of HIS mapping files, one source per file; `${VAR}` in them is read from the environment).
 */
import fs from 'node:fs';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type AppOptions, ROLES, type Role } from './options.js';
import { defaultDatabaseFile } from './storage/connect.js';

/** What the environment configures. */
export interface ServerConfig {
  port: number;
  host: string;
  /** true when HOST asked for more than loopback but no keys are configured. */
  hostRestricted: boolean;
  graceMs: number;
  app: AppOptions;
}

/** Parses `key:role` pairs separated by commas, semicolons or new lines; `#` starts a comment. */
export function parseApiKeys(text: string, source: string): Record<string, Role> {
  const keys: Record<string, Role> = {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    for (const [key, role] of Object.entries(JSON.parse(trimmed) as Record<string, string>)) keys[key] = checkRole(role, source);
    return keys;
  }
  for (const raw of trimmed.split(/[,;\n]/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const m = /^(\S+?)\s*[:=\s]\s*(\S+)$/.exec(line);
    if (!m) throw new Error(`${source}: expected key:role, got "${line.slice(0, 3)}…"`);
    keys[m[1]] = checkRole(m[2], source);
  }
  return keys;
}

function checkRole(role: string, source: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${source}: unknown role "${role}" (expected ${ROLES.join(', ')})`);
  return role as Role;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Turns environment variables into the server's configuration (throws on invalid values). */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const apiKeys: Record<string, Role> = {};
  if (env.PA_API_KEYS_FILE) Object.assign(apiKeys, parseApiKeys(fs.readFileSync(env.PA_API_KEYS_FILE, 'utf8'), 'PA_API_KEYS_FILE'));
  if (env.PA_API_KEYS) Object.assign(apiKeys, parseApiKeys(env.PA_API_KEYS, 'PA_API_KEYS'));
  const authEnabled = Object.keys(apiKeys).length > 0;
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: not a port number: ${env.PORT}`);
  const wantedHost = env.HOST || (authEnabled ? '0.0.0.0' : '127.0.0.1');
  const host = authEnabled || LOOPBACK.has(wantedHost) ? wantedHost : '127.0.0.1';
  const bodyLimit = env.PA_BODY_LIMIT ? Number(env.PA_BODY_LIMIT) : undefined;
  return {
    port,
    host,
    hostRestricted: host !== wantedHost,
    graceMs: env.PA_SHUTDOWN_GRACE_MS ? Number(env.PA_SHUTDOWN_GRACE_MS) : 10_000,
    app: {
      databaseUrl: env.DATABASE_URL || defaultDatabaseFile(),
      databaseSchema: env.DATABASE_SCHEMA || undefined,
      rulebookDir: env.PA_RULEBOOK || undefined,
      trustedKeys: env.PA_BUREAU_KEYS_FILE ? [fs.readFileSync(env.PA_BUREAU_KEYS_FILE, 'utf8')] : undefined,
      rulebookFeed: env.PA_RULEBOOK_FEED
        ? { source: env.PA_RULEBOOK_FEED, intervalMs: env.PA_RULEBOOK_FEED_INTERVAL_S ? Number(env.PA_RULEBOOK_FEED_INTERVAL_S) * 1000 : undefined }
        : undefined,
      apiKeys,
      auditJobs: env.PA_AUDIT_SOURCES ? { sourcesDir: env.PA_AUDIT_SOURCES, env: { ...env } } : undefined,
      bodyLimit,
      logger: { level: env.LOG_LEVEL || 'info' },
    },
  };
}

/** Starts the service; resolves with the app once listening. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  const config = configFromEnv(env);
  const app = await buildApp(config.app);
  if (!app.config.authEnabled) {
    app.log.warn(
      config.hostRestricted
        ? `no API keys configured (PA_API_KEYS / PA_API_KEYS_FILE): HOST=${env.HOST} ignored, listening on loopback ${config.host} only`
        : `no API keys configured (PA_API_KEYS / PA_API_KEYS_FILE): authentication is off, listening on loopback ${config.host} only`,
    );
  }
  closeWithGrace({ delay: config.graceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'closing: finishing in-flight requests, flushing records');
    await app.close();
    app.log.info('closed');
  });
  await app.listen({ port: config.port, host: config.host });
  return app;
}
