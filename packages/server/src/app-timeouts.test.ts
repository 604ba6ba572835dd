import net from 'node:net';
import t from 'tap';
import { testApp } from './test-support/helpers.js';

// Slow-loris (issue 10 #16): a client that trickles its headers or its body holds a socket only so long.
const app = await testApp({ headersTimeoutMs: 500, requestTimeoutMs: 1500 });
t.teardown(() => app.close());
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as net.AddressInfo).port;

/** Writes `first`, then `drip()` every 200 ms; resolves with what came back and how long the server kept the socket (capped at `maxMs`). */
function trickle(first: string, drip: () => string, maxMs = 6000): Promise<{ answer: string; ms: number; closed: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
    let answer = '';
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip());
    }, 200);
    const end = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(cap);
      socket.destroy();
      resolve({ answer, ms: Date.now() - started, closed });
    };
    const cap = setTimeout(() => end(false), maxMs);
    socket.on('data', (b) => (answer += b.toString('latin1')));
    socket.on('close', () => end(true));
    socket.on('error', () => undefined);
  });
}

t.test('headers sent a line at a time are cut off after the headers timeout', async (t) => {
  let n = 0;
  const r = await trickle('POST /nhsa/3101 HTTP/1.1\r\nHost: localhost\r\n', () => `X-Slow-${n++}: a\r\n`);
  t.ok(r.closed, 'the server closed the connection');
  t.ok(r.ms < 4000, `closed after ${r.ms} ms`);
  t.match(r.answer, /^HTTP\/1\.1 408/);
});

t.test('a body sent a byte at a time is cut off after the request timeout', async (t) => {
  const head = 'POST /nhsa/3101 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
  const r = await trickle(head, () => ' ');
  t.ok(r.closed, 'the server closed the connection');
  t.ok(r.ms < 4500, `closed after ${r.ms} ms`);
  t.match(r.answer, /^HTTP\/1\.1 408/);
});

t.test('the defaults are documented values, not Node’s unlimited ones', async (t) => {
  const plain = await testApp();
  t.teardown(() => plain.close());
  t.equal(plain.config.headersTimeoutMs, 10_000);
  t.equal(plain.config.requestTimeoutMs, 60_000);
  t.equal(plain.config.connectionTimeoutMs, 60_000);
  t.equal(plain.config.keepAliveTimeoutMs, 5_000);
  t.equal(plain.server.requestTimeout, 60_000);
  t.equal(plain.server.headersTimeout, 10_000);
});
