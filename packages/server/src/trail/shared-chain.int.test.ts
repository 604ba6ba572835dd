/**
 * The trail with several writers: three instances on one PostgreSQL schema (and on one MariaDB
 * database) append at once; the chain is extended inside the database, so it is one unbroken
 * chain holding every row, and `preaudit trail verify` (alias `audit-log verify`) checks it all.
 */
import t from 'tap';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { verifyCommand } from './cli.js';
import { dropMysqlDatabase, MYSQL_URL, PG_URL, testApp, uniqueName } from '../test-support/helpers.js';

for (const engine of [
  { name: 'PostgreSQL', url: PG_URL },
  { name: 'MariaDB', url: MYSQL_URL },
]) {
  t.test(`three writers on ${engine.name}`, async (t) => {
    const schema = uniqueName('trail');
    const apps: FastifyInstance[] = [];
    t.teardown(async () => {
      for (const a of apps) await a.close();
      if (engine.url === MYSQL_URL) await dropMysqlDatabase(schema);
      else {
        const k = knexFactory({ client: 'pg', connection: PG_URL });
        await k.raw('drop schema if exists ?? cascade', [schema]);
        await k.destroy();
      }
    });
    // Started together: the head row they lock is created once.
    apps.push(...(await Promise.all([0, 1, 2].map(() => testApp({ databaseUrl: engine.url, databaseSchema: schema, flushIntervalMs: 5, flushBatchSize: 7 })))));

    const PER = 300;
    await Promise.all(
      apps.map(async (app, i) => {
        for (let n = 0; n < PER; n++) {
          app.trail.append({ actor: `inst${i}`, role: 'admin', route: '/test', action: 'test.write', ref: `${i}-${n}`, outcome: 'ok' });
          if (n % 50 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        // Requests too: the request hook appends as in production.
        for (let n = 0; n < 20; n++) await app.inject({ method: 'GET', url: '/v1/audit-jobs/sources' });
      }),
    );
    for (const a of apps) await a.trail.flush();

    const db = apps[0].db;
    const refs = (await db('audit_log').where({ action: 'test.write' }).select('ref')).map((r) => r.ref as string);
    t.equal(refs.length, 3 * PER, 'every appended row stored');
    t.equal(new Set(refs).size, 3 * PER, 'none twice');
    // Each instance's own rows keep their order within the shared chain.
    for (let i = 0; i < 3; i++) {
      const mine = (
        await db('audit_log')
          .where({ actor: `inst${i}` })
          .orderBy('seq')
          .select('ref')
      ).map((r) => Number(String(r.ref).split('-')[1]));
      t.same(
        mine,
        mine.map((_, k) => k),
        `instance ${i}'s rows in its order`,
      );
    }
    const total = Number((await db('audit_log').count({ n: '*' }))[0].n);
    const lines: string[] = [];
    t.equal(await verifyCommand({ databaseUrl: engine.url, schema }, (l) => lines.push(l)), 0, lines.join('\n'));
    t.match(lines[0], `trail intact: ${total} rows`);

    // Tampering with any instance's row is found.
    const victim = await db('audit_log').where({ actor: 'inst2', ref: '2-100' }).first('seq');
    await db('audit_log').where({ seq: victim.seq }).update({ outcome: 'forged' });
    const broken: string[] = [];
    t.equal(await verifyCommand({ databaseUrl: engine.url, schema }, (l) => broken.push(l)), 1);
    t.match(broken.join('\n'), `seq ${Number(victim.seq)}: altered`);
  });
}
