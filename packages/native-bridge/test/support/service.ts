/**
 * The real audit service (@preaudit/server) with the national rulebook, listening on
 * 127.0.0.1 at a free port with one doctor-station API key, in a child process (child.ts).
 */
import { startChild } from './child.js';

/** API key the service accepts in these tests. */
const TEST_API_KEY = 'nb-test-key-doctor-station';

/** A running service: its base URL and key, and close(). */
export interface RunningService {
  url: string;
  key: string;
  close(): Promise<void>;
}

/** Start the service (in-memory SQLite, national rulebook, auth on) and wait until it listens. */
export async function startService(): Promise<RunningService> {
  const child = await startChild<{ url: string }>('./service-process.ts', [TEST_API_KEY]);
  return { url: child.info.url, key: TEST_API_KEY, close: () => child.close() };
}
