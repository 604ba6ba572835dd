import t from 'tap';
import { createRequire } from 'node:module';
import { DriverMissingError, requireDriver } from './connect.js';
import { loadDialect } from './dialects/index.js';

t.test('a driver that is not installed is named with the command that installs it', async (t) => {
  const err = (() => {
    try {
      requireDriver({ driver: 'pa-no-such-driver', label: 'PostgreSQL' });
    } catch (e) {
      return e;
    }
  })();
  t.type(err, DriverMissingError);
  t.equal((err as DriverMissingError).driver, 'pa-no-such-driver');
  t.match((err as Error).message, /^PostgreSQL: the database driver "pa-no-such-driver" is not installed; .*npm install pa-no-such-driver$/);
});

t.test('each dialect is checked through the resolver it is given', async (t) => {
  // A resolver rooted in an empty folder finds no driver at all: what a hospital without one sees.
  const empty = createRequire('/nonexistent-pa-folder/x.js');
  for (const client of ['pg', 'mysql2', 'mssql', 'oracledb', 'better-sqlite3'] as const) {
    const dialect = await loadDialect(client);
    t.throws(() => requireDriver(dialect, (id) => empty.resolve(id)), { name: 'DriverMissingError', message: new RegExp(`npm install ${dialect.driver}$`) }, client);
  }
});

t.test('the drivers installed here for the tests resolve', async (t) => {
  for (const client of ['pg', 'mysql2', 'mssql', 'oracledb', 'better-sqlite3'] as const) {
    t.doesNotThrow(() => requireDriver({ driver: client, label: client }), client);
  }
});

t.test('other resolution failures are not disguised as a missing driver', async (t) => {
  const broken = () => {
    throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  };
  t.throws(() => requireDriver({ driver: 'pg', label: 'PostgreSQL' }, broken), { message: /EACCES/ });
});
