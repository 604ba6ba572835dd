/**
 * Servers for the tests run in child processes: the bridge's synchronous calls
 * block the calling thread (as in a HIS), so whatever answers them must not share
 * that thread's event loop. A child prints one JSON line once it listens and exits
 * when its stdin closes (also when the test process dies).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A started child: what it printed, and close(). */
export interface Child<T> {
  info: T;
  close(): Promise<void>;
}

/** Start `script` (a TypeScript file beside this one) and wait for its JSON line. */
export async function startChild<T>(script: string, args: string[] = []): Promise<Child<T>> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<T>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  return {
    info,
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** In the child: print `info`, then run `stop` and exit when the parent closes stdin. */
export function serveUntilStdinCloses(info: unknown, stop: () => Promise<void>): void {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  let stopping = false;
  const end = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  // An event listener cannot await: a failing stop() must still end the child, loudly.
  const endNow = (): void => {
    end().catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
  };
  process.stdin.on('end', endNow);
  process.stdin.on('close', endNow);
  process.stdin.resume();
  process.on('SIGTERM', endNow);
}
