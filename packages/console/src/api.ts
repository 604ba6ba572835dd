/**
 * The one way the console talks to the service: same origin, the session cookie, and the CSRF
 * token on every state-changing request (see the console-auth contract). Errors carry the
 * service's Chinese message so pages can show it as is.
 */

/** An error answer of the service. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (from POST/GET /v1/session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function csrfFromCookie(): string | null {
  const m = /(?:^|;\s*)pa_csrf=([^;]+)/.exec(typeof document === 'undefined' ? '' : document.cookie);
  return m ? decodeURIComponent(m[1]) : null;
}

/** Query string from an object, skipping empty values; arrays become comma lists. */
export function query(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    const text = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Calls the service; resolves with the JSON body (undefined for 204), rejects with ApiError. */
export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken ?? csrfFromCookie();
    if (token) headers['x-csrf-token'] = token;
  }
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    // The service's error body: { statusCode, code, error (the message), fields? }.
    const e = (data ?? {}) as { code?: string; error?: string; message?: string; fields?: Array<{ field: string; message: string }> };
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.error ?? e.message ?? `请求失败（HTTP ${res.status}）`, e.fields ?? []);
  }
  return data as T;
}

/** Starts a browser download of a service URL (XLSX exports); the cookie goes along. */
export function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

/** The human text of an error for ElMessage. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.fields.length ? `${err.message}（${err.fields.map((f) => f.field).join('、')}）` : err.message;
  return err instanceof Error ? err.message : String(err);
}
