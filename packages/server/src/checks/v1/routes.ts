/**
 * POST /v1/check: the 3101/3102 data without the envelope, for new integrations.
 * Bad input is a 400 naming every bad field.
 */
import { normalizeCheckData } from '@preaudit/core-rules';
import type { FastifyInstance } from 'fastify';
import { badInput } from '../../platform/errors.js';
import { checkDeps, runCheck } from '../run-check.js';
import { checkDataSchema, checkDataValidation, resultSchema } from '../national-schemas.js';
import { errorSchema, nativeJson } from '../../platform/schemas.js';

export default async function checkRoutes(app: FastifyInstance): Promise<void> {
  const deps = checkDeps(app);
  app.post(
    '/v1/check',
    {
      schema: {
        tags: ['check'],
        summary: 'Check orders (3101/3102 data without the envelope)',
        description: 'trig_scen selects the rules of those scenes (1–5 事前, 6–10 事中); rule_ids restricts to those rules.',
        body: checkDataValidation,
        docBody: { ...checkDataSchema, required: ['patient_dtos'] },
        response: {
          200: {
            type: 'object',
            properties: {
              check_id: { type: 'string' },
              rulebook: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' } } },
              ana_dura: { type: 'number', description: 'engine time, ms' },
              result: { type: 'array', items: resultSchema },
              errors: {
                type: 'array',
                items: { type: 'object', properties: { rule_id: { type: 'string' }, rule_name: { type: 'string' }, message: { type: 'string' } } },
              },
              truncated: {
                type: 'array',
                description: 'rules with more findings than the per-rule cap: how many were returned and how many left out',
                items: { type: 'object', properties: { rule_id: { type: 'string' }, rule_name: { type: 'string' }, kept: { type: 'integer' }, dropped: { type: 'integer' } } },
              },
            },
          },
          '4xx': errorSchema,
        },
      },
      config: { action: 'check.v1' },
      onRequest: app.requireRole('doctor-station'),
      ...nativeJson,
    },
    async (request, reply) => {
      const normalized = normalizeCheckData(request.body);
      if (!normalized.ok) throw badInput(normalized.errors);
      const data = normalized.value;
      request.trail.ref = data.task_id;
      const out = runCheck(deps, data, { channel: 'v1', infno: null, msgid: null, hospital: null, actor: request.identity.actor });
      request.trail.detail = { check_id: out.checkId, findings: out.evaluation.result.length };
      await app.checkStore.room();
      // The findings are already JSON (serialised once for the reply and the record).
      const head = JSON.stringify({ check_id: out.checkId, rulebook: { id: out.rulebook.id, version: out.rulebook.version }, ana_dura: out.anaDura });
      return reply
        .type('application/json; charset=utf-8')
        .send(`${head.slice(0, -1)},"result":${out.resultJson},"errors":${JSON.stringify(out.evaluation.errors)},"truncated":${JSON.stringify(out.evaluation.truncated)}}`);
    },
  );
}
