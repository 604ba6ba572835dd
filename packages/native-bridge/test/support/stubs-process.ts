/**
 * Child process: the misbehaving services of stub-servers.ts.
 */
import { startStubServers } from './stub-servers.js';
import { serveUntilStdinCloses } from './child.js';

const stubs = await startStubServers();
const { close, ...urls } = stubs;
serveUntilStdinCloses(urls, close);
