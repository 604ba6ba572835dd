/**
 * `preaudit user add|reset|disable|enable|list`: console users managed from the command line
 * against the service's database (same DATABASE_URL / DATABASE_SCHEMA / PA_DATA_DIR), e.g. the
 * first admin before anyone can log in. Migrates the database first (it may be new). Passwords
 * are read from stdin (`--password-stdin`, or whenever stdin is not a terminal) or prompted for
 * twice without echo. Each change is written to `user_events`, which the service copies into the
 * trail (it alone extends the chain). Exit codes: 0 done, 2 bad input, 3 database unavailable.
 */
import os from 'node:os';
import { type Command, Option } from 'commander';
import type { Knex } from 'knex';
import { connect, defaultDatabaseFile, ensureSchema } from '../platform/storage/connect.js';
import { migrate } from '../platform/storage/migrations/index.js';
import { PreauditError } from '../platform/errors.js';
import { resolveUsersOptions } from './options.js';
import { UserService, USER_ROLES, userView } from './service.js';
import { insertUserEvent } from './user-store.js';

/** Exit codes of `preaudit user`. */
export const USER_EXIT = { ok: 0, badInput: 2, unavailable: 3 } as const;

/** Where the command reads the password and writes its lines. */
export interface UserCliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Reads the password (already stripped of its line end). */
  readPassword(prompt: string): Promise<string>;
  env: Record<string, string | undefined>;
}

/** Options every verb takes. */
export interface DbOptions {
  databaseUrl?: string;
  schema?: string;
}

/** One run of a verb. */
export interface UserCommand extends DbOptions {
  verb: 'add' | 'reset' | 'disable' | 'enable' | 'list';
  username?: string;
  role?: string;
  name?: string;
  departments?: string;
  json?: boolean;
}

/** Who made a CLI change, as the trail shows it. */
function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return `cli:${user}`.slice(0, 80);
}

/** Runs one verb; returns the exit code. */
export async function runUserCommand(cmd: UserCommand, io: UserCliIo): Promise<number> {
  const url = cmd.databaseUrl || io.env.DATABASE_URL || defaultDatabaseFile(io.env.PA_DATA_DIR || undefined);
  const schema = cmd.schema || io.env.DATABASE_SCHEMA || undefined;
  let db: Knex;
  try {
    db = connect(url, schema);
    await ensureSchema(db, schema);
    await migrate(db);
  } catch (err) {
    io.stderr.write(`cannot open the database: ${(err as Error).message}\n`);
    return USER_EXIT.unavailable;
  }
  const users = new UserService(db, () => new Date(), resolveUsersOptions());
  const actor = cliActor();
  const record = (action: string, username: string, detail?: Record<string, unknown>) =>
    insertUserEvent(db, { time: new Date().toISOString(), actor, action, username, detail: detail ? JSON.stringify(detail) : null });
  try {
    switch (cmd.verb) {
      case 'add': {
        const password = await io.readPassword(`password for ${cmd.username}: `);
        const departments = cmd.departments
          ? cmd.departments
              .split(',')
              .map((d) => d.trim())
              .filter(Boolean)
          : undefined;
        const row = await users.create({ username: cmd.username ?? '', displayName: cmd.name, userRole: cmd.role ?? '', departments, password }, actor);
        await record('user.cli.add', row.username, { userRole: row.user_role, departments: departments ?? [] });
        io.stdout.write(`user ${row.username} (${row.display_name}, ${row.user_role}) created\n`);
        return USER_EXIT.ok;
      }
      case 'reset': {
        if (!(await users.get(cmd.username ?? ''))) throw new PreauditError('PA_NOT_FOUND', `用户 ${cmd.username} 不存在`);
        const password = await io.readPassword(`new password for ${cmd.username}: `);
        const row = await users.resetPassword(cmd.username ?? '', password, actor);
        await record('user.cli.reset', row.username);
        io.stdout.write(`password of ${row.username} reset; the account is unlocked and its sessions ended\n`);
        return USER_EXIT.ok;
      }
      case 'disable':
      case 'enable': {
        const row = await users.update(cmd.username ?? '', { disabled: cmd.verb === 'disable', ...(cmd.verb === 'enable' ? { unlock: true } : {}) }, actor);
        await record(`user.cli.${cmd.verb}`, row.username);
        io.stdout.write(`user ${row.username} ${cmd.verb}d\n`);
        return USER_EXIT.ok;
      }
      case 'list': {
        const { rows } = await users.list({ limit: 10_000, offset: 0 });
        const views = rows.map((r) => userView(r, new Date()));
        if (cmd.json) io.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
        else
          for (const v of views)
            io.stdout.write(
              `${v.username}\t${v.displayName}\t${v.userRole}${v.departments.length ? `\t${v.departments.join(',')}` : ''}${v.disabled ? '\tdisabled' : ''}${v.lockedUntil ? `\tlocked until ${v.lockedUntil}` : ''}\n`,
            );
        return USER_EXIT.ok;
      }
    }
  } catch (err) {
    if (err instanceof PreauditError && err.statusCode < 500) {
      io.stderr.write(`${err.fields.length ? err.fields.map((f) => `${f.field}: ${f.message}`).join('\n') : err.message}\n`);
      return USER_EXIT.badInput;
    }
    io.stderr.write(`failed: ${(err as Error).message}\n`);
    return USER_EXIT.unavailable;
  } finally {
    await db.destroy();
  }
}

/** Reads all of stdin; the password is its first line. */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

/** Prompts on the terminal without echo. */
async function promptHidden(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput(s: string): void; output: NodeJS.WritableStream };
  let muted = false;
  out._writeToOutput = (s: string) => {
    if (!muted) out.output.write(s);
  };
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}

/** The terminal or stdin as the password source. */
function processIo(passwordStdin: boolean): UserCliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    async readPassword(prompt) {
      if (passwordStdin || !process.stdin.isTTY) return readStdinLine();
      const first = await promptHidden(prompt);
      const again = await promptHidden('again: ');
      if (first !== again) throw new PreauditError('PA_BAD_INPUT', '两次输入的密码不一致', [{ field: 'password', message: '两次输入的密码不一致' }]);
      return first;
    },
  };
}

/** Registers `preaudit user …`. */
export function register(program: Command): void {
  const user = program.command('user').description('控制台用户 console users: add the first admin, reset a password, disable an account');
  const withDb = (c: Command) =>
    c
      .addOption(new Option('--database-url <url>', "the service's database: postgres://…, mysql://… or a SQLite file (default $PA_DATA_DIR/preaudit.sqlite)").env('DATABASE_URL'))
      .addOption(new Option('--schema <name>', 'PostgreSQL schema / MySQL database').env('DATABASE_SCHEMA'));
  const run = async (cmd: UserCommand, passwordStdin = false) => {
    process.exitCode = await runUserCommand(cmd, processIo(passwordStdin));
  };
  withDb(
    user
      .command('add <username>')
      .description('create a user (prompts for the password, or reads it from stdin)')
      .addOption(new Option('--role <userRole>', 'user role').choices([...USER_ROLES]).makeOptionMandatory())
      .option('--name <displayName>', '姓名 shown in the console (default: the login name)')
      .option('--departments <codes>', 'dept-head only: HIS department codes, comma-separated')
      .option('--password-stdin', 'read the password from stdin (first line)'),
  ).action(async (username: string, o: { role: string; name?: string; departments?: string; passwordStdin?: boolean } & DbOptions) => {
    await run({ verb: 'add', username, role: o.role, name: o.name, departments: o.departments, databaseUrl: o.databaseUrl, schema: o.schema }, !!o.passwordStdin);
  });
  withDb(
    user.command('reset <username>').description('set a new password (unlocks the account, ends its sessions)').option('--password-stdin', 'read the password from stdin (first line)'),
  ).action(async (username: string, o: { passwordStdin?: boolean } & DbOptions) => {
    await run({ verb: 'reset', username, databaseUrl: o.databaseUrl, schema: o.schema }, !!o.passwordStdin);
  });
  withDb(user.command('disable <username>').description('disable an account (its sessions end)')).action(async (username: string, o: DbOptions) => {
    await run({ verb: 'disable', username, databaseUrl: o.databaseUrl, schema: o.schema });
  });
  withDb(user.command('enable <username>').description('enable (and unlock) an account')).action(async (username: string, o: DbOptions) => {
    await run({ verb: 'enable', username, databaseUrl: o.databaseUrl, schema: o.schema });
  });
  withDb(user.command('list').description('list users').option('--json', 'as JSON')).action(async (o: { json?: boolean } & DbOptions) => {
    await run({ verb: 'list', json: o.json, databaseUrl: o.databaseUrl, schema: o.schema });
  });
}
