/**
 * Misbehaving services on 127.0.0.1 for the failure modes the bridge must
 * survive: down (a closed port), hang (accepts, reads, never answers),
 * garbage (answers bytes that are not HTTP), html (HTTP 200 that is not JSON),
 * huge (a valid 9 MB JSON reply, chunked, so no length warns in advance).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startChild } from './child.js';

/** Base URLs of the stub services and a close() for all of them. */
export interface Stubs extends StubUrls {
  close(): Promise<void>;
}

/** Base URLs of the stub services. */
export interface StubUrls {
  down: string;
  hang: string;
  garbage: string;
  html: string;
  huge: string;
  /** Size in bytes of the huge reply body. */
  hugeBytes: number;
}

function url(server: net.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function listen(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  return sockets;
}

/** A 3101 reply with enough findings to pass `bytes`. */
function hugeReply(bytes: number): string {
  const finding = {
    jr_id: 'J0',
    rule_id: 'GZ10000301004000',
    rule_name: '药品区分性别使用',
    vola_cont: '「阿帕他胺片」限男性使用，患者性别为女',
    patn_id: 'P1002',
    mdtrt_id: 'M-P1002',
    vola_amt: 1200,
    sev_deg: '1',
    judge_result_detail_dtos: [{ jrd_id: 'J0-1', rx_id: 'R-P1002-1', vola_item_type: '1', vola_amt: 1200 }],
  };
  const one = JSON.stringify(finding);
  const count = Math.ceil(bytes / (Buffer.byteLength(one) + 1));
  const result = new Array(count).fill(one).join(',');
  return `{"infcode":0,"err_msg":"","warn_msg":"","output":{"result":[${result}]}}`;
}

/** Start every stub in a child process (see child.ts); each test file gets its own. */
export async function startStubs(): Promise<Stubs> {
  const child = await startChild<StubUrls>('./stubs-process.ts');
  return { ...child.info, close: () => child.close() };
}

/** Start every stub in this process (stubs-process.ts). */
export async function startStubServers(): Promise<Stubs> {
  const closed = net.createServer();
  await listen(closed);
  const down = url(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const hang = net.createServer((s) => {
    s.on('data', () => {}); // read the request, never answer
  });
  const hangSockets = track(hang);
  await listen(hang);

  const garbage = net.createServer((s) => {
    s.once('data', () => s.end('\u0000\u0001 this is not HTTP at all \r\n\r\n{"infcode":0}'));
  });
  const garbageSockets = track(garbage);
  await listen(garbage);

  const html = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>502 Bad Gateway from a proxy</body></html>');
    });
  });
  const htmlSockets = track(html);
  await listen(html);

  const hugeBody = Buffer.from(hugeReply(9 * 1024 * 1024));
  const huge = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      // pieces without a Content-Length: chunked transfer, the size is learned by reading
      for (let off = 0; off < hugeBody.length; off += 256 * 1024) res.write(hugeBody.subarray(off, off + 256 * 1024));
      res.end();
    });
  });
  const hugeSockets = track(huge);
  await listen(huge);

  return {
    down,
    hang: url(hang),
    garbage: url(garbage),
    html: url(html),
    huge: url(huge),
    hugeBytes: hugeBody.length,
    async close() {
      await Promise.all([closeServer(hang, hangSockets), closeServer(garbage, garbageSockets), closeServer(html, htmlSockets), closeServer(huge, hugeSockets)]);
    },
  };
}
