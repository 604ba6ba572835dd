/**
 * OpenAPI document generated from the route schemas (@fastify/swagger), served at
 * /openapi.json, with Swagger UI at /docs.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'preaudit 医保事前事中审核服务',
          description:
            'Real-time medical-insurance pre-audit (医保事前提醒 / 事中审核): the national 3101/3102/3103 interface, ' +
            '/v1/check, CDS Hooks 2.0, SOAP, reports. With API keys configured every route but /health needs `Authorization: Bearer <key>`.',
          version: '0.1.0',
        },
        tags: [
          { name: 'national', description: '国家医保 3101/3102/3103 (legacy 3660/3661)' },
          { name: 'check', description: 'Checks without the national envelope' },
          { name: 'cds-hooks', description: 'CDS Hooks 2.0 services' },
          { name: 'soap', description: 'SOAP WebService for HIS that speak only WebService' },
          { name: 'reports', description: 'Reports for the insurance office' },
          { name: 'audit-jobs', description: 'Batch audits (事中/事后) over HIS views and web services' },
          { name: 'rulebooks', description: 'Signed rulebooks from the bureau: upload, versions, activation, rollback, shadow run, diff (RULEBOOKS.md)' },
          { name: 'layer', description: "The hospital's own layer above the bureau's rulebook: local rules, overrides, exemptions (白名单) and their approval" },
          { name: 'ops', description: 'Health, metrics, documentation' },
          { name: 'session', description: 'Console log-in (people, not keys): the pa_session cookie; POST/PUT/PATCH/DELETE need x-csrf-token' },
          { name: 'users', description: 'Console users and their roles (admin)' },
        ],
        components: {
          securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 'pa_session' } },
        },
        security: [{ apiKey: [] }, { sessionCookie: [] }],
      },
      // Routes validate a shallow body and describe the full one in `docBody` (see schemas/national.ts).
      transform: ({ schema, url }) => {
        const s = schema as Record<string, unknown> | undefined;
        if (!s || !s.docBody) return { schema: schema, url };
        const { docBody, ...rest } = s;
        return { schema: { ...rest, body: docBody }, url };
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
    app.get('/openapi.json', { schema: { hide: true }, config: { action: 'docs.openapi' } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
