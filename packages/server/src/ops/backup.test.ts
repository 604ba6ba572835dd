/**
 * `preaudit backup` / `restore`: a backup taken while another process keeps writing (as the
 * service does) opens, holds the rows committed before it began, and passes integrity_check;
 * restore puts it back and keeps the replaced file. PostgreSQL and MySQL URLs name their tools.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import t from 'tap';
import Database from 'better-sqlite3';
import { BACKUP_EXIT, integrityCheck, runBackup, runRestore } from './backup.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-backup-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A WAL database like the service's, with `rows` rows of ~1 kB (so the backup takes many steps). */
function seed(file: string, rows: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table checks (id integer primary key, body text not null)');
  const insert = db.prepare('insert into checks (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row ${i} `.padEnd(1000, 'x'));
  })();
  db.close();
}

// The writer runs in another process, as the service would, committing one row at a time.
const WRITER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('insert into checks (body) values (?)');
let n = 0;
process.stdout.write('ready\\n');
const timer = setInterval(() => { for (let i = 0; i < 20; i++) insert.run('live '.padEnd(1000, 'y')); n += 20; }, 1);
process.on('SIGTERM', () => { clearInterval(timer); db.close(); process.stdout.write('wrote ' + n + '\\n'); process.exit(0); });
`;

t.test('backup while another process writes: the copy opens, has the rows, passes integrity_check', async (t) => {
  const file = path.join(dir, 'live.sqlite');
  seed(file, 20_000);
  fs.writeFileSync(path.join(dir, 'live.audit-head.json'), JSON.stringify({ seq: 1, hash: 'abc' }));
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const writer = spawn(process.execPath, ['-e', WRITER, betterSqlite, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  writer.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, 200));

  const to = path.join(dir, 'copies', 'backup.sqlite');
  const result = await runBackup({ database: file, to });
  await new Promise((r) => setTimeout(r, 100));
  writer.kill('SIGTERM');
  await new Promise((resolve) => writer.on('exit', resolve));

  t.equal(result.code, BACKUP_EXIT.ok, result.lines.join('\n'));
  t.match(out, /wrote [1-9]\d*/, 'the writer kept committing during the backup');
  t.equal(integrityCheck(to), 'ok');
  const copy = new Database(to, { readonly: true });
  const rows = (copy.prepare('select count(*) as n from checks').get() as { n: number }).n;
  copy.close();
  t.ok(rows >= 20_000, `the copy holds the seeded rows and the ones committed before it (${rows})`);
  t.same(JSON.parse(fs.readFileSync(path.join(dir, 'copies', 'backup.audit-head.json'), 'utf8')), { seq: 1, hash: 'abc' }, 'audit anchor copied beside it');
  t.notOk(fs.existsSync(`${to}.partial`), 'no partial file left');

  const again = await runBackup({ database: file, to });
  t.equal(again.code, BACKUP_EXIT.badInput);
  t.match(again.lines[0], /^--to: .* exists/);
});

t.test('restore: checks the backup, keeps the replaced file, removes the old WAL', async (t) => {
  const backup = path.join(dir, 'r-backup.sqlite');
  seed(backup, 10);
  const live = path.join(dir, 'r-live.sqlite');
  seed(live, 3);
  fs.writeFileSync(`${live}-wal`, 'stale log of the old database');

  const refused = await runRestore({ from: backup, database: live });
  t.equal(refused.code, BACKUP_EXIT.badInput);
  t.match(refused.lines[0], /^--database: .* exists; stop the service and add --force/);

  const done = await runRestore({ from: backup, database: live, force: true });
  t.equal(done.code, BACKUP_EXIT.ok, done.lines.join('\n'));
  t.notOk(fs.existsSync(`${live}-wal`));
  const db = new Database(live, { readonly: true });
  t.equal((db.prepare('select count(*) as n from checks').get() as { n: number }).n, 10);
  db.close();
  t.ok(fs.existsSync(`${live}.before-restore`));

  const garbage = path.join(dir, 'garbage.sqlite');
  fs.writeFileSync(garbage, 'not a database at all, just text that is long enough to have a header '.repeat(20));
  const bad = await runRestore({ from: garbage, database: path.join(dir, 'other.sqlite') });
  t.equal(bad.code, BACKUP_EXIT.badInput);
  t.match(bad.lines[0], /^--from: .* is not a SQLite database/);
});

t.test('PostgreSQL and MySQL URLs are answered with their own tools, nothing is written', async (t) => {
  const pg = await runBackup({ database: 'postgres://postgres@127.0.0.1:5432/test', to: path.join(dir, 'pg.dump') });
  t.equal(pg.code, BACKUP_EXIT.badInput);
  t.match(pg.lines[0], /^--database: .*pg_dump -Fc/);
  const my = await runRestore({ from: path.join(dir, 'x'), database: 'mysql://root@127.0.0.1:3306/test' });
  t.match(my.lines[0], /^--database: .*mysql/);
  const scheme = await runBackup({ database: 'oracle://x', to: path.join(dir, 'o') });
  t.match(scheme.lines[0], /^--database: unsupported scheme "oracle:"/);
  t.notOk(fs.existsSync(path.join(dir, 'pg.dump')));
});
