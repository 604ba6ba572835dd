/**
 * The SQL each dialect runs, compiled without a database. SQL Server and Oracle have no server
 * on this machine: these compiled statements are all that is tested for them.
 */
import t from 'tap';
import type { DbClient, DbSourceConfig } from '../config/source-config.js';
import { compileOnly } from './connect.js';
import { resolveViews } from './view-columns.js';
import { ViewQueries, nextDay } from './view-queries.js';

const ENC = ['BRID', 'XM', 'XB', 'CSRQ', 'JZID', 'RYRQ', 'CYRQ', 'GXSJ', 'KSDM'];
const ORD = ['JZID', 'YZID', 'YBBM', 'YNBM', 'SL', 'DJ', 'KSRQ'];

function config(client: DbClient): DbSourceConfig {
  return {
    kind: 'database',
    name: 'h',
    client,
    connection: {},
    schema: 'HIS',
    page_size: 100,
    page_encounters: 1000,
    code_cache_size: 10,
    views: {
      encounters: {
        name: 'V_JZ',
        columns: { patn_id: 'BRID', patn_name: 'XM', gend: 'XB', brdy: 'CSRQ', mdtrt_id: 'JZID', adm_date: 'RYRQ', dscg_date: 'CYRQ', updt_time: 'GXSJ', adm_dept_codg: 'KSDM' },
      },
      orders: { name: 'V_YZ', columns: { mdtrt_id: 'JZID', rx_id: 'YZID', hilist_code: 'YBBM', hosplist_code: 'YNBM', cnt: 'SL', pric: 'DJ', drord_begn_date: 'KSRQ' } },
      code_map: { name: 'V_DZ', columns: { hosplist_code: 'YNBM', hilist_code: 'YBBM' } },
    },
  };
}

async function queriesFor(client: DbClient) {
  const conn = await compileOnly(client);
  const { views, problems } = resolveViews(config(client), { encounters: ENC, orders: ORD, code_map: ['YNBM', 'YBBM'] }, conn.dialect.supportsSchema);
  if (problems.length) throw new Error(JSON.stringify(problems));
  return { q: new ViewQueries(conn.knex, conn.dialect, views), dialect: conn.dialect };
}

const scope = { from: '2025-03-01', to: '2025-03-31' };

t.test('nextDay crosses months and years', async (t) => {
  t.equal(nextDay('2025-03-31'), '2025-04-01');
  t.equal(nextDay('2024-12-31'), '2025-01-01');
  t.equal(nextDay('2024-02-28'), '2024-02-29');
});

t.test('PostgreSQL: keyset page of patients', async (t) => {
  const { q } = await queriesFor('pg');
  const sql = q.patientPage(scope, 'P0000100', 200).toSQL().toNative();
  t.equal(sql.sql, 'select "BRID" as "patn_id", count(*) as "n" from "HIS"."V_JZ" where "CYRQ" >= $1 and "CYRQ" < $2 and "BRID" > $3 group by "BRID" order by "BRID" asc limit $4');
  t.same(sql.bindings, ['2025-03-01', '2025-04-01', 'P0000100', 200]);
});

t.test('PostgreSQL: encounters of a page alias every column to its national name', async (t) => {
  const { q } = await queriesFor('pg');
  const sql = q.encountersOf(scope, ['P1', 'P2']).toSQL().toNative().sql;
  t.match(
    sql,
    /^select "BRID" as "patn_id", "XM" as "patn_name", "XB" as "gend", "CSRQ" as "brdy", "JZID" as "mdtrt_id", "RYRQ" as "adm_date", "CYRQ" as "dscg_date", "KSDM" as "adm_dept_codg", "GXSJ" as "updt_time" from "HIS"."V_JZ"/,
  );
  t.match(sql, /"BRID" in \(\$3, \$4\) order by "BRID" asc, "JZID" asc$/);
});

t.test('MySQL/MariaDB: backticks and ? placeholders', async (t) => {
  const { q } = await queriesFor('mysql2');
  const sql = q.childrenOf('orders', ['Z1', 'Z2']).toSQL().toNative();
  t.equal(
    sql.sql,
    'select `JZID` as `mdtrt_id`, `YZID` as `rx_id`, `YBBM` as `hilist_code`, `YNBM` as `hosplist_code`, `SL` as `cnt`, `DJ` as `pric`, `KSRQ` as `drord_begn_date` from `HIS`.`V_YZ` where `JZID` in (?, ?) order by `JZID` asc, `YZID` asc',
  );
});

t.test('SQL Server: TOP instead of LIMIT, dates bound as Date objects', async (t) => {
  const { q } = await queriesFor('mssql');
  const sql = q.patientPage(scope, undefined, 200).toSQL().toNative();
  t.equal(sql.sql, 'select top (@p0) [BRID] as [patn_id], count(*) as [n] from [HIS].[V_JZ] where [CYRQ] >= @p1 and [CYRQ] < @p2 group by [BRID] order by [BRID] asc');
  t.equal(sql.bindings[0], 200);
  t.type(sql.bindings[1], Date);
  t.equal((sql.bindings[2] as Date).getDate(), 1);
  t.equal((sql.bindings[2] as Date).getMonth(), 3, 'the exclusive bound is 1 April, local time');
});

t.test('SQL Server: incremental reads by change timestamp', async (t) => {
  const { q } = await queriesFor('mssql');
  const sql = q.countEncounters({ changedAfter: '2025-03-01 08:00:00', changedUpTo: '2025-03-01 09:00:00' }).toSQL().toNative();
  t.equal(sql.sql, 'select count(*) as [n] from [HIS].[V_JZ] where [GXSJ] > @p0 and [GXSJ] <= @p1');
  t.equal((sql.bindings[0] as Date).getHours(), 8);
});

t.test('Oracle: ROWNUM paging, :n placeholders, quoted upper-case identifiers', async (t) => {
  const { q } = await queriesFor('oracledb');
  const sql = q.patientPage(scope, 'P9', 50).toSQL().toNative();
  t.equal(
    sql.sql,
    'select * from (select "BRID" "patn_id", count(*) "n" from "HIS"."V_JZ" where "CYRQ" >= :1 and "CYRQ" < :2 and "BRID" > :3 group by "BRID" order by "BRID" asc) where rownum <= :4',
  );
  t.type(sql.bindings[0], Date, 'a text bound would depend on NLS_DATE_FORMAT');
});

t.test('Oracle: IN lists are split at 1000 items', async (t) => {
  const { q, dialect } = await queriesFor('oracledb');
  t.equal(dialect.maxInList, 1000);
  const ids = Array.from({ length: 2500 }, (_, i) => `Z${i}`);
  const chunks = q.chunks(ids);
  t.same(
    chunks.map((c) => c.length),
    [1000, 1000, 500],
  );
  const sql = q.childrenOf('orders', chunks[0]).toSQL().toNative().sql;
  t.match(sql, /"JZID" in \(:1, .*:1000\)/);
  t.notMatch(sql, /:1001/);
});

t.test('Oracle: 对照 lookups', async (t) => {
  const { q } = await queriesFor('oracledb');
  t.equal(q.codeMap(['H1']).toSQL().toNative().sql, 'select "YNBM" "hosplist_code", "YBBM" "hilist_code" from "HIS"."V_DZ" where "YNBM" in (:1)');
});

t.test('SQLite: no schema qualifier', async (t) => {
  const { q } = await queriesFor('better-sqlite3');
  t.equal(q.maxChangeTime({}).toSQL().toNative().sql, 'select max(`GXSJ`) as `t` from `V_JZ`');
});

t.test('a scope needing an unmapped column says which', async (t) => {
  const conn = await compileOnly('pg');
  const { views } = resolveViews({ ...config('pg'), views: {} }, { encounters: ['patn_id', 'mdtrt_id', 'adm_date'], orders: ['mdtrt_id', 'rx_id'] });
  const q = new ViewQueries(conn.knex, conn.dialect, views);
  t.throws(() => q.countEncounters({ changedAfter: '2025-01-01' }), /updt_time/);
  t.throws(() => q.countEncounters({ from: '2025-01-01' }), /dscg_date/);
  t.doesNotThrow(() => q.countEncounters({ from: '2025-01-01', dateColumn: 'adm_date' }));
});

t.test('drivers load lazily: compiling loads none', async (t) => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  await queriesFor('oracledb');
  await queriesFor('mssql');
  const loaded = Object.keys(require.cache);
  t.notOk(
    loaded.some((p) => /node_modules\/oracledb\//.test(p)),
    'oracledb not loaded',
  );
  t.notOk(
    loaded.some((p) => /node_modules\/(mssql|tedious)\//.test(p)),
    'mssql not loaded',
  );
});
