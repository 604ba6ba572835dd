/**
 * CDS Hooks 2.0: discovery (GET /cds-services), the order-sign and order-select services, and
 * their feedback endpoint mapped onto 3103 (accepted → 返回修改, overridden → 继续执行 with the reason).
 */
import { normalizeCheckData, textProblem } from '@preaudit/core-rules';
import type { SchemaTypes } from '../../platform/type-provider.js';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, PreauditError, badInput, type FieldProblem } from '../../platform/errors.js';
import { checkDeps, runCheck } from '../run-check.js';
import { type Disposition, feedbackDeps, storeFeedback } from '../feedback.js';
import { mapHookRequest } from './fhir-to-check.js';
import { toCards } from './cards.js';
import { errorSchema, nativeJson } from '../../platform/schemas.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const PREFETCH = { patient: 'Patient/{{context.patientId}}', encounter: 'Encounter/{{context.encounterId}}' };

/** The services offered, by id. */
const CDS_SERVICES = [
  {
    hook: 'order-sign',
    id: 'preaudit-order-sign',
    title: '医保事前审核（签署医嘱）',
    description: 'Checks draft MedicationRequest/ServiceRequest orders carrying national insurance codes against the active rulebook before they are signed.',
    prefetch: PREFETCH,
  },
  {
    hook: 'order-select',
    id: 'preaudit-order-select',
    title: '医保事前提醒（选择医嘱）',
    description: 'Checks the newly selected orders (the other drafts are context) against the active rulebook.',
    prefetch: PREFETCH,
  },
] as const;

const cardSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    uuid: { type: 'string' },
    summary: { type: 'string' },
    detail: { type: 'string' },
    indicator: { type: 'string', enum: ['info', 'warning', 'critical'] },
    source: { type: 'object', additionalProperties: true },
    overrideReasons: { type: 'array', items: { type: 'object', additionalProperties: true } },
    suggestions: { type: 'array', items: { type: 'object', additionalProperties: true } },
    selectionBehavior: { type: 'string' },
  },
} as const;

const serviceParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: CDS_SERVICES.map((s) => s.id).join(' | ') } } } as const;

export default async function cdsHooksRoutes(fastify: FastifyInstance): Promise<void> {
  // Request types come from the route schemas (json-schema-to-ts), never from a cast.
  const app = fastify.withTypeProvider<SchemaTypes>();
  const deps = { check: checkDeps(fastify), feedback: feedbackDeps(fastify) };
  const guard = app.requireRole('doctor-station');

  app.get(
    '/cds-services',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'CDS Hooks discovery',
        response: { 200: { type: 'object', properties: { services: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
      },
      config: { action: 'cds.discovery' },
    },
    async () => ({ services: CDS_SERVICES }),
  );

  app.post(
    '/cds-services/:id',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'Call a CDS service (order-sign / order-select)',
        params: serviceParams,
        body: {
          type: 'object',
          required: ['context'],
          properties: {
            hook: { type: 'string' },
            hookInstance: { type: 'string' },
            context: {
              type: 'object',
              required: ['draftOrders'],
              properties: {
                userId: { type: 'string' },
                patientId: { type: 'string' },
                encounterId: { type: 'string' },
                selections: { type: 'array', items: { type: 'string' } },
                draftOrders: { type: 'object', properties: { resourceType: { type: 'string' }, entry: { type: 'array' } } },
              },
            },
            prefetch: { type: 'object' },
          },
        },
        response: { 200: { type: 'object', properties: { cards: { type: 'array', items: cardSchema } } }, '4xx': errorSchema },
      },
      config: { action: 'cds.service' },
      onRequest: guard,
      ...nativeJson,
    },
    async (request) => {
      const { id } = request.params;
      const service = CDS_SERVICES.find((s) => s.id === id);
      if (!service) throw new PreauditError(ErrorCode.notFound, `CDS service ${id}`);
      const body = request.body;
      request.trail.ref = typeof body.hookInstance === 'string' ? body.hookInstance : undefined;
      const instanceProblem = typeof body.hookInstance === 'string' ? textProblem(body.hookInstance) : undefined;
      if (instanceProblem) throw badInput([{ field: 'hookInstance', message: instanceProblem }]);
      if (body.hook !== undefined && body.hook !== service.hook) {
        throw badInput([{ field: 'hook', message: `服务 ${id} 处理 ${service.hook}，收到 ${String(body.hook)}` }]);
      }
      const mapped = mapHookRequest(body, service.hook, app.config.now());
      if (mapped.mapped === 0) {
        request.trail.detail = { hook: service.hook, mapped: 0, skipped: mapped.skipped };
        return { cards: [] };
      }
      const normalized = normalizeCheckData(mapped.data);
      if (!normalized.ok) throw badInput(normalized.errors.map((e) => ({ field: `mapped.${e.field}`, message: e.message })));
      const out = runCheck(deps.check, normalized.value, { channel: 'cds', infno: null, msgid: null, hospital: null, actor: request.identity.actor, phase: '事前' });
      request.trail.detail = { hook: service.hook, check_id: out.checkId, mapped: mapped.mapped, skipped: mapped.skipped, findings: out.evaluation.result.length };
      await app.checkStore.room();
      return { cards: toCards(out.evaluation.result, out.evaluation.sources, out.rulebook, mapped.references) };
    },
  );

  app.post(
    '/cds-services/:id/feedback',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'CDS Hooks feedback (stored as 3103 dispositions)',
        params: serviceParams,
        body: {
          type: 'object',
          required: ['feedback'],
          properties: {
            feedback: {
              type: 'array',
              items: {
                type: 'object',
                required: ['card', 'outcome'],
                properties: {
                  card: { type: 'string' },
                  outcome: { type: 'string', enum: ['accepted', 'overridden'] },
                  acceptedSuggestions: { type: 'array' },
                  overrideReason: { type: 'object' },
                  outcomeTimestamp: { type: 'string' },
                },
              },
            },
          },
        },
        response: { 200: { type: 'object', properties: { stored: { type: 'integer' }, unknown: { type: 'array', items: { type: 'string' } } } }, '4xx': errorSchema },
      },
      config: { action: 'cds.feedback' },
      onRequest: guard,
    },
    async (request) => {
      const { id } = request.params;
      if (!CDS_SERVICES.some((s) => s.id === id)) throw new PreauditError(ErrorCode.notFound, `CDS service ${id}`);
      const items = request.body.feedback;
      const problems: FieldProblem[] = [];
      const dispositions: Disposition[] = [];
      items.forEach((f, i) => {
        const reason = isObject(f.overrideReason) ? f.overrideReason : {};
        const coding = isObject(reason.reason) ? reason.reason : {};
        const words = [coding.display ?? coding.code, reason.userComment].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
        if (f.outcome === 'overridden' && words.length === 0) {
          problems.push({ field: `feedback[${i}].overrideReason`, message: '忽略提醒继续执行时必须填写原因' });
          return;
        }
        dispositions.push({
          field: `feedback[${i}].card`,
          jr_id: String(f.card),
          warn_type: '1',
          dspo_way: f.outcome === 'overridden' ? '1' : '2',
          dspo_way_rea: words.length > 0 ? words.join('：').slice(0, 500) : null,
        });
      });
      if (problems.length > 0) throw badInput(problems, ErrorCode.reasonRequired);
      if (dispositions.length === 0) throw new PreauditError(ErrorCode.badInput, 'feedback 为空', [{ field: 'feedback', message: '应为非空数组' }]);
      const { stored, unknown } = await storeFeedback(deps.feedback, dispositions, {
        msgid: null,
        actor: request.identity.actor,
        role: request.identity.role,
        hospital: null,
        channel: 'cds',
      });
      request.trail.detail = { stored, unknown: unknown.length };
      return { stored, unknown };
    },
  );
}
