/**
 * `preaudit audit-log verify`: walks the hash-chained audit log and reports every altered or
 * deleted row. Exit code 0 when intact, 1 when broken, 2 when the database cannot be read.
 */
import { Command, Option } from 'commander';
import { connect, defaultDatabaseFile } from '../../storage/connect.js';
import { verifyAuditLog } from '../../audit/verify.js';

/** Adds the command to the program. */
export function register(program: Command): void {
  const auditLog = program.command('audit-log').description('审计日志 the hash-chained audit log');
  auditLog
    .command('verify')
    .description('verify the hash chain: finds altered and deleted rows')
    .addOption(new Option('--database-url <url>', 'postgres://… or a SQLite file (default ./data/preaudit.sqlite)').env('DATABASE_URL'))
    .addOption(new Option('--schema <name>', 'PostgreSQL schema').env('DATABASE_SCHEMA'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { databaseUrl?: string; schema?: string; json?: boolean }) => {
      process.exitCode = await verifyCommand(opts);
    });
}

/** Runs the verification and prints the outcome; returns the exit code. */
export async function verifyCommand(opts: { databaseUrl?: string; schema?: string; json?: boolean }, out: (line: string) => void = console.log): Promise<number> {
  const db = connect(opts.databaseUrl || defaultDatabaseFile(), opts.schema, { readOnly: true });
  try {
    const result = await verifyAuditLog(db);
    if (opts.json) out(JSON.stringify(result, null, 2));
    else if (result.ok) out(`audit log intact: ${result.rows} rows, head seq ${result.head.seq} hash ${result.head.hash}`);
    else {
      out(`audit log BROKEN: ${result.problems.length} problem(s) in ${result.rows} rows`);
      for (const p of result.problems.slice(0, 50)) out(`  seq ${p.seq}: ${p.kind}: ${p.message}`);
      if (result.problems.length > 50) out(`  … ${result.problems.length - 50} more`);
    }
    return result.ok ? 0 : 1;
  } catch (err) {
    out(`cannot read the audit log: ${(err as Error).message}`);
    return 2;
  } finally {
    await db.destroy();
  }
}
