/**
 * The one error handler: every error becomes a PreauditError (stable code, status from
 * errors.ts) and is answered in the shape the route's callers expect (`config.shape`):
 * the national reply (`infcode: -1`, HTTP 200 except 401/403/413/415), a SOAP fault, or JSON.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, PreauditError, toPreauditError } from './errors.js';

/** How a route's errors are answered. */
export type ReplyShape = 'nhsa' | 'soap' | 'json';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error reply shape (default json). */
    shape?: ReplyShape;
  }
}

/** HTTP statuses that stay HTTP statuses on the national routes; every other error is `infcode: -1` with 200. */
const NATIONAL_HTTP = new Set([401, 403, 413, 415]);

/** The national error reply. */
export function nationalError(message: string): { infcode: number; err_msg: string; warn_msg: string; output: { result: [] } } {
  return { infcode: -1, err_msg: message, warn_msg: '', output: { result: [] } };
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A SOAP 1.1 fault envelope. */
function soapFault(err: PreauditError): string {
  const who = err.statusCode < 500 ? 'soap:Client' : 'soap:Server';
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
    `<faultcode>${who}</faultcode><faultstring>${xmlEscape(err.message)}</faultstring>` +
    `<detail><code>${err.code}</code></detail></soap:Fault></soap:Body></soap:Envelope>`
  );
}

/** What the log keeps of the error behind a failure: its type, code, first 500 characters and the top of its stack. */
export function describeCause(cause: unknown): { type: string; code?: string; message: string; stack?: string } {
  if (!(cause instanceof Error)) return { type: typeof cause, message: String(cause).slice(0, 500) };
  const code = (cause as { code?: unknown }).code;
  return {
    type: cause.constructor?.name ?? cause.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    message: cause.message.slice(0, 500),
    stack: cause.stack?.split('\n').slice(1, 8).join('\n'),
  };
}

/** Sends `err` in the route's shape; also used by handlers that catch their own errors. */
function sendError(request: FastifyRequest, reply: FastifyReply, err: PreauditError): FastifyReply {
  if (request.trail) {
    request.trail.outcome = err.code;
    if (err.refusals) request.trail.detail = { ...request.trail.detail, refusals: [...new Set(err.refusals.map((r) => r.reason))] };
  }
  reply.server.metrics?.errors.inc({ code: err.code });
  // Refusals log field names only: their messages may quote the offending values, and logs must never hold patient data.
  // Failures log their cause (type, code, message, where): without it nobody can tell what broke.
  if (err.statusCode >= 500) request.log.error({ code: err.code, cause: describeCause(err.cause ?? err) }, 'request failed');
  else request.log.info({ code: err.code, fields: err.fields.slice(0, 20).map((f) => f.field) }, 'request refused');
  reply.header('x-pa-error', err.code);
  const shape = request.routeOptions.config?.shape ?? 'json';
  if (shape === 'nhsa') {
    return reply.code(NATIONAL_HTTP.has(err.statusCode) ? err.statusCode : 200).send(nationalError(err.message));
  }
  if (shape === 'soap') {
    // SOAP 1.1 wants 500 for faults; we keep to 4xx for the caller's faults so monitoring never sees a 5xx for bad input.
    return reply.code(err.statusCode).type('text/xml; charset=utf-8').send(soapFault(err));
  }
  return reply.code(err.statusCode).send({
    statusCode: err.statusCode,
    code: err.code,
    error: err.message,
    ...(err.fields.length > 0 ? { fields: err.fields } : {}),
    ...(err.refusals ? { refusals: err.refusals } : {}),
  });
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => sendError(request, reply, toPreauditError(error)));
    app.setNotFoundHandler((request, reply) => sendError(request, reply, new PreauditError(ErrorCode.notFound, `${request.method} ${request.url.split('?')[0]}`)));
  },
  { name: 'error-handler', dependencies: ['metrics'] },
);
