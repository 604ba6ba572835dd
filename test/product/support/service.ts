/**
 * Starting the service as an operator would (a shell command), waiting until it listens,
 * and stopping it with SIGTERM as systemd does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A started service. */
export interface Service {
  child: ChildProcess;
  logs: () => string;
  /**
   * SIGTERM to the process group (as a terminal's Ctrl+C or systemd's stop reaches every process
   * of the service); resolves once the shell exited, with whether the service logged its graceful
   * close ("closed": requests in flight answered, stored checks flushed).
   */
  stop: () => Promise<boolean>;
}

/**
 * Runs `command` through sh in `cwd` with `env` added to a minimal environment, in its own
 * process group, and resolves once its log says it listens on `port`.
 */
export async function startService(command: string, opts: { cwd: string; env: Record<string, string>; port: number; timeoutMs?: number }): Promise<Service> {
  const child = spawn('sh', ['-c', command], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  // 'close', not 'exit': the shell may exit at once on SIGTERM while the service, which shares its
  // output pipes, is still closing; 'close' waits until every process of the group let go of them.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
    return /"msg":"closed"/.test(out);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`"${command}" did not listen on ${opts.port} within ${opts.timeoutMs ?? 300_000} ms:\n${out}`));
    }, opts.timeoutMs ?? 300_000);
    const poll = setInterval(() => {
      if (new RegExp(`listening at https?://[^\\s"]*:${opts.port}\\b`, 'i').test(out)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`"${command}" exited (${code}) before listening:\n${out}`));
    });
  });
  return { child, logs: () => out, stop };
}
