/**
 * User management (admin role: admin users or admin keys):
 *   GET   /v1/users                      users, by login name (q filters, paged ≤ 200)
 *   POST  /v1/users                      create a user
 *   GET   /v1/users/:username            one user
 *   PATCH /v1/users/:username            display name, role, departments, disabled, unlock
 *   POST  /v1/users/:username/password   reset the password (unlocks; ends the user's sessions)
 * Passwords never appear in replies or in the trail.
 */
import type { FastifyInstance } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { userView } from './service.js';
import { createUserBody, listQuery, patchUserBody, resetPasswordBody, userSchema, usernameParams } from './schemas.js';

export default async function userRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const guard = app.requireRole('admin');
  const now = () => app.config.now();

  app.get(
    '/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: '用户列表 users',
        querystring: listQuery,
        response: {
          200: { type: 'object', properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, items: { type: 'array', items: userSchema } } },
          '4xx': errorSchema,
        },
      },
      config: { action: 'user.list' },
      onRequest: guard,
    },
    async (request) => {
      const { q, limit, offset } = request.query;
      const page = await app.users.list({ q, limit, offset });
      return { total: page.total, limit, offset, items: page.rows.map((r) => userView(r, now())) };
    },
  );

  app.post(
    '/v1/users',
    {
      schema: { tags: ['users'], summary: '新建用户 create a user', body: createUserBody, response: { 201: userSchema, '4xx': errorSchema } },
      config: { action: 'user.create' },
      onRequest: guard,
    },
    async (request, reply) => {
      const body = request.body;
      request.trail.ref = String(body.username).slice(0, 64);
      const row = await app.users.create(body, request.identity.actor);
      request.trail.ref = row.username;
      request.trail.detail = { userRole: row.user_role, departments: body.departments ?? [] };
      reply.code(201).header('location', `/v1/users/${encodeURIComponent(row.username)}`);
      return userView(row, now());
    },
  );

  app.get(
    '/v1/users/:username',
    {
      schema: { tags: ['users'], summary: '用户 one user', params: usernameParams, response: { 200: userSchema, '4xx': errorSchema } },
      config: { action: 'user.get' },
      onRequest: guard,
    },
    async (request) => {
      const { username } = request.params;
      request.trail.ref = username;
      const row = await app.users.get(username);
      if (!row) throw new PreauditError(ErrorCode.notFound, `用户 ${username} 不存在`);
      return userView(row, now());
    },
  );

  app.patch(
    '/v1/users/:username',
    {
      schema: {
        tags: ['users'],
        summary: '修改用户 change role, departments, name; disable or unlock',
        description: 'Disabling a user, or changing their role or departments, ends their sessions. The last enabled admin cannot be disabled or demoted.',
        params: usernameParams,
        body: patchUserBody,
        response: { 200: userSchema, '4xx': errorSchema },
      },
      config: { action: 'user.update' },
      onRequest: guard,
    },
    async (request) => {
      const { username } = request.params;
      request.trail.ref = username;
      request.trail.detail = { changes: request.body };
      const row = await app.users.update(username, request.body, request.identity.actor);
      return userView(row, now());
    },
  );

  app.post(
    '/v1/users/:username/password',
    {
      schema: {
        tags: ['users'],
        summary: '重置密码 reset a password',
        description: 'Sets a new password (the policy applies), unlocks the account and ends its sessions.',
        params: usernameParams,
        body: resetPasswordBody,
        response: { 200: userSchema, '4xx': errorSchema },
      },
      config: { action: 'user.password-reset' },
      onRequest: guard,
    },
    async (request) => {
      const { username } = request.params;
      request.trail.ref = username;
      const row = await app.users.resetPassword(username, request.body.password, request.identity.actor);
      return userView(row, now());
    },
  );
}
