#!/usr/bin/env node
/**
 * Runs turbo with its telemetry off (TURBO_TELEMETRY_DISABLED, DO_NOT_TRACK): the project's
 * scripts call turbo through this file so a hospital's build never phones home, on Linux and
 * on Windows alike (an inline `VAR=1 turbo …` would not work in cmd.exe).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
// turbo's own launcher (node_modules/turbo/bin/turbo) picks the platform binary.
const launcher = require.resolve('turbo/bin/turbo');
const result = spawnSync(process.execPath, [launcher, ...process.argv.slice(2)], { stdio: 'inherit', env });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
