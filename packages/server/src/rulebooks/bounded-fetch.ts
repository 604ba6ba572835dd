/**
 * One HTTP GET for pull mode, bounded in every way an untrusted feed could abuse: only to
 * allowed origins (the feed's own, plus an explicit allow-list), redirects followed by hand and
 * only while they stay on those origins, a few hops at most, one timeout over every hop and the
 * body, and a byte cap enforced while the body streams in (the download is aborted past it).
 */

/** Limits of {@link boundedFetch}. */
export interface BoundedFetchOptions {
  /** Origins (`https://host:port`) the request and every redirect may go to. */
  allowedOrigins: readonly string[];
  /** Largest body read, in bytes; beyond it the download is aborted. */
  maxBytes: number;
  /** Redirect hops followed at most. Default 3. */
  maxRedirects?: number;
  /** Give up after this long, every hop and the body included, ms. Default 30 s. */
  timeoutMs?: number;
  /** Request headers. */
  headers?: Record<string, string>;
  /** What is fetched, for messages ("feed", "bundle"). */
  what: string;
}

/** The final answer: status, headers, the URL it came from, and the body (empty unless 2xx). */
export interface BoundedResponse {
  status: number;
  headers: Headers;
  url: string;
  body: Buffer;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** `https://host:port` of a URL, or 'null' for schemes without one (file:, data:). */
export function originOf(url: string | URL): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/** GETs `url` within the limits; throws (naming the limit) when one is crossed. */
export async function boundedFetch(url: string, options: BoundedFetchOptions): Promise<BoundedResponse> {
  const allowed = new Set(options.allowedOrigins.map(originOf));
  const maxRedirects = options.maxRedirects ?? 3;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let current = new URL(url);
  if (!allowed.has(current.origin)) throw new Error(`${options.what} ${current.href}: origin ${current.origin} is not the feed origin (allowed: ${[...allowed].join(', ')})`);
  for (let hops = 0; ; hops++) {
    const res = await fetch(current, { headers: options.headers, redirect: 'manual', signal });
    if (REDIRECT.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new Error(`${options.what} ${current.href}: HTTP ${res.status} without a Location`);
      if (hops >= maxRedirects) throw new Error(`${options.what} ${url}: more than ${maxRedirects} redirects`);
      const next = new URL(location, current);
      if (!allowed.has(next.origin)) throw new Error(`${options.what} ${current.href}: redirect to ${next.origin} leaves the allowed origins (${[...allowed].join(', ')})`);
      current = next;
      continue;
    }
    if (res.status < 200 || res.status > 299 || !res.body) {
      await res.body?.cancel();
      return { status: res.status, headers: res.headers, url: current.href, body: Buffer.alloc(0) };
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await res.body.cancel();
      throw new Error(`${options.what} ${current.href}: ${declared} bytes exceeds the limit of ${options.maxBytes} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        throw new Error(`${options.what} ${current.href}: more than the limit of ${options.maxBytes} bytes`);
      }
      chunks.push(value);
    }
    return { status: res.status, headers: res.headers, url: current.href, body: Buffer.concat(chunks) };
  }
}
