/**
 * Child process: the real audit service (see service.ts).
 */
import { buildApp } from '@preaudit/server';
import { serveUntilStdinCloses } from './child.js';

const key = process.argv[2];
const app = await buildApp({ apiKeys: { [key]: 'doctor-station' }, logger: false });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
serveUntilStdinCloses({ url }, () => app.close());
