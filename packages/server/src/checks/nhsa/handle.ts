/**
 * The national interface, whichever door the envelope came through (HTTP or SOAP):
 * dispatch on infno, normalise `input.data`, check or store feedback, build the national reply.
 */
import { normalizeCheckData, readText, textProblem, type Phase } from '@preaudit/core-rules';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, PreauditError, badInput } from '../../platform/errors.js';
import { checkDeps, nationalReplyJson, runCheck, type CheckDeps } from '../run-check.js';
import { evaluationWarning } from '../check-limits.js';
import { feedbackDeps, parseFeedback, storeFeedback, unknownWarning, type FeedbackDeps } from '../feedback.js';
import type { Channel } from '../check-record.js';
import type { CheckStore } from '../check-store.js';

/** What handling an envelope needs of the service: a check's, feedback's, and the record queue's room. */
export interface EnvelopeDeps {
  check: CheckDeps;
  feedback: FeedbackDeps;
  /** Waits while the record queue is full (backpressure before the reply). */
  checkStore: Pick<CheckStore, 'room'>;
}

/** The dependencies of `handleEnvelope`, taken from the app once (when a door's routes register). */
export function envelopeDeps(app: FastifyInstance): EnvelopeDeps {
  return { check: checkDeps(app), feedback: feedbackDeps(app), checkStore: app.checkStore };
}

/** The transactions served, and what each means (a Map: infno comes from the input, and `constructor` is no transaction). */
const TRANSACTIONS = new Map<string, { family: '3101' | '3102' | '3103'; phase?: Phase }>([
  ['3101', { family: '3101', phase: '事前' }],
  ['3660', { family: '3101', phase: '事前' }],
  ['3102', { family: '3102', phase: '事中' }],
  ['3661', { family: '3102', phase: '事中' }],
  ['3103', { family: '3103' }],
]);

/** infno values accepted. */
const KNOWN_INFNO = [...TRANSACTIONS.keys()];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const opt = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Handles one envelope and returns the national reply as JSON text. `family` restricts the
 * transaction (the /nhsa/3101 route accepts 3101 and 3660 only); without it any known infno is
 * served. Throws PreauditError on bad input.
 */
export async function handleEnvelope(
  deps: EnvelopeDeps,
  request: FastifyRequest,
  body: unknown,
  channel: Extract<Channel, 'nhsa' | 'soap'>,
  family?: '3101' | '3102' | '3103',
): Promise<string> {
  if (!isObject(body)) throw badInput([{ field: 'body', message: '应为 JSON 对象（国家接口报文）' }]);
  const infno = body.infno === undefined || body.infno === null ? '' : readText(body.infno).trim();
  const msgid = opt(body.msgid);
  request.trail.ref = msgid ?? undefined;
  request.trail.detail = { infno };
  if (infno === '') throw badInput([{ field: 'infno', message: '缺少必填字段' }]);
  // Envelope strings go into stored columns as they are: refused here like those of input.data.
  const unstorable = (['msgid', 'fixmedins_code', 'infno'] as const).flatMap((field) => {
    const v = body[field];
    const problem = typeof v === 'string' ? textProblem(v) : undefined;
    return problem ? [{ field, message: problem }] : [];
  });
  if (unstorable.length > 0) throw badInput(unstorable);
  const tx = TRANSACTIONS.get(infno);
  if (!tx) throw new PreauditError(ErrorCode.unknownInfno, `infno=${infno.slice(0, 20)}（支持 ${KNOWN_INFNO.join('/')}）`, [{ field: 'infno', message: '不支持的交易编号' }]);
  if (family && tx.family !== family) {
    throw badInput([{ field: 'infno', message: `交易编号 ${infno} 与接口 ${family} 不符` }]);
  }
  const input = body.input;
  if (!isObject(input) || input.data === undefined) throw badInput([{ field: isObject(input) ? 'input.data' : 'input', message: '缺少必填字段' }]);

  if (tx.family === '3103') {
    const items = parseFeedback(input.data);
    const { stored, unknown } = await storeFeedback(deps.feedback, items, {
      msgid,
      actor: request.identity.actor,
      role: request.identity.role,
      hospital: opt(body.fixmedins_code),
      channel,
    });
    request.trail.detail = { infno, stored, unknown: unknown.length };
    return nationalReplyJson('[]', unknownWarning(unknown));
  }

  const normalized = normalizeCheckData(input.data);
  if (!normalized.ok) {
    throw badInput(normalized.errors.map((e) => ({ field: `input.data.${e.field}`, message: e.message })));
  }
  const data = normalized.value;
  if (data.task_id) request.trail.ref = msgid ? `${msgid} ${data.task_id}` : data.task_id;
  const out = runCheck(deps.check, data, { channel, infno, msgid, hospital: opt(body.fixmedins_code), actor: request.identity.actor, phase: tx.phase });
  request.trail.detail = { infno, check_id: out.checkId, findings: out.evaluation.result.length };
  await deps.checkStore.room();
  return nationalReplyJson(out.resultJson, evaluationWarning(out.evaluation));
}
