/**
 * Test support only (used by the rulebook tests; nothing in the service imports it).
 * A bureau feed served over real HTTP on 127.0.0.1 (port 0) from a folder: answers
 * feed.json and bundle files with ETag and Last-Modified, 304 to a matching conditional
 * request, and can be switched "down" (503) to exercise backoff. A test can answer a path itself
 * (`handlers`: redirects, oversized or stalled bodies). Records every request (status 0 = handled by the test).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A running feed server. */
export interface FeedServer {
  /** Base URL ending in '/'. */
  url: string;
  /** Every request: path, status, and the conditional headers it carried. */
  requests: Array<{ path: string; status: number; ifNoneMatch?: string; ifModifiedSince?: string }>;
  /** true = answer 503 to everything. */
  down: boolean;
  /** Answers of one path written by the test (a redirect, an endless body, a stall), by path without the leading '/'. */
  handlers: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves `dir` until closed. */
export async function startFeedServer(dir: string): Promise<FeedServer> {
  const state: FeedServer = { url: '', requests: [], down: false, handlers: new Map(), close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const record = (status: number) =>
      state.requests.push({
        path,
        status,
        ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
        ...(req.headers['if-modified-since'] ? { ifModifiedSince: String(req.headers['if-modified-since']) } : {}),
      });
    if (state.down) {
      record(503);
      res.writeHead(503).end('maintenance');
      return;
    }
    const handler = state.handlers.get(path);
    if (handler) {
      record(0);
      handler(req, res);
      return;
    }
    if (path.includes('/') || path.startsWith('.')) {
      record(404);
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(join(dir, path));
    } catch {
      record(404);
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const lastModified = statSync(join(dir, path)).mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      record(304);
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    record(200);
    res.writeHead(200, { 'content-type': 'application/json', etag, 'last-modified': lastModified }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      // A test's stalled answer must not keep the server open.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
