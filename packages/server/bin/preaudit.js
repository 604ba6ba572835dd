#!/usr/bin/env node
// The `preaudit` command. A committed, executable file rather than dist/cli/main.js itself:
// npm links bins at install time, before `prepare` has built dist/, and skips (or leaves
// non-executable) a bin that does not exist yet. This shim always exists and imports the build.
import { runCli } from '../dist/cli/main.js';

await runCli(process.argv);
