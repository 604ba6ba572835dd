/**
 * The hospital's own layer over HTTP (insurance office manages; a department may request exemptions):
 *   GET  /v1/layer                                  status, versions, activations
 *   PUT  /v1/layer/versions                         upload a layer file → draft
 *   POST /v1/layer/import                           import an exported layer file → draft
 *   GET  /v1/layer/export                           the active layer as a file (with every approved exemption)
 *   GET  /v1/layer/versions/:ref                    one version with its file
 *   GET  /v1/layer/versions/:ref/diff?against=      what changed, in Chinese (default: against the active one)
 *   POST /v1/layer/versions/:ref/test               its cases and the national cases it affects → tested
 *   GET  /v1/layer/versions/:ref/conflicts          what activation would report on the active rulebook
 *   POST /v1/layer/versions/:ref/shadow             replay stored checks: findings appearing/disappearing by rule and department
 *   POST /v1/layer/versions/:ref/activate           atomic switch; 409 naming each conflict unless accepted with a reason
 *   POST /v1/layer/versions/:ref/rollback           back to the version it replaced (or to no layer)
 *   GET  /v1/layer/exemptions                       exemptions and requests (a department: its own)
 *   GET  /v1/layer/exemptions/:id
 *   POST /v1/layer/exemptions                       the insurance office's exemption, in force at once
 *   POST /v1/layer/exemption-requests               a request (department: for its own departments)
 *   POST /v1/layer/exemptions/:id/approve|reject|revoke   the insurance office decides (reject/revoke with a reason)
 * Every call is in the trail as `layer-api.*`; every change the store makes as `layer.*` with its details.
 * The bureau cannot change a hospital's layer (403).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { departmentScope } from '../platform/auth.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import type { LayerCaller } from './store.js';
import {
  conflictSchema,
  errorSchema,
  exemptionBodySchema,
  exemptionSchema,
  idParams,
  layerDiffSchema,
  layerFileSchema,
  layerVersionSchema,
  refParams,
  shadowReportSchema,
  testReportSchema,
} from './schemas.js';

const callerOf = (request: FastifyRequest): LayerCaller => {
  const departments = request.identity ? departmentScope(request.identity) : undefined;
  return {
    actor: request.identity?.actor ?? 'anonymous',
    role: request.identity?.role ?? 'none',
    route: request.routeOptions.url ?? request.url,
    ...(departments ? { departments } : {}),
  };
};

const activationSchema = {
  type: 'object',
  properties: {
    time: { type: 'string' },
    ref: { type: ['string', 'null'] },
    previous_ref: { type: ['string', 'null'] },
    kind: { type: 'string' },
    actor: { type: 'string' },
    rulebook: { type: ['string', 'null'] },
    conflicts: { type: 'array', items: conflictSchema },
  },
} as const;

const pagingQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

export default async function layerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const errors = { '4xx': errorSchema };
  const office = app.requireRole('insurance-office');
  const officeOrDepartment = app.requireRole('insurance-office', 'department');
  const tags = ['layer'];

  app.get(
    '/v1/layer',
    {
      schema: {
        tags,
        summary: "The hospital's layer: what is active and in use on the active rulebook, every version, the activations",
        response: {
          200: {
            type: 'object',
            properties: {
              active: { type: ['string', 'null'] },
              in_use: { type: ['string', 'null'], description: 'the name replies carry in x-layer-version' },
              rulebook: { type: 'string' },
              degraded: { type: 'boolean', description: 'true when the active version does not compile on the active rulebook (only exemptions apply)' },
              exemptions: { type: 'integer', description: 'approved exemptions in force' },
              versions: { type: 'array', items: layerVersionSchema },
              activations: { type: 'array', items: activationSchema },
            },
          },
          ...errors,
        },
      },
      config: { action: 'layer-api.status' },
      onRequest: office,
    },
    async () => ({ ...app.layer.status(), versions: app.layer.versions(), activations: await app.layer.activations(50) }),
  );

  for (const [url, source, summary] of [
    ['/v1/layer/versions', 'upload', 'Upload a layer file: validated and compiled on the active rulebook, stored as a draft'],
    ['/v1/layer/import', 'import', 'Import a layer file (e.g. one exported from another instance): stored as a draft'],
  ] as const) {
    app.route({
      method: source === 'upload' ? 'PUT' : 'POST',
      url,
      bodyLimit: app.config.rulebookBodyLimit,
      schema: {
        tags,
        summary,
        description:
          'Every problem of the file is answered as a 400 naming its field (file.overrides[3].params.max_age …). The conflicts with the active rulebook are reported (activation refuses while there are any).',
        body: layerFileSchema,
        response: { 201: { type: 'object', properties: { version: layerVersionSchema, conflicts: { type: 'array', items: conflictSchema } } }, ...errors },
      },
      config: { action: `layer-api.${source}` },
      onRequest: office,
      handler: async (request, reply) => {
        const r = await app.layer.create(request.body, callerOf(request), source);
        if (!r.ok) throw r.error;
        request.trail.ref = r.version.ref;
        return reply.code(201).send({ version: r.version, conflicts: r.conflicts });
      },
    });
  }

  app.get(
    '/v1/layer/export',
    {
      schema: {
        tags,
        summary: 'The active layer as a file: the active version with every approved exemption (patients as their keys)',
        response: { 200: { ...layerFileSchema, additionalProperties: true, properties: {} }, ...errors },
      },
      config: { action: 'layer-api.export' },
      onRequest: office,
    },
    async (_request, reply) => {
      const file = await app.layer.exportActive(callerOf(_request));
      reply.header('content-disposition', `attachment; filename="${file.id}@${file.version}.layer.json"`);
      return file;
    },
  );

  app.get(
    '/v1/layer/versions/:ref',
    {
      schema: {
        tags,
        summary: 'One layer version with its file',
        params: refParams,
        response: { 200: { type: 'object', properties: { version: layerVersionSchema, file: { type: 'object', additionalProperties: true } } }, ...errors },
      },
      config: { action: 'layer-api.get' },
      onRequest: office,
    },
    async (request) => {
      const version = app.layer.version(request.params.ref);
      const file = version ? await app.layer.fileOf(request.params.ref) : undefined;
      if (!version || !file) throw new PreauditError(ErrorCode.notFound, `没有本院规则层版本 ${request.params.ref}`);
      return { version, file };
    },
  );

  app.get(
    '/v1/layer/versions/:ref/diff',
    {
      schema: {
        tags,
        summary: 'What changed from another version (default: the active one) to :ref, in Chinese (新增/删除/修改 by 覆盖/白名单/本院规则 …)',
        params: refParams,
        querystring: { type: 'object', properties: { against: { type: 'string', maxLength: 120, description: 'layer id@version to compare with' } } },
        response: { 200: layerDiffSchema, ...errors },
      },
      config: { action: 'layer-api.diff' },
      onRequest: office,
    },
    async (request) => {
      request.trail.ref = request.params.ref;
      return app.layer.diff(request.params.ref, request.query.against);
    },
  );

  app.post(
    '/v1/layer/versions/:ref/test',
    {
      schema: {
        tags,
        summary: "Run the version's own cases (on the findings shown after exemptions) and the national cases of the rules it overrides, on the active rulebook",
        description: 'A draft whose own cases all pass becomes `tested` (activatable). National cases failing show what an override changes; they do not block.',
        params: refParams,
        response: { 200: testReportSchema, ...errors },
      },
      config: { action: 'layer-api.test' },
      onRequest: office,
    },
    async (request) => {
      request.trail.ref = request.params.ref;
      const r = await app.layer.test(request.params.ref, callerOf(request));
      if (!r.ok) throw r.error;
      return { version: r.version, rulebook: r.rulebook, layer: r.report.layer, national: r.report.national };
    },
  );

  app.get(
    '/v1/layer/versions/:ref/conflicts',
    {
      schema: {
        tags,
        summary: 'The conflict report on the active rulebook: overrides of rules it no longer has, or whose parameters changed',
        params: refParams,
        response: { 200: { type: 'object', properties: { rulebook: { type: 'string' }, conflicts: { type: 'array', items: conflictSchema } } }, ...errors },
      },
      config: { action: 'layer-api.conflicts' },
      onRequest: office,
    },
    async (request) => {
      const conflicts = await app.layer.conflicts(request.params.ref);
      if (!conflicts) throw new PreauditError(ErrorCode.notFound, `没有本院规则层版本 ${request.params.ref}`);
      return { rulebook: app.rulebooks.activeRef(), conflicts };
    },
  );

  app.post(
    '/v1/layer/versions/:ref/shadow',
    {
      schema: {
        tags,
        summary:
          'Shadow run: replay the stored checks of a period with version :ref and with the active layer; findings appearing and disappearing by rule and department, with amounts',
        params: refParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            from: { type: 'string', format: 'date-time', description: 'start (inclusive), ISO time; default 30 days before `to`' },
            to: { type: 'string', format: 'date-time', description: 'end (exclusive), ISO time; default now' },
            limit: { type: 'integer', minimum: 1, maximum: 100000, description: 'at most this many checks (default 10000)' },
          },
        },
        response: { 200: shadowReportSchema, ...errors },
      },
      config: { action: 'layer-api.shadow' },
      onRequest: office,
    },
    async (request) => {
      request.trail.ref = request.params.ref;
      await app.checkStore.flush();
      const body = request.body ?? {};
      const toIso = (s?: string) => (s ? new Date(s).toISOString() : undefined);
      const r = await app.layer.shadow(request.params.ref, { from: toIso(body.from), to: toIso(body.to), limit: body.limit }, callerOf(request));
      if (!r.ok) throw r.error;
      request.trail.detail = { checks: r.report.checks, totals: r.report.totals };
      return r.report;
    },
  );

  app.post(
    '/v1/layer/versions/:ref/activate',
    {
      schema: {
        tags,
        summary: 'Activate a tested version now (atomic switch)',
        description:
          'Refused (409, each conflict named in `fields`) while the version conflicts with the active rulebook (an override of a rule it no longer has, or whose ' +
          'parameters changed since the override was written): fix the layer, or accept with `{ "accept_conflicts": true, "reason": "…" }` (kept with the activation and in the trail).',
        params: refParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            accept_conflicts: { type: 'boolean' },
            reason: { type: 'string', maxLength: 500, description: 'why the conflicts are accepted; required with accept_conflicts' },
          },
        },
        response: {
          200: { type: 'object', properties: { version: layerVersionSchema, previous: { type: ['string', 'null'] }, conflicts: { type: 'array', items: conflictSchema } } },
          ...errors,
        },
      },
      config: { action: 'layer-api.activate' },
      onRequest: office,
    },
    async (request) => {
      request.trail.ref = request.params.ref;
      const accept = request.body?.accept_conflicts === true;
      const r = await app.layer.activate(request.params.ref, callerOf(request), accept ? { acceptConflicts: { reason: request.body?.reason ?? '' } } : {});
      if (!r.ok) throw r.error;
      return { version: r.version, previous: r.previous, conflicts: r.conflicts };
    },
  );

  app.post(
    '/v1/layer/versions/:ref/rollback',
    {
      schema: {
        tags,
        summary: 'Return from the active version :ref to the version it replaced (or to no layer)',
        params: refParams,
        response: { 200: { type: 'object', properties: { active: { type: ['string', 'null'] }, rolled_back: { type: 'string' } } }, ...errors },
      },
      config: { action: 'layer-api.rollback' },
      onRequest: office,
    },
    async (request) => {
      request.trail.ref = request.params.ref;
      const r = await app.layer.rollback(request.params.ref, callerOf(request));
      if (!r.ok) throw r.error;
      return { active: r.active, rolled_back: r.rolledBack };
    },
  );

  // ------------------------------------------------------------ exemptions

  app.get(
    '/v1/layer/exemptions',
    {
      schema: {
        tags,
        summary: "Exemptions (白名单) and exemption requests, newest first (a department sees its departments' and its own)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: ['requested', 'approved', 'rejected', 'revoked'] }, ...pagingQuery },
        },
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: exemptionSchema } } }, ...errors },
      },
      config: { action: 'layer-api.exemptions' },
      onRequest: officeOrDepartment,
    },
    async (request) => {
      const q = request.query;
      return app.layer.listExemptions(callerOf(request), { status: q.status ? [q.status] : undefined, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    },
  );

  app.get(
    '/v1/layer/exemptions/:id',
    {
      schema: { tags, summary: 'One exemption or request', params: idParams, response: { 200: exemptionSchema, ...errors } },
      config: { action: 'layer-api.exemption' },
      onRequest: officeOrDepartment,
    },
    async (request) => {
      const e = await app.layer.getExemption(request.params.id, callerOf(request));
      if (!e) throw new PreauditError(ErrorCode.notFound, `没有豁免 ${request.params.id}`);
      return e;
    },
  );

  app.post(
    '/v1/layer/exemptions',
    {
      schema: {
        tags,
        summary: "The insurance office's own exemption: approved (by the caller) and in force at once",
        body: exemptionBodySchema,
        response: { 201: exemptionSchema, ...errors },
      },
      config: { action: 'layer-api.exemption-create' },
      onRequest: office,
    },
    async (request, reply) => {
      const e = await app.layer.createExemption(request.body, callerOf(request));
      request.trail.ref = e.id;
      return reply.code(201).send(e);
    },
  );

  app.post(
    '/v1/layer/exemption-requests',
    {
      schema: {
        tags,
        summary: 'Request an exemption: in force only once the insurance office approves it',
        description: 'Must name dept_codg; a department caller only one of its own departments (403 otherwise).',
        body: exemptionBodySchema,
        response: { 201: exemptionSchema, ...errors },
      },
      config: { action: 'layer-api.exemption-request' },
      onRequest: officeOrDepartment,
    },
    async (request, reply) => {
      const e = await app.layer.request(request.body, callerOf(request));
      request.trail.ref = e.id;
      return reply.code(201).send(e);
    },
  );

  for (const decision of ['approve', 'reject', 'revoke'] as const) {
    app.post(
      `/v1/layer/exemptions/:id/${decision}`,
      {
        schema: {
          tags,
          summary: { approve: 'Approve a request: in force at once', reject: 'Reject a request, with a reason', revoke: 'Revoke an approved exemption, with a reason' }[decision],
          params: idParams,
          body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 2000 } } },
          response: { 200: exemptionSchema, ...errors },
        },
        config: { action: `layer-api.exemption-${decision}` },
        onRequest: office,
      },
      async (request) => {
        request.trail.ref = request.params.id;
        return app.layer.decide(request.params.id, decision, request.body?.reason, callerOf(request));
      },
    );
  }
}
