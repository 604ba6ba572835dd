import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSourceConfig, interpolateEnv } from './source-config.js';
import { loadSourceConfig, SourceConfigError } from './load-source-config.js';

t.test('a minimal database source gets defaults', async (t) => {
  const r = validateSourceConfig({ client: 'postgres', connection: 'postgres://u@h/db' });
  t.ok(r.ok);
  if (!r.ok) return;
  t.equal(r.config.kind, 'database');
  if (r.config.kind !== 'database') return;
  t.equal(r.config.client, 'pg');
  t.equal(r.config.page_size, 200);
  t.same(r.config.views, {});
});

t.test('client aliases cover the hospital databases', async (t) => {
  for (const [alias, client] of [
    ['mariadb', 'mysql2'],
    ['sqlserver', 'mssql'],
    ['oracle', 'oracledb'],
    ['sqlite', 'better-sqlite3'],
    ['kingbase', 'pg'],
  ]) {
    const r = validateSourceConfig({ client: alias, connection: {} });
    t.ok(r.ok && r.config.kind === 'database' && r.config.client === client, alias);
  }
});

t.test('every bad field is reported with its path, column by column', async (t) => {
  const r = validateSourceConfig({
    client: 'db2',
    connection: 42,
    page_size: 0,
    views: {
      orders: { name: 'V_YZ', columns: { hilist_cod: 'YBBM', cnt: '', rx_id: 'YZID' }, values: { gend: { M: '1' } } },
      encounters: false,
      lab_results: 'V_LIS',
    },
  });
  t.notOk(r.ok);
  if (r.ok) return;
  const fields = r.problems.map((p) => p.field).sort();
  t.same(
    fields,
    ['client', 'connection', 'page_size', 'views.encounters', 'views.lab_results', 'views.orders.columns.cnt', 'views.orders.columns.hilist_cod', 'views.orders.values.gend'].sort(),
  );
  const typo = r.problems.find((p) => p.field === 'views.orders.columns.hilist_cod')!;
  t.match(typo.message, /did you mean hilist_code/);
});

t.test('code conventions are kept as strings', async (t) => {
  const r = validateSourceConfig({ client: 'pg', connection: 'x', views: { encounters: { values: { gend: { M: 1, F: '2' } } } } });
  t.ok(r.ok);
  if (!r.ok || r.config.kind !== 'database') return;
  t.same((r.config.views.encounters as { values: unknown }).values, { gend: { M: '1', F: '2' } });
});

t.test('a soap source needs wsdl, operation and a reply mapping', async (t) => {
  const bad = validateSourceConfig({ kind: 'soap', reply: { format: 'csv', columns: { mdtrt_idd: 'JZID' } } });
  t.notOk(bad.ok);
  if (bad.ok) return;
  t.same(bad.problems.map((p) => p.field).sort(), ['operation', 'reply.columns.mdtrt_idd', 'reply.encounters', 'reply.format', 'wsdl']);
  const good = validateSourceConfig({ kind: 'soap', wsdl: 'http://h/ws?wsdl', operation: 'Get', reply: { encounters: 'A.B', orders: { path: 'Orders.Order' } } });
  t.ok(good.ok);
});

t.test('environment placeholders are filled and missing ones reported', async (t) => {
  const problems: Array<{ field: string; message: string }> = [];
  const out = interpolateEnv({ connection: { password: '${PW}', user: '${NOPE}' } }, { PW: 's3cret' }, problems);
  t.same(out, { connection: { password: 's3cret', user: '' } });
  t.same(
    problems.map((p) => p.field),
    ['connection.user'],
  );
});

t.test('loadSourceConfig reads YAML and resolves a relative SQLite file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cfg-'));
  const file = join(dir, 'his.yaml');
  writeFileSync(
    file,
    ['name: 示例医院', 'client: sqlite', 'connection:', '  filename: his.db', 'views:', '  orders:', '    name: V_YZ', '    columns:', '      hilist_code: YBBM'].join('\n'),
  );
  const config = await loadSourceConfig(file);
  t.equal(config.name, '示例医院');
  t.equal(config.kind === 'database' && (config.connection as { filename: string }).filename, join(dir, 'his.db'));
});

t.test('loadSourceConfig throws one error listing every problem', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-cfg-'));
  const file = join(dir, 'his.json');
  writeFileSync(file, JSON.stringify({ client: 'pg', connection: '${PG_URL}', views: { orders: { columns: { cnt: 'SL', pricc: 'DJ' } } } }));
  const err = await loadSourceConfig(file, { env: {} }).catch((e) => e);
  t.type(err, SourceConfigError);
  t.same(
    (err as SourceConfigError).problems.map((p) => p.field),
    ['connection', 'views.orders.columns.pricc'],
  );
  t.match((err as Error).message, /2 problem\(s\)/);
});

t.test('the JSON Schema names each bad field once, in the words of the mapping file', async (t) => {
  const r = validateSourceConfig({
    client: 'MariaDB',
    connection: 'mysql://ro@h/his',
    views: { orders: { nme: 'V_YZ', values: { curr_drord_flag: { Y: {} } } }, diagnoses: true, code_map: '' },
  });
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(Object.fromEntries(r.problems.map((p) => [p.field, p.message])), {
    'views.orders.nme': 'unknown key; expected name, schema, columns, values',
    'views.orders.values.curr_drord_flag.Y': 'must map each of your values to a national value (strings)',
    'views.diagnoses': 'must be a view name, an object, or false',
    'views.code_map': 'must be a view name, an object, or false',
  });
});

t.test("a soap source's 对照 database is checked as a database source, under code_map.", async (t) => {
  const r = validateSourceConfig({
    kind: 'soap',
    wsdl: 'http://h/ws?wsdl',
    operation: 'Get',
    reply: { encounters: 'A', orders: { columns: { cnt: 'SL' } } },
    code_map: { client: 'SQLite', connection: 3 },
  });
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(
    r.problems.map((p) => p.field),
    ['reply.orders.path', 'code_map.connection'],
  );
  const good = validateSourceConfig({ kind: 'soap', wsdl: 'x', operation: 'y', reply: { encounters: 'A' }, code_map: { client: 'SQLite', connection: { filename: 'c.db' } } });
  t.ok(good.ok && good.config.kind === 'soap' && good.config.code_map?.client === 'better-sqlite3', 'client names ignore case');
});

t.test('every column of the contract can be mapped (the schema is derived from it)', async (t) => {
  const { VIEW_CONTRACT, VIEW_KEYS } = await import('../contract/view-contract.js');
  for (const view of VIEW_KEYS) {
    const columns = Object.fromEntries(VIEW_CONTRACT[view].columns.map((c) => [c.name, c.name.toUpperCase()]));
    const r = validateSourceConfig({ client: 'pg', connection: 'x', views: { [view]: { columns } } });
    t.ok(r.ok, view);
  }
});
