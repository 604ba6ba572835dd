/**
 * Running test/c/bridge-test.c (Linux build, or the Windows build under wine):
 * its arguments, and its TAP output read back.
 */
import { spawn } from 'node:child_process';
import type { Stubs } from './stub-servers.js';

/** What the program needs to know: where the fixtures, service, stubs and a scratch folder are. */
export interface ProgramSetup {
  fixtures: string;
  service: string;
  key: string;
  stubs: Stubs;
  tmp: string;
  threads: number;
}

/** key=value arguments of bridge-test. */
export function programArgs(s: ProgramSetup): string[] {
  return [
    `fixtures=${s.fixtures}`,
    `service=${s.service}`,
    `key=${s.key}`,
    `down=${s.stubs.down}`,
    `hang=${s.stubs.hang}`,
    `garbage=${s.stubs.garbage}`,
    `huge=${s.stubs.huge}`,
    `tmp=${s.tmp}`,
    `threads=${s.threads}`,
  ];
}

/** Passed and failed checks of a TAP stream, and the plan's count. */
export interface TapSummary {
  passed: string[];
  failed: string[];
  planned: number;
}

/** Read "ok N - …" / "not ok N - …" lines and the "1..N" plan. */
export function parseTap(stdout: string): TapSummary {
  const lines = stdout.split(/\r?\n/);
  const planLine = lines.find((l) => /^1\.\.\d+$/.test(l));
  return {
    passed: lines.filter((l) => /^ok \d+/.test(l)),
    failed: lines.filter((l) => /^not ok \d+/.test(l)),
    planned: planLine ? Number(planLine.slice(3)) : -1,
  };
}

/** Run a command to completion, collecting its output (bytes as latin1, kept intact for GBK). */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 100_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
