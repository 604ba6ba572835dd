#!/usr/bin/env node
/**
 * The `preaudit` command line. Each job folder holds its own verb (checks/cli.ts, rulebooks/cli.ts, …), which exports
 * `register(program)`; add one line to COMMANDS below to wire a new one.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

type Register = (program: Command) => void;

// One entry per command module, loaded lazily so `preaudit check` does not pay for knex or fastify.
const COMMANDS: Array<() => Promise<{ register: Register }>> = [
  () => import('../checks/cli.js'),
  () => import('@preaudit/rulebook-bundle/cli'),
  () => import('../trail/cli.js'),
  () => import('../audit-jobs/cli.js'),
  () => import('../audit-jobs/worker-cli.js'),
  () => import('../ops/backup.js'),
  () => import('../users/cli.js'),
];

/** Builds the program with every command registered (exported for tests). */
export async function buildProgram(): Promise<Command> {
  const program = new Command('preaudit').description('医保事前提醒 / 事中审核 / 事后审核 — hospital-side medical-insurance pre-audit').showHelpAfterError();
  for (const load of COMMANDS) (await load()).register(program);
  return program;
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the command line on `argv` (process.argv shape); used by bin/preaudit.js. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = await buildProgram();
  await program.parseAsync([...argv]);
}

if (isMain()) await runCli(process.argv);
