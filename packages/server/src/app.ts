/**
 * Builds the service as a Fastify instance (tests `inject` into it; server.ts listens).
 * Plugins and routes are explicit lists: to add a feature, append its plugin or route module.
 */
import type http from 'node:http';
import Fastify, { LogController, type FastifyHttpOptions, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { type AppOptions, type ResolvedOptions, resolveOptions } from './options.js';

// platform: what every job stands on
import bodyParsers from './platform/body-parsers.js';
import swagger from './platform/swagger.js';
import metrics from './platform/metrics.js';
import errorHandler from './platform/error-handler.js';
import queryGuard from './platform/query-guard.js';
import storage from './platform/storage/plugin.js';
import auth from './platform/auth.js';
// people: console users and their sessions (before auth, which looks sessions up)
import users from './users/plugin.js';
// job 4, the trail (审计); job 2, rulebooks; job 1, checks; job 3, batch audit jobs (审核)
import trail from './trail/plugin.js';
import rulebooks from './rulebooks/plugin.js';
import checkStore from './checks/check-store.js';
import auditJobs from './audit-jobs/plugin.js';
// the hospital's own layer above the bureau's rulebook
import layer from './layer/plugin.js';
import review from './review/plugin.js';
import analytics from './analytics/plugin.js';

// ops
import healthRoutes from './ops/health.js';
import metricsRoutes from './ops/metrics.js';
// job 1, the real-time doors
import nhsaRoutes from './checks/nhsa/routes.js';
import checkRoutes from './checks/v1/routes.js';
import cdsHooksRoutes from './checks/cds/routes.js';
import soapRoutes from './checks/soap/routes.js';
import complianceRoutes from './checks/compliance/routes.js';
// job 2, the rulebook lifecycle
import rulebookRoutes from './rulebooks/routes.js';
// job 3, batch audit jobs
import auditJobRoutes from './audit-jobs/routes.js';
import auditReportRoutes from './audit-jobs/report-routes.js';
// people: the console's session and user management
import sessionRoutes from './users/session-routes.js';
import userRoutes from './users/user-routes.js';
import layerRoutes from './layer/routes.js';
// the web console (static pages under /console/)
import consoleRoutes from './console/routes.js';
// the review queue (疑点审核)
import reviewRoutes from './review/routes.js';
// management analytics (issues 14, 15)
import analyticsConsoleRoutes from './analytics/console-routes.js';
import analyticsHisRoutes from './analytics/his-routes.js';
import auditScheduleRoutes from './audit-jobs/schedule-routes.js';

export type { AppOptions } from './options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The resolved options (defaults merged). */
    config: ResolvedOptions;
  }
}

/**
 * Shared services, decorated on the root instance (fastify-plugin), in dependency order.
 * Domain plugins of other features go at the end of this list.
 */
const PLUGINS: FastifyPluginAsync[] = [bodyParsers, metrics, errorHandler, queryGuard, storage, users, auth, trail, rulebooks, checkStore, auditJobs, layer, review, analytics, swagger];

/** Route modules, one per resource. */
const ROUTES: FastifyPluginAsync[] = [
  healthRoutes,
  metricsRoutes,
  nhsaRoutes,
  checkRoutes,
  cdsHooksRoutes,
  soapRoutes,
  complianceRoutes,
  rulebookRoutes,
  auditJobRoutes,
  auditReportRoutes,
  sessionRoutes,
  userRoutes,
  layerRoutes,
  reviewRoutes,
  analyticsConsoleRoutes,
  analyticsHisRoutes,
  consoleRoutes,
  auditScheduleRoutes,
];

/** Builds the app: storage migrated, rulebook loaded, every route registered; not listening. */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const config = resolveOptions(options);
  const serverOptions = { headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs), connectionsCheckingInterval: 1000 };
  const app = Fastify({
    // https served directly (a certificate and key given), with the same socket limits as http;
    // typed as http, as the handlers see no difference.
    ...(config.tls ? { https: { ...serverOptions, cert: config.tls.cert, key: config.tls.key } } : {}),
    logger: loggerOptions(config.logger),
    bodyLimit: config.bodyLimit,
    logController: new QuietRequestLog(),
    // In-flight requests finish on close; idle keep-alive connections are closed at once.
    forceCloseConnections: 'idle',
    // Behind nginx: X-Forwarded-Proto/Host/For only from the proxies the operator names.
    // (a hop count is valid at run time; Fastify's types omit it)
    trustProxy: config.trustProxy as boolean,
    // Slow clients (slow-loris) hold a socket only so long: Node answers 408 and closes; checked every second, not every 30 s.
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    http: serverOptions,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: true, allowUnionTypes: true } },
  } as FastifyHttpOptions<http.Server>);
  app.decorate('config', config);
  try {
    for (const plugin of PLUGINS) await app.register(plugin);
    for (const routes of ROUTES) await app.register(routes);
    await app.ready();
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

/** Per-request log lines at debug level: at thousands of checks a second, info would drown the log. */
class QuietRequestLog extends LogController {
  override incomingRequest(request: Parameters<LogController['incomingRequest']>[0]): void {
    request.log.debug({ method: request.method, url: request.url.split('?')[0] }, 'incoming request');
  }

  override requestCompleted(error: unknown, _request: unknown, reply: Parameters<LogController['requestCompleted']>[2]): void {
    if (error) reply.log.error({ err: error, statusCode: reply.statusCode }, 'request errored');
    else reply.log.debug({ statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request completed');
  }
}

/** Pino options: the caller's, plus redaction of credentials whatever they say. */
function loggerOptions(logger: boolean | object): boolean | object {
  if (logger === false) return false;
  const base = logger === true ? {} : logger;
  return { ...base, redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'req.headers["x-csrf-token"]'], censor: '[redacted]' } };
}
