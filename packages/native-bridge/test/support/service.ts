/**
 * The real audit service (@preaudit/server) with the national rulebook, listening on
 * 127.0.0.1 at a free port, with one doctor-station API key: what the bridge talks to in the field.
 */
import { buildApp } from '@preaudit/server';

/** API key the service accepts in these tests. */
export const TEST_API_KEY = 'nb-test-key-doctor-station';

/** A running service: its base URL and key, and close(). */
export interface RunningService {
  url: string;
  key: string;
  close(): Promise<void>;
}

/** Start the service (in-memory SQLite, national rulebook, auth on). */
export async function startService(): Promise<RunningService> {
  const app = await buildApp({ apiKeys: { [TEST_API_KEY]: 'doctor-station' }, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    key: TEST_API_KEY,
    close: () => app.close(),
  };
}
