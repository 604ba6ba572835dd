/**
 * API keys and roles. With keys configured, every route but the public ones (`config.public`,
 * i.e. /health) needs `Authorization: Bearer <key>` (401 otherwise), and routes guarded with
 * `app.requireRole(...)` answer 403 to other roles. admin passes every guard. Without keys,
 * everyone is `anonymous` and nothing is refused (server.ts then binds to loopback only).
 */
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../../options.js';
import { ErrorCode, PreauditError } from '../../outcomes.js';

/** Who is calling. */
export interface Identity {
  /** A label safe to log: the role and a short digest of the key (never the key itself). */
  actor: string;
  /** The key's role; `none` when authentication is off. */
  role: Role | 'none';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler refusing (403) callers whose role is not listed (admin always passes). */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The caller, set before the body is read. */
    identity: Identity;
  }
  interface FastifyContextConfig {
    /** Reachable without a key (only /health). */
    public?: boolean;
  }
}

const ANONYMOUS: Identity = Object.freeze({ actor: 'anonymous', role: 'none' });

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

    app.decorateRequest('identity', null as unknown as Identity);

    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!enabled) {
        request.identity = ANONYMOUS;
        return;
      }
      const key = presentedKey(request);
      const identity = key === undefined ? undefined : byDigest.get(digest(key));
      if (identity) {
        request.identity = identity;
        return;
      }
      request.identity = ANONYMOUS;
      if (request.routeOptions.config?.public) return;
      throw new PreauditError(ErrorCode.unauthorized, key === undefined ? '缺少 Authorization: Bearer <key>' : '密钥无效');
    });

    app.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => {
      const allowed = new Set<string>([...roles, 'admin']);
      return async function requireRole(request: FastifyRequest, _reply: FastifyReply) {
        if (!enabled) return;
        if (!allowed.has(request.identity.role)) {
          throw new PreauditError(ErrorCode.forbidden, `角色 ${request.identity.role} 不能调用此接口（需要 ${roles.join(' / ')}）`);
        }
      };
    });
  },
  { name: 'auth' },
);
