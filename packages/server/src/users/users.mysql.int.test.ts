/** Console users on MariaDB/MySQL (see flows.test-helper.ts). */
import t from 'tap';
import { userFlows } from './flows.test-helper.js';

await userFlows(t, 'mysql');
