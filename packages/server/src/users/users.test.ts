/** Console users on SQLite (see flows.test-helper.ts). */
import t from 'tap';
import { userFlows } from './flows.test-helper.js';

await userFlows(t, 'sqlite');
