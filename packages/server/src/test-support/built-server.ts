/**
 * The built service (dist/start.js) as a child process, for the tests that kill or restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the built entry point (the build runs before the tests). */
export const BUILT_START = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/start.js');

/** A running built service. */
export interface BuiltServer {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` once it listens. */
  base: string;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts dist/start.js in `cwd` on the SQLite `file` (any free port) and resolves once it listens. */
export async function startBuiltServer(cwd: string, file: string, env: Record<string, string> = {}): Promise<BuiltServer> {
  const child = spawn(process.execPath, [BUILT_START], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: file, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      logs.push(chunk.toString());
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(logs.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`server exited:\n${logs.join('')}`)));
  });
  return { child, base, logs, exited };
}
