/**
 * Without API keys the service trusts whoever can reach loopback. A web page open in a browser on
 * the same machine can reach loopback too: it can post forms (CSRF) and, through a DNS name it
 * controls that resolves to 127.0.0.1, even read the replies (DNS rebinding). Neither carries a
 * loopback Host with a matching Origin, so that is what a keyless request must show.
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCode, PreauditError } from './errors.js';

/** Host names that are loopback whatever the resolver says. */
const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** The host name of a Host header value (`[::1]:8080` → `[::1]`, `Localhost:80` → `localhost`). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`. */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `host[:port]` with the scheme's default port made explicit, for comparing an Origin with a Host. */
function withPort(hostPort: string, scheme: 'http' | 'https'): string {
  const name = hostName(hostPort);
  const rest = hostPort.trim().toLowerCase().slice(name.length);
  const port = rest.startsWith(':') && rest.length > 1 ? rest.slice(1) : scheme === 'https' ? '443' : '80';
  return `${name}:${port}`;
}

/**
 * Refuses (403, naming the header) a keyless request whose Host is neither loopback nor one of
 * `publicHosts`, or whose Origin is present and not the same origin as its Host.
 */
export function checkSameOrigin(request: FastifyRequest, publicHosts: readonly string[]): void {
  const host = request.headers.host;
  // HTTP/1.0 clients may omit Host; a browser never does.
  if (typeof host === 'string' && host !== '') {
    const name = hostName(host);
    if (!isLoopbackName(name) && !publicHosts.includes(name)) {
      throw new PreauditError(ErrorCode.forbidden, '未配置密钥时只接受本机地址的请求（Host 不是本机名称，可设置 PA_PUBLIC_HOSTS）', [
        { field: 'headers.host', message: '不是本机地址或已配置的主机名' },
      ]);
    }
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let same = false;
  try {
    const url = new URL(String(origin));
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    same =
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      typeof host === 'string' &&
      withPort(url.host, scheme) === withPort(host, request.protocol === 'https' ? 'https' : 'http');
  } catch {
    same = false; // `null` (sandboxed pages, file://) and anything unparsable
  }
  if (!same) {
    throw new PreauditError(ErrorCode.forbidden, '未配置密钥时不接受其他网页发起的请求（Origin 与 Host 不同源）', [{ field: 'headers.origin', message: '与 Host 不同源' }]);
  }
}
