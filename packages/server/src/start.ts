/**
 * Entry point of `npm start` (node packages/server/dist/start.js). A start that fails (a bad
 * setting, a database that does not answer) ends with one line on stderr and exit code 1: an
 * operator reads what to fix, not a stack trace.
 */
import { main } from './server.js';
import { ConfigError } from './platform/config/config-error.js';

try {
  await main();
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `could not start: ${oneLine(err)}`;
  process.stderr.write(`preaudit: ${message}\n`);
  process.exit(1);
}

function oneLine(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return String(e?.message ?? err).split('\n')[0] + (e?.code && !String(e.message).includes(e.code) ? ` (${e.code})` : '');
}
