/**
 * `preaudit audit`: a batch audit (事后 by default) of a HIS source over a period, written to
 * an XLSX, CSV or JSON file, with a progress bar on a terminal and plain progress lines
 * otherwise. Runs in-process (no service needed).
 * `preaudit generate`: a seeded hospital's HIS data written into any supported database, with
 * a mapping file for it, to try the adapter and run benchmarks on.
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Phase } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import {
  auditPages,
  buildReport,
  findingsTable,
  loadSourceConfig,
  openSource,
  reportTables,
  reportToJson,
  SourceConfigError,
  StatsCollector,
  tablesToXlsx,
  tableToCsv,
  UnmappedTally,
  type DbClient,
  type Finding,
  type ReadScope,
  type ReportTable,
} from '@preaudit/his-adapter';

/** Exit codes of `preaudit audit`. */
export const AUDIT_EXIT = { ok: 0, badInput: 2, unavailable: 3 } as const;

/** Options of `preaudit audit`. */
export interface AuditCliOptions {
  /** Mapping file of the source. */
  source: string;
  /** First day (yyyy-MM-dd). */
  from?: string;
  /** Last day (yyyy-MM-dd, inclusive). */
  to?: string;
  /** Output file: .xlsx, .csv or .json. */
  out: string;
  /** 事后 (default) or 事中. */
  phase?: string;
  /** trig_scen, comma-separated. */
  scene?: string;
  /** Rulebook folder. */
  rulebook?: string;
  /** Patients per page. */
  pageSize?: number;
  /** auto (bar on a terminal, lines otherwise), bar, lines, none. */
  progress?: string;
}

/** Where the command writes progress, and the environment for `${VAR}` in mapping files. */
export interface AuditIo {
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** What a run produced. */
export interface AuditCliResult {
  code: number;
  error?: string;
  files?: string[];
  encounters?: number;
  orders?: number;
  findings?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Progress {
  update(processed: number, findings: number): void;
  /** Final state (also after a failure). */
  done(processed: number, findings: number): void;
}

async function progressFor(mode: string, io: AuditIo, total: number | null): Promise<Progress> {
  const started = Date.now();
  const rate = (n: number) => n / Math.max(0.001, (Date.now() - started) / 1000);
  if (mode === 'none') return { update() {}, done() {} };
  if (mode === 'bar' || (mode === 'auto' && io.stderr.isTTY)) {
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        format: '审核进度 |{bar}| {percentage}% | {value}/{total} 就诊 | {speed} 就诊/秒 | 剩余 {eta}s | 违规 {findings}',
        stream: io.stderr as NodeJS.WritableStream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0, { speed: '0', findings: 0 });
    const update = (n: number, f: number) => bar.update(n, { speed: rate(n).toFixed(0), findings: f });
    return {
      update,
      done: (n, f) => {
        update(n, f);
        bar.stop();
      },
    };
  }
  let last = 0;
  const line = (n: number, f: number) => {
    const pct = total ? ` (${((n / total) * 100).toFixed(1)}%)` : '';
    const r = rate(n);
    const eta = total && r > 0 ? `, ETA ${Math.max(0, Math.round((total - n) / r))}s` : '';
    io.stderr.write(`audit: ${n}${total !== null ? `/${total}` : ''} encounters${pct}, ${f} findings, ${r.toFixed(0)} encounters/s${eta}\n`);
  };
  return {
    // At most one line a second, so a log file stays readable.
    update(n, f) {
      if (Date.now() - last >= 1000) {
        last = Date.now();
        line(n, f);
      }
    },
    done: line,
  };
}

/** Runs an audit and writes the output file(s). */
export async function runAudit(opts: AuditCliOptions, io: AuditIo): Promise<AuditCliResult> {
  const phase = (opts.phase ?? '事后') as Phase;
  const ext = extname(opts.out).toLowerCase();
  if (!['.xlsx', '.csv', '.json'].includes(ext)) return { code: AUDIT_EXIT.badInput, error: `--out: expected a .xlsx, .csv or .json file, got ${opts.out}` };
  if (phase !== '事后' && phase !== '事中') return { code: AUDIT_EXIT.badInput, error: '--phase: 事后 or 事中' };
  for (const k of ['from', 'to'] as const) {
    if (opts[k] !== undefined && !DATE.test(opts[k])) return { code: AUDIT_EXIT.badInput, error: `--${k}: expected yyyy-MM-dd, got ${opts[k]}` };
  }
  if (!opts.from || !opts.to) return { code: AUDIT_EXIT.badInput, error: '--from and --to are required (yyyy-MM-dd)' };
  let config;
  try {
    config = await loadSourceConfig(opts.source, { env: io.env });
  } catch (err) {
    return { code: AUDIT_EXIT.badInput, error: err instanceof SourceConfigError ? err.message : `cannot read ${opts.source}: ${(err as Error).message}` };
  }
  let rulebook;
  try {
    rulebook = loadRulebookDir(opts.rulebook ?? NATIONAL_RULEBOOK_DIR);
  } catch (err) {
    return { code: AUDIT_EXIT.badInput, error: (err as Error).message };
  }
  let source;
  try {
    source = await openSource(config);
  } catch (err) {
    if (err instanceof SourceConfigError) return { code: AUDIT_EXIT.badInput, error: err.message };
    return { code: AUDIT_EXIT.unavailable, error: `cannot open source ${config.name}: ${(err as Error).message}` };
  }
  const scope: ReadScope = { dateColumn: phase === '事后' ? 'dscg_date' : 'adm_date', from: opts.from, to: opts.to };
  const findings: Finding[] = [];
  const stats = new StatsCollector();
  const unmapped = new UnmappedTally();
  let encounters = 0;
  let orders = 0;
  let progress: Progress | undefined;
  try {
    progress = await progressFor(opts.progress ?? 'auto', io, await source.count(scope));
    for await (const page of auditPages({
      source,
      rulebooks: { active: rulebook },
      phase,
      scope,
      idPrefix: 'A-',
      scenes: opts.scene ? opts.scene.split(',').map((s) => s.trim()) : undefined,
      pageSize: opts.pageSize,
    })) {
      encounters += page.encounters;
      orders += page.orders;
      for (const f of page.findings) findings.push(f);
      stats.addRows(page.stats);
      unmapped.merge(page.unmapped);
      progress.update(encounters, findings.length);
    }
  } catch (err) {
    return { code: AUDIT_EXIT.unavailable, error: `reading ${config.name} failed: ${(err as Error).message}` };
  } finally {
    progress?.done(encounters, findings.length);
    await source.close().catch(() => undefined);
  }
  const report = buildReport(findings, stats.rows(), unmapped.list(), {
    source: config.name,
    phase,
    from: opts.from,
    to: opts.to,
    rulebooks: [rulebook.digest],
    generated_at: new Date().toISOString(),
  });
  const out = resolve(opts.out);
  const files: string[] = [];
  const list = findingsTable(findings.map(({ details: _d, ...f }) => f));
  if (ext === '.xlsx') {
    await tablesToXlsx([...reportTables(report), list as ReportTable], out);
    files.push(out);
  } else if (ext === '.json') {
    await writeFile(out, reportToJson(report, { findings }));
    files.push(out);
  } else {
    // One CSV per table: the findings under the given name, the reports beside it.
    await writeFile(out, tableToCsv(list));
    files.push(out);
    const stem = join(dirname(out), basename(out, ext));
    for (const table of reportTables(report)) {
      const file = `${stem}.${table.slug}.csv`;
      await writeFile(file, tableToCsv(table));
      files.push(file);
    }
  }
  io.stderr.write(
    `audit: ${encounters} encounters, ${orders} order lines, ${findings.length} findings (违规金额 ${report.summary.vola_amt.toFixed(2)} 元), ${report.summary.unmapped_orders} order lines without a national code → ${files.join(', ')}\n`,
  );
  return { code: AUDIT_EXIT.ok, files, encounters, orders, findings: findings.length };
}

/** Options of `preaudit generate`. */
export interface GenerateCliOptions {
  client: string;
  connection: string;
  schema?: string;
  orders: number;
  seed: number;
  from: string;
  months: number;
  replace?: boolean;
  writeConfig?: string;
  /** Rulebook folder whose national knowledge tables supply the real codes (default: the bundled national rulebook). */
  rulebook?: string;
}

const CLIENTS: Record<string, DbClient> = { sqlite: 'better-sqlite3', pg: 'pg', postgres: 'pg', mysql: 'mysql2', mariadb: 'mysql2', mssql: 'mssql', oracle: 'oracledb' };

/** Generates a hospital into a database and optionally writes a mapping file for it. */
export async function runGenerate(opts: GenerateCliOptions, io: AuditIo): Promise<{ code: number; error?: string }> {
  const client = CLIENTS[opts.client.toLowerCase()];
  if (!client) return { code: AUDIT_EXIT.badInput, error: `--client: one of ${Object.keys(CLIENTS).join(', ')}` };
  const { connect } = await import('@preaudit/his-adapter');
  // The generator is a development package (not in the offline release): say so instead of a stack trace.
  const fixtures = await import('@preaudit/his-fixtures').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  });
  if (!fixtures)
    return { code: AUDIT_EXIT.unavailable, error: 'preaudit generate needs the development package @preaudit/his-fixtures (run it from a checkout of the repository after npm ci)' };
  const { dropHis, ensureHis, writeHis } = fixtures;
  const connection = client === 'better-sqlite3' ? { filename: resolve(opts.connection) } : opts.connection;
  const { knex } = await connect({ client, connection });
  try {
    const started = Date.now();
    const options = {
      schema: opts.schema,
      orderLines: opts.orders,
      seed: opts.seed,
      from: opts.from,
      months: opts.months,
      rulebookDir: opts.rulebook === undefined ? undefined : resolve(opts.rulebook),
      onProgress: (n: number) => io.stderr.write(`generate: ${n} order lines\n`),
    };
    let summary;
    if (opts.replace) {
      await dropHis(knex, opts.schema);
      summary = await writeHis(knex, options);
    } else {
      const r = await ensureHis(knex, options);
      summary = r.summary;
      if (r.reused) io.stderr.write('generate: an identical hospital is already there; kept it\n');
    }
    io.stderr.write(
      `generate: ${summary.patients} patients, ${summary.encounters} encounters, ${summary.orders} order lines, ${summary.from} … ${summary.to}, ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
    if (opts.writeConfig) {
      const conn = client === 'better-sqlite3' ? `\n  filename: ${JSON.stringify(resolve(opts.connection))}` : ` ${JSON.stringify(opts.connection)}`;
      const text = [
        '# A generated hospital (preaudit generate): the contract views, no renaming needed.',
        `name: generated-${opts.seed}`,
        `client: ${opts.client}`,
        `connection:${conn}`,
        ...(opts.schema ? [`schema: ${opts.schema}`] : []),
        'page_size: 200',
        '',
      ].join('\n');
      await writeFile(opts.writeConfig, text);
      io.stderr.write(`generate: mapping file ${opts.writeConfig}\n`);
    }
    return { code: 0 };
  } catch (err) {
    return { code: AUDIT_EXIT.unavailable, error: (err as Error).message };
  } finally {
    await knex.destroy();
  }
}

/** Registers `preaudit audit` and `preaudit generate`. */
export function register(program: Command): void {
  program
    .command('audit')
    .description('batch audit of a HIS source over a period (事后 by default) into an XLSX, CSV or JSON file')
    .requiredOption('--source <file>', 'mapping file of the source (YAML or JSON)')
    .requiredOption('--from <date>', 'first day, yyyy-MM-dd (事后: discharge date)')
    .requiredOption('--to <date>', 'last day, yyyy-MM-dd, inclusive')
    .requiredOption('--out <file>', 'output: report.xlsx, findings.csv (+ report CSVs beside it) or report.json')
    .option('--phase <phase>', '事后 or 事中 (事中: admission dates)', '事后')
    .option('--scene <n>', 'trigger scene(s), e.g. 9 (住院预结算)')
    .option('--rulebook <dir>', 'rulebook folder (default: the bundled national rulebook)')
    .option('--page-size <n>', 'patients per page', (v) => parseInt(v, 10))
    .option('--progress <mode>', 'auto | bar | lines | none', 'auto')
    .action(async (opts: AuditCliOptions) => {
      const res = await runAudit(opts, { stderr: process.stderr, env: process.env });
      if (res.error) process.stderr.write(`${res.error}\n`);
      process.exitCode = res.code;
    });
  program
    .command('generate')
    .description("write a seeded hospital's HIS data (departments, doctors, patients, encounters, orders with real national codes) into a database")
    .requiredOption('--client <name>', 'sqlite | pg | mysql | mssql | oracle')
    .requiredOption('--connection <conn>', 'SQLite file, or a connection URL')
    .option('--schema <name>', 'schema (PostgreSQL, SQL Server) or database (MySQL) to create')
    .option('--orders <n>', 'order lines to generate', (v) => parseInt(v, 10), 20_000)
    .option('--seed <n>', 'seed (same seed, same hospital)', (v) => parseInt(v, 10), 1)
    .option('--from <date>', 'first day of the period', '2025-01-01')
    .option('--months <n>', 'months covered', (v) => parseInt(v, 10), 3)
    .option('--replace', 'drop and regenerate even when an identical hospital is there')
    .option('--write-config <file>', 'also write a mapping file for the generated views')
    .option('--rulebook <dir>', 'rulebook folder whose national knowledge tables supply the real codes (default: the bundled national rulebook)')
    .action(async (opts: GenerateCliOptions) => {
      const res = await runGenerate(opts, { stderr: process.stderr, env: process.env });
      if (res.error) process.stderr.write(`${res.error}\n`);
      process.exitCode = res.code;
    });
}
