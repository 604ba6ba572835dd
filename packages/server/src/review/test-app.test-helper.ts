/**
 * The service as buildApp makes it (the same plugins in the same order, the real storage, auth,
 * trail, rulebooks, check store and audit jobs), plus one test plugin right after auth that
 * lets a request name the person calling (`x-test-identity: {"actor":…,"role":…,"userRole":…,
 * "departments":[…]}`), as the console's session login will set `request.identity`. Keys are on
 * (one admin key every request presents), so every role guard is live.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import bodyParsers from '../platform/body-parsers.js';
import metrics from '../platform/metrics.js';
import errorHandler from '../platform/error-handler.js';
import queryGuard from '../platform/query-guard.js';
import storage from '../platform/storage/plugin.js';
import auth, { type Identity } from '../platform/auth.js';
import trail from '../trail/plugin.js';
import rulebooks from '../rulebooks/plugin.js';
import checkStore from '../checks/check-store.js';
import auditJobs from '../audit-jobs/plugin.js';
import nhsaRoutes from '../checks/nhsa/routes.js';
import review from './plugin.js';
import reviewRoutes from './routes.js';
import { resolveOptions, type AppOptions } from '../options.js';
import { nationalRulebook, NOW } from '../test-support/helpers.js';

/** The key every test request presents. */
export const TEST_KEY = 'review-test-admin-key';

const testIdentity = fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      const h = request.headers['x-test-identity'];
      if (typeof h === 'string') request.identity = Object.freeze(JSON.parse(h) as Identity);
    });
  },
  { name: 'test-identity', dependencies: ['auth'] },
);

/** Builds the app (see the file comment). */
export async function reviewTestApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const config = resolveOptions({ rulebook: nationalRulebook(), now: () => NOW, apiKeys: { [TEST_KEY]: 'admin' }, ...options });
  const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: 'array', allErrors: true, allowUnionTypes: true } } });
  app.decorate('config', config);
  for (const plugin of [bodyParsers, metrics, errorHandler, queryGuard, storage, auth, testIdentity, trail, rulebooks, checkStore, auditJobs, review]) await app.register(plugin);
  for (const routes of [nhsaRoutes, reviewRoutes]) await app.register(routes);
  await app.ready();
  return app;
}

/** Request headers for a caller. */
export function as(identity: Identity): Record<string, string> {
  return { authorization: `Bearer ${TEST_KEY}`, 'x-test-identity': JSON.stringify(identity) };
}

/** The people of the tests. */
export const PEOPLE = {
  reviewer: { actor: 'user:li.reviewer', role: 'insurance-office', userRole: 'reviewer' },
  head: { actor: 'user:wang.head', role: 'insurance-office', userRole: 'head' },
  deptD01: { actor: 'user:zhao.d01', role: 'department', userRole: 'dept-head', departments: ['D01'] },
  deptD02: { actor: 'user:qian.d02', role: 'department', userRole: 'dept-head', departments: ['D02'] },
  bureau: { actor: 'user:sun.bureau', role: 'bureau', userRole: 'bureau' },
  admin: { actor: 'user:root', role: 'admin', userRole: 'admin' },
  doctorStation: { actor: 'doctor-station#1234', role: 'doctor-station' },
} as const satisfies Record<string, Identity>;
