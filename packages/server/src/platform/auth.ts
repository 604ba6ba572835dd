/**
 * API keys and roles. With keys configured, every route but the public ones (`config.public`,
 * i.e. /health) needs `Authorization: Bearer <key>` (401 otherwise), and routes guarded with
 * `onRequest: app.requireRole(...)` answer 403 to other roles. admin passes every guard. Without
 * keys, everyone is `anonymous` (server.ts then binds to loopback only) and only requests with a
 * loopback Host (or one of `publicHosts`) and no foreign Origin are served (see same-origin.ts).
 * Both checks run in `onRequest`, before a byte of the body is read: a caller without the role
 * must not be able to make the server read and parse a 64 MB upload.
 *
 * People (console users, users/) are authenticated by the `pa_session` cookie instead: the
 * identity is the user's (actor = login name, role = USER_ROLE_AS[userRole]), and a state-changing
 * request must carry the session's CSRF token in `x-csrf-token` (403 otherwise). A key wins over a
 * cookie and needs no CSRF token. Without keys, once any user exists, an anonymous caller keeps
 * only the machine door (role doctor-station) and every other guarded route answers 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../options.js';
import { ErrorCode, PreauditError } from './errors.js';
import { checkSameOrigin } from './same-origin.js';

/** Who is calling. */
export interface Identity {
  /** A label safe to log: the role and a short digest of the key (never the key itself). */
  actor: string;
  /** The key's or user's role; `none` when authentication is off. */
  role: Role | 'none';
  /** Set when a person (a console user) is calling rather than a machine key. */
  userRole?: UserRole;
  /** The departments (HIS department codes) a `department` caller may see; undefined = no restriction. */
  departments?: readonly string[];
}

/**
 * A console user's role: insurance-office reviewer (审核员) and head (医保办主任) both act as
 * `insurance-office`; the head may also give the final decision (终审) and unmask patients; a
 * department head acts as `department` scoped to `departments`; bureau and admin as their roles.
 */
export type UserRole = 'reviewer' | 'head' | 'dept-head' | 'bureau' | 'admin';

/** The service role a user role acts as. */
export const USER_ROLE_AS: Readonly<Record<UserRole, Role>> = Object.freeze({
  reviewer: 'insurance-office',
  head: 'insurance-office',
  'dept-head': 'department',
  bureau: 'bureau',
  admin: 'admin',
});

/** May this caller see unmasked patient ids (the head and admin users, admin keys)? Each unmasking must be logged to the trail. */
export function mayUnmask(identity: Identity): boolean {
  return identity.role === 'admin' || identity.userRole === 'head';
}

/** The departments this caller is limited to, or undefined when it may see all. */
export function departmentScope(identity: Identity): readonly string[] | undefined {
  return identity.role === 'department' ? (identity.departments ?? []) : undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook refusing (403) callers whose role is not listed (admin always passes); register it as `onRequest`. */
    requireRole(...roles: Role[]): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The caller, set before the body is read. */
    identity: Identity;
  }
  interface FastifyContextConfig {
    /** Reachable without a key (only /health). */
    public?: boolean;
    /** false: a state-changing request authenticated by the session cookie needs no CSRF header (the login itself). */
    csrf?: boolean;
  }
}

/** Marks the hooks made by requireRole, so a route that registers one too late is refused at start-up. */
const ROLE_GUARD = Symbol('preaudit.roleGuard');

const ANONYMOUS: Identity = Object.freeze({ actor: 'anonymous', role: 'none' });
/** Without keys but with users: an anonymous caller keeps the machine door only (the HIS on loopback). */
const ANONYMOUS_MACHINE: Identity = Object.freeze({ actor: 'anonymous', role: 'doctor-station' });

/** The session cookie's name (users/plugin.ts) and the CSRF header. */
const SESSION_COOKIE = 'pa_session';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses (403) a state-changing request whose CSRF header does not match the session's token. */
function checkCsrf(request: FastifyRequest, expected: string): void {
  if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return;
  const got = request.headers[CSRF_HEADER];
  const a = Buffer.from(typeof got === 'string' ? got : '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new PreauditError(ErrorCode.forbidden, '缺少或错误的 CSRF 令牌（请求头 x-csrf-token）', [{ field: `headers.${CSRF_HEADER}`, message: '与会话的 CSRF 令牌不符' }]);
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Parses `Authorization: Bearer <key>` (also accepts the key alone in `x-api-key`). */
function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = request.headers['x-api-key'];
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

export default fp(
  async (app) => {
    // Keys are looked up by their digest, so the table holds no key and the lookup leaks no timing of a comparison.
    const byDigest = new Map<string, Identity>();
    for (const [key, role] of Object.entries(app.config.apiKeys)) {
      const d = digest(key);
      byDigest.set(d, Object.freeze({ actor: `${role}#${d.slice(0, 8)}`, role }));
    }
    const enabled = app.config.authEnabled;
    const publicHosts = app.config.publicHosts.map((h) => h.trim().toLowerCase()).filter(Boolean);

    app.decorateRequest('identity', null as unknown as Identity);

    // Console users (users/plugin.ts), when that plugin is registered.
    const users = app.hasDecorator('users') ? app.users : undefined;

    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.userSession = undefined;
      const key = enabled ? presentedKey(request) : undefined;
      if (key !== undefined) {
        const identity = byDigest.get(digest(key));
        if (identity) {
          request.identity = identity;
          return;
        }
        request.identity = ANONYMOUS;
        if (request.routeOptions.config?.public) return;
        throw new PreauditError(ErrorCode.unauthorized, '密钥无效');
      }
      if (!enabled) checkSameOrigin(request, publicHosts);
      const token = users ? request.cookies?.[SESSION_COOKIE] : undefined;
      if (users && token) {
        const session = await users.sessionFor(token);
        if (session) {
          request.identity = session.identity;
          request.userSession = session;
          checkCsrf(request, session.csrfToken);
          return;
        }
      }
      if (!enabled) {
        request.identity = users && (await users.anyUsers()) ? ANONYMOUS_MACHINE : ANONYMOUS;
        return;
      }
      request.identity = ANONYMOUS;
      if (request.routeOptions.config?.public) return;
      throw new PreauditError(ErrorCode.unauthorized, token ? '会话已过期或无效，请重新登录' : '缺少 Authorization: Bearer <key>');
    });

    app.decorate('requireRole', (...roles: Role[]): onRequestAsyncHookHandler => {
      const allowed = new Set<string>([...roles, 'admin']);
      const guard = async function requireRole(request: FastifyRequest, _reply: FastifyReply) {
        // Keyless mode with no users: everyone (loopback, same origin) may do everything, as before.
        if (!enabled && request.identity.role === 'none') return;
        if (!allowed.has(request.identity.role)) {
          if (request.identity === ANONYMOUS_MACHINE) throw new PreauditError(ErrorCode.unauthorized, '请先登录（已有控制台用户，未登录的请求只能调用事前审核接口）');
          throw new PreauditError(ErrorCode.forbidden, `角色 ${request.identity.role} 不能调用此接口（需要 ${roles.join(' / ')}）`);
        }
      };
      return Object.assign(guard, { [ROLE_GUARD]: true });
    });

    // A role guard among the preHandlers would run after the body is read: refuse such a route when it is declared.
    app.addHook('onRoute', (route) => {
      const late = [route.preValidation, route.preHandler, route.preParsing].flat().some((h) => typeof h === 'function' && ROLE_GUARD in h);
      if (late) throw new Error(`${[route.method].flat().join(',')} ${route.url}: app.requireRole(...) must be registered as onRequest (it would run after the body is read)`);
    });
  },
  { name: 'auth' },
);
