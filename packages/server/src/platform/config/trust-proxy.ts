/**
 * PA_TRUST_PROXY as Fastify's `trustProxy`: `true`/`false`, a hop count, or a list of proxy
 * addresses and CIDR ranges. Without it, X-Forwarded-* headers are ignored (anyone could send them).
 */
import net from 'node:net';

/** Parses the setting; throws a message (without the variable name) when it is none of the forms. */
export function parseTrustProxy(text: string): boolean | number | string[] {
  const v = text.trim();
  if (/^(true|yes|on)$/i.test(v)) return true;
  if (/^(false|no|off)$/i.test(v)) return false;
  if (/^[0-9]+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    const [addr, bits, ...rest] = entry.split('/');
    const family = net.isIP(addr);
    const max = family === 6 ? 128 : 32;
    if (!family || rest.length || (bits !== undefined && !(/^[0-9]+$/.test(bits) && Number(bits) <= max))) {
      throw new Error(`"${entry}" is no address or CIDR range (expected true, a hop count, or addresses like 127.0.0.1,10.0.0.0/8)`);
    }
  }
  if (!list.length) throw new Error('empty (expected true, a hop count, or addresses like 127.0.0.1,10.0.0.0/8)');
  return list;
}
