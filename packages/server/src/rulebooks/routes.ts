/**
 * The rulebook lifecycle over HTTP:
 *   PUT  /v1/rulebooks                 upload a signed bundle (bureau): verified, tested, stored, scheduled
 *   GET  /v1/rulebooks                 versions with state, who loaded them, activations
 *   POST /v1/rulebooks/:id/activate    activate a stored version now (bureau)
 *   POST /v1/rulebooks/:id/rollback    return from the active version to the one before (bureau)
 *   POST /v1/rulebooks/:id/shadow      replay stored checks under a version, report the difference
 *   GET  /v1/rulebooks/:id/diff        what changed against the active (or another) version, in words
 * `:id` is id@version. Each call is audited as `rulebook-api.*` (who called, status), and each
 * lifecycle event the store performs as `rulebook.load|activate|rollback|shadow` (with details).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { readRulebookDir } from '@preaudit/core-rules/node';
import { diffRulebooks, formatDiff } from '@preaudit/rulebook-bundle';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { bundleBodySchema, diffSchema, refParams, rulebookErrorSchema, shadowReportSchema, versionSchema } from './schemas.js';

const callerOf = (request: FastifyRequest) => ({
  actor: request.identity?.actor ?? 'anonymous',
  role: request.identity?.role ?? 'none',
  route: request.routeOptions.url ?? request.url,
});

export default async function rulebookRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from hand-written generics.
  const app = fastify.withTypeProvider<SchemaTypes>();
  const errors = { '4xx': rulebookErrorSchema };

  app.put(
    '/v1/rulebooks',
    {
      bodyLimit: app.config.rulebookBodyLimit,
      schema: {
        tags: ['rulebooks'],
        summary: 'Upload a signed rulebook bundle',
        description:
          'Verifies the Ed25519 signature against the trusted bureau keys, the hash of every file, the schema and the ' +
          "bundle's own test cases, and that the version is newer than every stored version of that rulebook; only then " +
          'stores it. `activation=scheduled` (default) activates it at its effective time (at once if that has passed); ' +
          '`manual` keeps it pending for a shadow run and an explicit activate. Refusals name every reason and change nothing.',
        querystring: {
          type: 'object',
          properties: { activation: { type: 'string', enum: ['scheduled', 'manual'], default: 'scheduled' } },
        },
        body: bundleBodySchema,
        response: {
          201: {
            type: 'object',
            properties: { version: versionSchema, activated: { type: 'boolean' }, active: { type: 'string' } },
          },
          ...errors,
        },
      },
      config: { action: 'rulebook-api.upload' },
      onRequest: app.requireRole('bureau'),
    },
    async (request, reply) => {
      const r = await app.rulebooks.submit(request.body, callerOf(request), { source: 'upload', activation: request.query.activation });
      if (!r.ok) throw r.error;
      request.trail.ref = r.version.ref;
      request.trail.detail = { state: r.version.state, activated: r.activated };
      return reply.code(201).send({ version: r.version, activated: r.activated, active: app.rulebooks.activeRef() });
    },
  );

  app.get(
    '/v1/rulebooks',
    {
      schema: {
        tags: ['rulebooks'],
        summary: 'Rulebook versions: active, scheduled, pending, retired; who loaded them; activations',
        response: {
          200: {
            type: 'object',
            properties: {
              active: { type: 'string' },
              versions: { type: 'array', items: versionSchema },
              activations: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    time: { type: 'string' },
                    ref: { type: 'string' },
                    previous_ref: { type: ['string', 'null'] },
                    kind: { type: 'string' },
                    actor: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
      config: { action: 'rulebook-api.list' },
      onRequest: app.requireRole('bureau', 'insurance-office'),
    },
    async () => {
      // A due activation shows here even when no check has come in since.
      await app.rulebooks.tick();
      return { active: app.rulebooks.activeRef(), versions: app.rulebooks.versions(), activations: await app.rulebooks.activations(50) };
    },
  );

  app.post(
    '/v1/rulebooks/:id/activate',
    {
      schema: {
        tags: ['rulebooks'],
        summary: 'Activate a stored version now (atomic switch)',
        description:
          'A version older than the newest one of its rulebook that has been active is a downgrade and gets 409: ' +
          'going back is what rollback is for. An admin may force it with `{ "force": true, "reason": "…" }`; the reason is audited.',
        params: refParams,
        body: {
          type: ['object', 'null'],
          properties: {
            force: { type: 'boolean', description: 'activate even an older version (admin only)' },
            reason: { type: 'string', maxLength: 500, description: 'why, required with force; written to the trail' },
          },
        },
        response: { 200: { type: 'object', properties: { version: versionSchema, previous: { type: 'string' } } }, ...errors },
      },
      config: { action: 'rulebook-api.activate' },
      onRequest: app.requireRole('bureau'),
    },
    async (request, _reply) => {
      request.trail.ref = request.params.id;
      const force = request.body?.force === true;
      // A downgrade undoes the bureau's own fixes: only someone above the bureau key decides it.
      if (force && request.identity.role !== 'none' && request.identity.role !== 'admin') throw new PreauditError(ErrorCode.forbidden, 'force: 只有管理员（admin）可以强制启用旧版本');
      const r = await app.rulebooks.activate(request.params.id, callerOf(request), force ? { force: { reason: request.body?.reason ?? '' } } : {});
      if (!r.ok) throw r.error;
      return { version: r.version, previous: r.previous };
    },
  );

  app.post(
    '/v1/rulebooks/:id/rollback',
    {
      schema: {
        tags: ['rulebooks'],
        summary: 'Return from the active version :id to the version it replaced (atomic switch)',
        params: refParams,
        response: { 200: { type: 'object', properties: { version: versionSchema, rolled_back: { type: 'string' } } }, ...errors },
      },
      config: { action: 'rulebook-api.rollback' },
      onRequest: app.requireRole('bureau'),
    },
    async (request, _reply) => {
      request.trail.ref = request.params.id;
      const r = await app.rulebooks.rollback(request.params.id, callerOf(request));
      if (!r.ok) throw r.error;
      return { version: r.version, rolled_back: r.rolledBack };
    },
  );

  app.post(
    '/v1/rulebooks/:id/shadow',
    {
      schema: {
        tags: ['rulebooks'],
        summary: 'Shadow run: replay the stored checks of a period under version :id and compare with the active rulebook',
        params: refParams,
        body: {
          type: ['object', 'null'],
          properties: {
            from: { type: 'string', format: 'date-time', description: 'start (inclusive), ISO time; default 30 days before `to`' },
            to: { type: 'string', format: 'date-time', description: 'end (exclusive), ISO time; default now' },
            limit: { type: 'integer', minimum: 1, maximum: 100000, description: 'at most this many checks (default 10000)' },
          },
        },
        response: { 200: shadowReportSchema, ...errors },
      },
      config: { action: 'rulebook-api.shadow' },
      onRequest: app.requireRole('bureau', 'insurance-office'),
    },
    async (request, _reply) => {
      request.trail.ref = request.params.id;
      // Checks still in the write-behind queue belong to the period too.
      await app.checkStore.flush();
      const body = request.body ?? {};
      const toIso = (s?: string) => (s ? new Date(s).toISOString() : undefined);
      const r = await app.rulebooks.shadow(request.params.id, { from: toIso(body.from), to: toIso(body.to), limit: body.limit }, callerOf(request));
      if (!r.ok) throw r.error;
      request.trail.detail = { checks: r.report.checks, totals: r.report.totals };
      return r.report;
    },
  );
  app.get(
    '/v1/rulebooks/:id/diff',
    {
      schema: {
        tags: ['rulebooks'],
        summary: 'What changed from another version (default: the active one) to :id, as data and as text',
        params: refParams,
        querystring: { type: 'object', properties: { against: { type: 'string', description: 'id@version to compare with (default the active one)' } } },
        response: { 200: diffSchema, ...errors },
      },
      config: { action: 'rulebook-api.diff' },
      onRequest: app.requireRole('bureau', 'insurance-office'),
    },
    async (request, _reply) => {
      const against = request.query.against ?? app.rulebooks.activeRef();
      request.trail.ref = request.params.id;
      // The built-in rulebook's files are on disk when the service loaded it from a folder.
      const builtinFiles = () => (app.config.rulebook ? undefined : readRulebookDir(app.config.rulebookDir));
      const [to, from] = await Promise.all([app.rulebooks.filesOf(request.params.id, builtinFiles), app.rulebooks.filesOf(against, builtinFiles)]);
      for (const [ref, files] of [
        [request.params.id, to],
        [against, from],
      ] as const)
        if (!files) {
          const known = app.rulebooks.version(ref);
          throw known ? new PreauditError(ErrorCode.rulebookConflict, `${ref} 的文件无法读取，不能比较`) : new PreauditError(ErrorCode.notFound, `没有规则库版本 ${ref}`);
        }
      const diff = diffRulebooks(from!, to!);
      return { ...diff, text: formatDiff(diff, { limit: 200 }) };
    },
  );
}
