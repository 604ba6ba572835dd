/**
 * `preaudit trail verify` (also `preaudit audit-log verify`, its older name): walks the trail,
 * the hash-chained log of every call (审计日志), and reports every altered or deleted row. Exit code 0 when intact, 1 when broken, 2 when the database cannot be read.
 */
import { type Command, Option } from 'commander';
import path from 'node:path';
import { connect, defaultDatabaseFile, parseDatabaseUrl } from '../platform/storage/connect.js';
import { verifyTrail } from './verify.js';
import { readAnchor } from './plugin.js';

/** Adds the command to the program. */
export function register(program: Command): void {
  // `audit-log` is the command's first name, kept so scripts and the deploy docs still work.
  const trail = program.command('trail').alias('audit-log').description('审计日志 the trail: the hash-chained log of every call');
  trail
    .command('verify')
    .description('verify the hash chain: finds altered and deleted rows')
    .addOption(new Option('--database-url <url>', 'postgres://…, mysql://… or a SQLite file (default $PA_DATA_DIR/preaudit.sqlite, ./data without it)').env('DATABASE_URL'))
    .addOption(new Option('--schema <name>', 'PostgreSQL schema').env('DATABASE_SCHEMA'))
    .option(
      '--anchor <file>',
      'audit head file the service keeps (default: <database>.audit-head.json beside a SQLite file), or a head printed by an earlier verify saved as {"seq":…,"hash":"…"}',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { databaseUrl?: string; schema?: string; json?: boolean; anchor?: string }) => {
      process.exitCode = await verifyCommand(opts);
    });
}

/** Runs the verification and prints the outcome; returns the exit code. */
export async function verifyCommand(opts: { databaseUrl?: string; schema?: string; json?: boolean; anchor?: string }, out: (line: string) => void = console.log): Promise<number> {
  const url = opts.databaseUrl || defaultDatabaseFile(process.env.PA_DATA_DIR || undefined);
  const db = connect(url, opts.schema, { readOnly: true });
  try {
    const anchorFile = opts.anchor ?? defaultAnchorFile(url);
    const anchor = readAnchor(anchorFile);
    if (opts.anchor && !anchor) throw new Error(`--anchor ${opts.anchor}: not a readable head file`);
    const result = await verifyTrail(db, 5000, anchor);
    if (opts.json) out(JSON.stringify(result, null, 2));
    else if (result.ok) out(`trail intact: ${result.rows} rows, head seq ${result.head.seq} hash ${result.head.hash}`);
    else {
      out(`trail BROKEN: ${result.problems.length} problem(s) in ${result.rows} rows`);
      for (const p of result.problems.slice(0, 50)) out(`  seq ${p.seq}: ${p.kind}: ${p.message}`);
      if (result.problems.length > 50) out(`  … ${result.problems.length - 50} more`);
    }
    if (anchor && !opts.json) out(`checked against the anchor ${anchorFile}: seq ${anchor.seq}`);
    return result.ok ? 0 : 1;
  } catch (err) {
    out(`cannot read the trail: ${(err as Error).message}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

/**
 * The anchor file the service writes beside a SQLite database (`preaudit.sqlite` →
 * `preaudit.audit-head.json`), or with a database server in its data folder (PA_DATA_DIR).
 */
function defaultAnchorFile(url: string): string | undefined {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'sqlite') return path.resolve(process.env.PA_DATA_DIR || 'data', 'preaudit.audit-head.json');
  if (target.connection === ':memory:') return undefined;
  const file = path.parse(path.resolve(target.connection));
  return path.join(file.dir, `${file.name}.audit-head.json`);
}
