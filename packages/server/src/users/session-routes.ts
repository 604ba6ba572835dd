/**
 * The console's session (people, not keys):
 *   POST   /v1/session            log in: { username, password } → the session, cookies set
 *   GET    /v1/session            who am I: identity, user, permissions, CSRF token
 *   DELETE /v1/session            log out
 *   POST   /v1/session/password   change one's own password
 * Every failure of a login answers the same 401, whatever the reason (unknown user, wrong
 * password, disabled, locked); the reason goes to the trail only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SchemaTypes } from '../platform/type-provider.js';
import { departmentScope, mayUnmask, USER_ROLE_AS, type Identity } from '../platform/auth.js';
import { ErrorCode, PreauditError } from '../platform/errors.js';
import { errorSchema } from '../platform/schemas.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './plugin.js';
import { normaliseUsername, userView, type ActiveSession } from './service.js';
import { changePasswordBody, loginBody, sessionSchema } from './schemas.js';
import { resolveUsersOptions } from './options.js';

/** The one answer to every failed login. */
export const LOGIN_FAILED = '用户名或密码错误，或账号已停用/锁定';

/** What GET /v1/session and a login answer. */
function sessionView(identity: Identity, session: ActiveSession | undefined, loginRequired: boolean, now: Date) {
  const role = identity.role;
  return {
    authMode: session ? 'session' : role === 'none' || identity.actor === 'anonymous' ? 'none' : 'key',
    loginRequired,
    identity: {
      actor: identity.actor,
      role,
      ...(identity.userRole ? { userRole: identity.userRole } : {}),
      ...(identity.departments ? { departments: [...identity.departments] } : {}),
    },
    user: session ? userView(session.user, now) : null,
    permissions: {
      mayUnmask: mayUnmask(identity),
      finalDecision: role === 'admin' || identity.userRole === 'head',
      review: role === 'admin' || role === 'insurance-office',
      manageUsers: role === 'admin',
      rulebooks: role === 'admin' || role === 'bureau',
      departmentScope: departmentScope(identity) ? [...departmentScope(identity)!] : null,
    },
    csrfToken: session?.csrfToken ?? null,
    expiresAt: session?.expiresAt ?? null,
  };
}

export default async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<SchemaTypes>();
  const options = resolveUsersOptions(app.config.users);

  const cookieOptions = (request: FastifyRequest, httpOnly: boolean) => ({
    httpOnly,
    sameSite: 'strict' as const,
    path: '/',
    secure: request.protocol === 'https',
    maxAge: Math.floor(options.sessionTtlMs / 1000),
  });
  const clearCookies = (request: FastifyRequest, reply: FastifyReply) => {
    const { maxAge: _m, ...base } = cookieOptions(request, true);
    reply.clearCookie(SESSION_COOKIE, base);
    reply.clearCookie(CSRF_COOKIE, { ...base, httpOnly: false });
  };

  app.post(
    '/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: '登录 log in (console users)',
        description: 'Sets the HttpOnly session cookie `pa_session` and the `pa_csrf` cookie; answers the session with its CSRF token. Any failure: 401 with one message.',
        body: loginBody,
        response: { 200: sessionSchema, '4xx': errorSchema },
      },
      config: { action: 'session.login', public: true, csrf: false },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      request.trail.ref = normaliseUsername(username).slice(0, 64);
      const result = await app.users.login(username, password, { ip: request.ip, userAgent: request.headers['user-agent'] });
      if (!result.ok) {
        request.trail.detail = { reason: result.reason };
        if (result.lockedNow) {
          request.trail.detail.lockedUntil = result.lockedUntil;
          const user = await app.users.get(username);
          app.trail.append({
            actor: 'system',
            role: 'system',
            route: '/v1/session',
            action: 'user.locked',
            ref: request.trail.ref,
            outcome: 'ok',
            detail: { lockedUntil: result.lockedUntil, failures: options.maxFailures, ip: request.ip, userRole: user?.user_role },
          });
        }
        throw new PreauditError(ErrorCode.unauthorized, LOGIN_FAILED);
      }
      // From here the request is the user's: the trail row names them.
      request.identity = result.session.identity;
      request.userSession = result.session;
      request.trail.detail = { userRole: result.user.user_role, role: USER_ROLE_AS[result.user.user_role] };
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request, true));
      reply.setCookie(CSRF_COOKIE, result.session.csrfToken, cookieOptions(request, false));
      return sessionView(result.session.identity, result.session, true, app.config.now());
    },
  );

  app.get(
    '/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: '当前用户 who am I',
        description: '401 when nobody is logged in and a login is required (keys configured, or users exist).',
        response: { 200: sessionSchema, '4xx': errorSchema },
      },
      config: { action: 'session.get', public: true },
    },
    async (request, reply) => {
      const { identity, userSession } = request;
      const anyUsers = await app.users.anyUsers();
      const loginRequired = app.config.authEnabled || anyUsers;
      if (!userSession && (identity.actor === 'anonymous' || identity.role === 'none') && loginRequired) {
        if (request.cookies?.[SESSION_COOKIE]) clearCookies(request, reply);
        throw new PreauditError(ErrorCode.unauthorized, '未登录或会话已过期');
      }
      if (userSession) request.trail.ref = userSession.user.username;
      return sessionView(identity, userSession, loginRequired, app.config.now());
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: { tags: ['session'], summary: '退出登录 log out', response: { 204: { type: 'null' }, '4xx': errorSchema } },
      config: { action: 'session.logout', public: true },
    },
    async (request, reply) => {
      if (request.userSession) {
        request.trail.ref = request.userSession.user.username;
        await app.users.logout(request.userSession.idHash);
      }
      clearCookies(request, reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/session/password',
    {
      schema: {
        tags: ['session'],
        summary: '修改密码 change my password',
        description: 'The current password must match; the policy applies to the new one; other sessions of the user end.',
        body: changePasswordBody,
        response: { 204: { type: 'null' }, '4xx': errorSchema },
      },
      config: { action: 'session.password' },
    },
    async (request, reply) => {
      const session = request.userSession;
      if (!session) throw new PreauditError(ErrorCode.unauthorized, '只有登录的用户可以修改自己的密码');
      request.trail.ref = session.user.username;
      await app.users.changeOwnPassword(session, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send();
    },
  );
}
