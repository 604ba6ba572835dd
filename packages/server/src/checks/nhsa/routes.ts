/**
 * The national interface over HTTP: POST /nhsa/3101 (事前), /nhsa/3102 (事中), /nhsa/3103
 * (feedback), and POST /nhsa dispatching on infno for HIS that post every transaction to one URL.
 * Errors answer `infcode: -1` with the bad field named (see error-handler.ts).
 */
import type { FastifyInstance } from 'fastify';
import { envelopeDeps, handleEnvelope } from './handle.js';
import {
  anyEnvelopeSchema,
  anyEnvelopeValidation,
  checkEnvelopeSchema,
  checkEnvelopeValidation,
  feedbackEnvelopeSchema,
  feedbackEnvelopeValidation,
  nationalReplySchema,
} from '../national-schemas.js';
import { nativeJson } from '../../platform/schemas.js';

/** Replies are JSON text built around the serialised findings (see nationalReplyJson). */
const JSON_TYPE = 'application/json; charset=utf-8';

export default async function nhsaRoutes(app: FastifyInstance): Promise<void> {
  const deps = envelopeDeps(app);
  const guard = app.requireRole('doctor-station');
  const reply = { 200: nationalReplySchema, '4xx': nationalReplySchema };

  for (const [family, summary, description] of [
    ['3101', '3101 明细审核事前分析服务', 'Pre-issue check (事前). Legacy infno 3660 with camelCase keys accepted.'],
    ['3102', '3102 明细审核事中分析服务', 'In-progress check (事中, pre-settlement). Legacy infno 3661 accepted.'],
  ] as const) {
    app.post(
      `/nhsa/${family}`,
      {
        schema: { tags: ['national'], summary, description, body: checkEnvelopeValidation, docBody: checkEnvelopeSchema, response: reply },
        config: { shape: 'nhsa', action: `check.${family}` },
        onRequest: guard,
        ...nativeJson,
      },
      async (request, reply) => reply.type(JSON_TYPE).send(await handleEnvelope(deps, request, request.body, 'nhsa', family)),
    );
  }

  app.post(
    '/nhsa/3103',
    {
      schema: {
        tags: ['national'],
        summary: '3103 事前事中服务反馈服务',
        description: "The doctor's disposition of each warning: dspo_way 1 继续执行 (reason required), 2 返回修改.",
        body: feedbackEnvelopeValidation,
        docBody: feedbackEnvelopeSchema,
        response: reply,
      },
      config: { shape: 'nhsa', action: 'feedback.3103' },
      onRequest: guard,
      ...nativeJson,
    },
    async (request, reply) => reply.type(JSON_TYPE).send(await handleEnvelope(deps, request, request.body, 'nhsa', '3103')),
  );

  app.post(
    '/nhsa',
    {
      schema: {
        tags: ['national'],
        summary: 'Any national transaction, dispatched on infno',
        description: 'For HIS software that posts every transaction to one URL: 3101, 3102, 3103, 3660, 3661.',
        body: anyEnvelopeValidation,
        docBody: anyEnvelopeSchema,
        response: reply,
      },
      config: { shape: 'nhsa', action: 'national' },
      onRequest: guard,
      ...nativeJson,
    },
    async (request, reply) => reply.type(JSON_TYPE).send(await handleEnvelope(deps, request, request.body, 'nhsa', undefined)),
  );
}
