/**
 * `preaudit backup` and `preaudit restore`: a consistent copy of the SQLite database while the
 * service keeps writing (SQLite's online backup API, which copies pages and restarts when a
 * writer changes one, so the copy is one committed state), and putting such a copy back.
 * PostgreSQL and MySQL have their own tools (pg_dump -Fc / mysqldump --single-transaction); the
 * command names them rather than re-implementing them.
 * Exit codes: 0 done, 1 the copy failed its integrity check, 2 bad arguments or unreadable files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import Database from 'better-sqlite3';
import { defaultDatabaseFile, parseDatabaseUrl } from '../platform/storage/connect.js';

/** Exit codes of `preaudit backup` and `preaudit restore`. */
export const BACKUP_EXIT = { ok: 0, corrupt: 1, badInput: 2 } as const;

/** Options of `preaudit backup`. */
export interface BackupOptions {
  /** DATABASE_URL or a SQLite file; default the service's default file. */
  database?: string;
  /** Where the copy goes (refused if it exists, unless `force`). */
  to: string;
  force?: boolean;
}

/** Options of `preaudit restore`. */
export interface RestoreOptions {
  /** The backup file to put back. */
  from: string;
  /** The SQLite file the service uses; default the service's default file. */
  database?: string;
  force?: boolean;
}

/** What a backup or restore reports. */
export interface BackupResult {
  code: number;
  lines: string[];
}

/** The SQLite file a `--database` value selects, or an error line naming the option. */
function sqliteFile(database: string | undefined, verb: 'backup' | 'restore'): { file: string } | { error: string } {
  const url = database || process.env.DATABASE_URL || defaultDatabaseFile(process.env.PA_DATA_DIR || undefined);
  let target;
  try {
    target = parseDatabaseUrl(url);
  } catch (e) {
    return { error: `--database: ${(e as Error).message}` };
  }
  if (target.dialect === 'pg') {
    return {
      error:
        verb === 'backup'
          ? '--database: PostgreSQL is backed up with its own tool, safe while the service runs: pg_dump -Fc -d "$DATABASE_URL" -f preaudit.dump'
          : '--database: PostgreSQL is restored with its own tool, the service stopped: pg_restore --clean --if-exists -d "$DATABASE_URL" preaudit.dump',
    };
  }
  if (target.dialect === 'mysql') {
    return {
      error:
        verb === 'backup'
          ? '--database: MySQL/MariaDB is backed up with its own tool: mysqldump --single-transaction <database> > preaudit.sql'
          : '--database: MySQL/MariaDB is restored with its own tool, the service stopped: mysql <database> < preaudit.sql',
    };
  }
  if (target.connection === ':memory:') return { error: '--database: an in-memory database has nothing to back up' };
  return { file: path.resolve(target.connection) };
}

/** `<dir>/<name>.audit-head.json`: the audit chain's anchor the service keeps beside a SQLite file. */
function anchorOf(file: string): string {
  const p = path.parse(file);
  return path.join(p.dir, `${p.name}.audit-head.json`);
}

/** `PRAGMA integrity_check` of a SQLite file: 'ok' or the problems, joined. */
export function integrityCheck(file: string): string {
  // Not read-only: a WAL-mode file needs its -shm created when no other connection has it open.
  const db = new Database(file, { fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/**
 * Copies a live SQLite database to `opts.to` with the online backup API, then checks the copy.
 * The audit chain's anchor file, if the service keeps one, is copied first: the chain in the
 * copy is then at least as long as the anchor, so `preaudit trail verify` accepts the copy.
 */
export async function runBackup(opts: BackupOptions): Promise<BackupResult> {
  const src = sqliteFile(opts.database, 'backup');
  if ('error' in src) return { code: BACKUP_EXIT.badInput, lines: [src.error] };
  if (!opts.to) return { code: BACKUP_EXIT.badInput, lines: ['--to: where to write the backup is required'] };
  const to = path.resolve(opts.to);
  if (!fs.existsSync(src.file)) return { code: BACKUP_EXIT.badInput, lines: [`--database: no such SQLite file: ${src.file}`] };
  if (to === src.file) return { code: BACKUP_EXIT.badInput, lines: ['--to: must not be the database itself'] };
  if (fs.existsSync(to) && !opts.force) return { code: BACKUP_EXIT.badInput, lines: [`--to: ${to} exists (add --force to replace it)`] };
  fs.mkdirSync(path.dirname(to), { recursive: true });

  const anchor = anchorOf(src.file);
  const anchorCopy = fs.existsSync(anchor) ? fs.readFileSync(anchor) : undefined;
  // Written under a temporary name and renamed: a half-written backup never carries the final name.
  const partial = `${to}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(src.file, { fileMustExist: true });
  let pages = 0;
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        // Every remaining page in one step: a step reads one WAL snapshot, so writers go on meanwhile,
        // whereas a copy in several steps restarts whenever another connection commits between two
        // of them, and against a service that never stops writing it would never finish.
        return 0x7fffffff;
      },
    });
  } catch (e) {
    fs.rmSync(partial, { force: true });
    return { code: BACKUP_EXIT.badInput, lines: [`--database: cannot back up ${src.file}: ${(e as Error).message}`] };
  } finally {
    db.close();
  }
  const check = integrityCheck(partial);
  if (check !== 'ok') {
    fs.rmSync(partial, { force: true });
    return { code: BACKUP_EXIT.corrupt, lines: [`the copy of ${src.file} fails integrity_check: ${check}`] };
  }
  fs.renameSync(partial, to);
  const lines = [`backed up ${src.file} to ${to} (${pages} pages, integrity_check ok)`];
  if (anchorCopy) {
    fs.writeFileSync(anchorOf(to), anchorCopy);
    lines.push(`audit anchor copied to ${anchorOf(to)}`);
  }
  return { code: BACKUP_EXIT.ok, lines };
}

/**
 * Puts a backup back in place of the service's SQLite file. The service must be stopped: a
 * running service keeps the old file open. The backup is checked first; the current file, if
 * any, is kept as `<file>.before-restore`, and its WAL files are removed so SQLite does not
 * replay the old database's log onto the restored one.
 */
export async function runRestore(opts: RestoreOptions): Promise<BackupResult> {
  const dst = sqliteFile(opts.database, 'restore');
  if ('error' in dst) return { code: BACKUP_EXIT.badInput, lines: [dst.error] };
  if (!opts.from) return { code: BACKUP_EXIT.badInput, lines: ['--from: the backup file to restore is required'] };
  const from = path.resolve(opts.from);
  if (!fs.existsSync(from)) return { code: BACKUP_EXIT.badInput, lines: [`--from: no such file: ${from}`] };
  let check: string;
  try {
    check = integrityCheck(from);
  } catch (e) {
    return { code: BACKUP_EXIT.badInput, lines: [`--from: ${from} is not a SQLite database: ${(e as Error).message}`] };
  }
  if (check !== 'ok') return { code: BACKUP_EXIT.corrupt, lines: [`--from: ${from} fails integrity_check: ${check}`] };
  const lines: string[] = [];
  if (fs.existsSync(dst.file)) {
    if (!opts.force)
      return { code: BACKUP_EXIT.badInput, lines: [`--database: ${dst.file} exists; stop the service and add --force to replace it (it is kept as ${dst.file}.before-restore)`] };
    fs.renameSync(dst.file, `${dst.file}.before-restore`);
    lines.push(`the previous database is kept as ${dst.file}.before-restore`);
  }
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(dst.file + suffix, { force: true });
  fs.mkdirSync(path.dirname(dst.file), { recursive: true });
  const tmp = `${dst.file}.restoring`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, dst.file);
  const anchor = anchorOf(from);
  if (fs.existsSync(anchor)) fs.copyFileSync(anchor, anchorOf(dst.file));
  else fs.rmSync(anchorOf(dst.file), { force: true });
  lines.push(`restored ${from} to ${dst.file}; start the service (migrations run on start)`);
  return { code: BACKUP_EXIT.ok, lines };
}

function report(result: BackupResult): void {
  const print = result.code === 0 ? console.log : console.error;
  for (const line of result.lines) print(line);
  process.exitCode = result.code;
}

/** Adds `backup` and `restore` to the program. */
export function register(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database while the service runs (SQLite online backup); PostgreSQL: pg_dump -Fc')
    .addOption(new Option('--database <url|file>', 'the database (default: DATABASE_URL, else <PA_DATA_DIR or ./data>/preaudit.sqlite)'))
    .requiredOption('--to <file>', 'the backup file to write')
    .option('--force', 'replace --to if it exists')
    .action(async (opts: BackupOptions) => report(await runBackup(opts)));
  program
    .command('restore')
    .description('put a backup back (stop the service first); PostgreSQL: pg_restore')
    .requiredOption('--from <file>', 'the backup file')
    .addOption(new Option('--database <url|file>', 'the database to replace (default: DATABASE_URL, else <PA_DATA_DIR or ./data>/preaudit.sqlite)'))
    .option('--force', 'replace an existing database (kept as <file>.before-restore)')
    .action(async (opts: RestoreOptions) => report(await runRestore(opts)));
}
