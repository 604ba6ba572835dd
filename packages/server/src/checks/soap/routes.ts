/**
 * SOAP WebService for HIS software that speaks only WebService: GET /soap?wsdl, POST /soap.
 * The `soap` package parses the envelope and builds the response (serverless mode, so the call
 * goes through Fastify's auth, trail and metrics like every other route). The operation
 * always answers with a national reply string; only an unreadable SOAP message is a fault (400).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import soap from 'soap';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readText } from '@preaudit/core-rules';
import { ErrorCode, PreauditError, toPreauditError } from '../../platform/errors.js';
import { envelopeDeps, handleEnvelope } from '../nhsa/handle.js';
import { describeCause, nationalError } from '../../platform/error-handler.js';
import { wsdl } from './wsdl.js';
import { hostName, isLoopbackName } from '../../platform/same-origin.js';

/**
 * The address the WSDL gives for the endpoint. The Host header is the caller's to write: it is
 * used only when it names loopback or a configured public name; otherwise the address the
 * connection came in on (so a forged Host never reaches a client that follows the WSDL).
 */
function endpointHost(request: FastifyRequest, publicHosts: readonly string[]): string {
  const name = hostName(request.host);
  if (isLoopbackName(name) || publicHosts.includes(name)) return request.host;
  const address = (request.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const port = request.socket.localPort ? `:${request.socket.localPort}` : '';
  return `${address.includes(':') ? `[${address}]` : address}${port}`;
}

export default async function soapRoutes(app: FastifyInstance): Promise<void> {
  const deps = envelopeDeps(app);
  // The soap library calls the operation synchronously from processRequest; the request rides along here.
  const current = new AsyncLocalStorage<FastifyRequest>();
  const publicHosts = app.config.publicHosts.map((h) => h.trim().toLowerCase());

  async function businessHandle(args: { input?: unknown }): Promise<{ output: string }> {
    const request = current.getStore()!;
    let output: string;
    try {
      if (typeof args?.input !== 'string' || args.input.trim() === '') {
        throw new PreauditError(ErrorCode.badInput, 'input 为空（应为国家接口报文 JSON 字符串）', [{ field: 'input', message: '缺少必填字段' }]);
      }
      let envelope: unknown;
      try {
        envelope = JSON.parse(args.input);
      } catch (err) {
        throw new PreauditError(ErrorCode.badJson, (err as Error).message);
      }
      output = await handleEnvelope(deps, request, envelope, 'soap');
    } catch (err) {
      const e = toPreauditError(err);
      if (e.statusCode >= 500) request.log.error({ code: e.code, cause: describeCause(e.cause ?? e) }, 'SOAP call failed');
      request.trail.outcome = e.code;
      app.metrics.errors.inc({ code: e.code });
      output = JSON.stringify(nationalError(e.message));
    }
    return { output };
  }

  const services = { PreauditService: { PreauditPort: { BusinessHandle: businessHandle } } };
  const server = await new Promise<soap.Server>((resolve, reject) => {
    const s: soap.Server = soap.listen(null, {
      path: '/soap',
      services,
      xml: wsdl('http://localhost/soap'),
      callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(readText(err))) : resolve(s)),
    } as soap.IServerOptions);
  });

  app.get(
    '/soap',
    {
      schema: { tags: ['soap'], summary: 'WSDL of the SOAP service (GET /soap?wsdl)', produces: ['text/xml'] },
      config: { action: 'soap.wsdl', shape: 'soap' },
    },
    async (request, reply) => {
      reply.type('text/xml; charset=utf-8');
      return wsdl(`${request.protocol}://${endpointHost(request, publicHosts)}/soap`);
    },
  );

  app.post(
    '/soap',
    {
      schema: {
        tags: ['soap'],
        summary: 'SOAP endpoint: BusinessHandle(input: national envelope JSON) → output: national reply JSON',
        consumes: ['text/xml', 'application/soap+xml'],
        produces: ['text/xml'],
      },
      config: { action: 'soap.call', shape: 'soap' },
      onRequest: app.requireRole('doctor-station'),
    },
    async (request, reply) => {
      const xml = request.body;
      if (typeof xml !== 'string' || xml.trim() === '') throw new PreauditError(ErrorCode.badInput, 'SOAP 报文为空或不是 XML');
      const res = await current.run(request, () => server.processRequest(xml, { headers: request.headers, url: '/soap' }));
      if (res.statusCode >= 500) {
        // The library answers 500 with a stack trace for XML it cannot read; that is the caller's fault.
        throw new PreauditError(ErrorCode.badInput, 'SOAP 报文无法解析（应为调用 BusinessHandle 的 SOAP 1.1 报文）');
      }
      reply.code(res.statusCode).type('text/xml; charset=utf-8');
      return res.body;
    },
  );
}
