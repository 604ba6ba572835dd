import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluate, normalizeCheckData, type NhsaReply } from '@preaudit/core-rules';
import { loadRulebookDir, RulebookLoadError } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

/** Exit codes of `preaudit check`. */
export const CHECK_EXIT = { clean: 0, findings: 1, badInput: 2 } as const;

/** Options of `preaudit check`. */
export interface CheckOptions {
  rulebook?: string;
  scene?: string;
  now?: string;
}

/**
 * Audits one request file (a national 3101/3102 envelope, or its `input.data` alone) and returns
 * the national reply plus the exit code. Bad input gives exit 2 and a message naming the field.
 */
export function runCheck(file: string, opts: CheckOptions): { code: number; out?: NhsaReply; error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { code: CHECK_EXIT.badInput, error: `cannot read ${file}: ${(e as Error).message}` };
  }
  const env = raw as { input?: { data?: unknown }; inf_time?: string };
  const data = env && typeof env === 'object' && env.input && typeof env.input === 'object' ? env.input.data : raw;
  const norm = normalizeCheckData(data);
  if (!norm.ok) {
    return { code: CHECK_EXIT.badInput, error: norm.errors.map((e) => `${e.field}: ${e.message}`).join('\n') };
  }
  let rulebook;
  try {
    rulebook = loadRulebookDir(opts.rulebook ?? NATIONAL_RULEBOOK_DIR);
  } catch (e) {
    return { code: CHECK_EXIT.badInput, error: e instanceof RulebookLoadError ? e.message : `cannot load rulebook: ${(e as Error).message}` };
  }
  const res = evaluate(rulebook, norm.value, {
    now: opts.now ?? (typeof env.inf_time === 'string' ? env.inf_time : new Date()),
    scenes: opts.scene ? opts.scene.split(',').map((s) => s.trim()) : undefined,
  });
  const out: NhsaReply = {
    infcode: 0,
    err_msg: '',
    // As the service's reply: request values the rules could not read, then rules that failed.
    warn_msg: [...res.warnings.map((w) => `${w.field}：${w.message}`), ...res.errors.map((e) => `规则${e.rule_id}执行失败: ${e.message}`)].join('; '),
    output: { result: res.result },
  };
  return { code: res.result.length > 0 ? CHECK_EXIT.findings : CHECK_EXIT.clean, out };
}

/** Registers `preaudit check <request.json> [--rulebook <dir>] [--scene N]`. */
export function register(program: Command): void {
  program
    .command('check')
    .description('audit one 3101/3102 request file and print the national result JSON (exit 0 clean, 1 findings, 2 bad input)')
    .argument('<request>', 'request JSON: a national envelope or its input.data')
    .option('--rulebook <dir>', 'rulebook folder (default: the bundled national rulebook)')
    .option('--scene <n>', "trigger scene(s), e.g. 1 or 1,2 (default: the request's trig_scen)")
    .option('--now <time>', "evaluation time yyyy-MM-dd[ HH:mm:ss] (default: the envelope's inf_time, else now)")
    .action((file: string, opts: CheckOptions) => {
      const r = runCheck(file, opts);
      if (r.out) process.stdout.write(`${JSON.stringify(r.out, null, 2)}\n`);
      if (r.error) process.stderr.write(`preaudit check: ${r.error}\n`);
      process.exitCode = r.code;
    });
}
