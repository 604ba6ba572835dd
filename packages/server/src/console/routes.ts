/**
 * The web console (packages/console, built by `npm run build`) under /console/, same origin as the API:
 *   GET /console/                    the single-page app (index.html)
 *   GET /console/assets/…            hashed bundles (cached for a year)
 *   GET /console/reminder.js         the doctor's reminder script for B/S HIS pages
 *   GET /console/demo/doctor-station the order-entry demo that includes it
 *   GET /console/<anything else>     index.html again (client-side routes such as /console/review)
 * Public (no key, like /health): the pages hold no data; every number comes from the /v1 API the
 * page then calls with the person's session. Not written to the trail (static files).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, PreauditError } from '../platform/errors.js';

/**
 * packages/console/dist beside this package (from src/console or dist/console alike). Not a
 * package dependency: the console's browser tests start this server, so the console depends on it.
 */
function consoleDist(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'console', 'dist');
}

/** Pages that are files of their own rather than routes of the single-page app. */
const PAGES: Readonly<Record<string, string>> = Object.freeze({ 'demo/doctor-station': 'demo/doctor-station.html' });

export default async function consoleRoutes(app: FastifyInstance): Promise<void> {
  const root = consoleDist();
  const built = existsSync(path.join(root, 'index.html'));
  if (built) await app.register(fastifyStatic, { root, serve: false, decorateReply: true });
  const config = { public: true, trail: false };
  const schema = { hide: true };

  // index.html and the reminder are re-validated on every load (a new build takes effect at once); hashed assets are immutable.
  const fresh = (reply: FastifyReply, file: string) => reply.header('cache-control', 'no-cache').sendFile(file, { cacheControl: false });
  const sendIndex = (reply: FastifyReply) => fresh(reply, 'index.html');

  app.get('/console', { schema, config }, async (_request, reply) => reply.redirect('/console/'));
  app.get<{ Params: { '*': string } }>('/console/*', { schema, config }, async (request, reply) => {
    if (!built) {
      throw new PreauditError(ErrorCode.unavailable, '控制台尚未构建：请运行 npm run build（或 npm run build -w @preaudit/console）');
    }
    const rel = request.params['*'].replace(/\/+$/, '');
    if (rel === '') return sendIndex(reply);
    if (PAGES[rel]) return fresh(reply, PAGES[rel]);
    // A path with an extension is a file: serve it or 404 (never index.html for a missing script).
    if (/\.[a-z0-9]+$/i.test(rel)) {
      if (rel.split('/').includes('..') || !existsSync(path.join(root, rel))) throw new PreauditError(ErrorCode.notFound, `没有文件 /console/${rel}`);
      return rel.startsWith('assets/') ? reply.sendFile(rel, { maxAge: '365d', immutable: true }) : fresh(reply, rel);
    }
    return sendIndex(reply);
  });
}
