/**
 * Entry point of `npm start` (node packages/server/dist/start.js).
 */
import { main } from './server.js';

await main();
