import t from 'tap';
import { resolveViews } from './view-columns.js';
import type { DbSourceConfig } from '../config/source-config.js';

const base = (views: DbSourceConfig['views']): DbSourceConfig => ({
  kind: 'database',
  name: 'h',
  client: 'oracledb',
  connection: {},
  schema: 'HIS',
  page_size: 10,
  page_encounters: 100,
  views,
  code_cache_size: 10,
});

t.test('unmapped contract columns are found by national name, ignoring case', async (t) => {
  const { views, problems } = resolveViews(base({}), {
    encounters: ['PATN_ID', 'MDTRT_ID', 'ADM_DATE', 'GEND'],
    orders: ['MDTRT_ID', 'RX_ID', 'HILIST_CODE'],
  });
  t.same(problems, []);
  t.same(views.encounters!.byNational, { patn_id: 'PATN_ID', gend: 'GEND', mdtrt_id: 'MDTRT_ID', adm_date: 'ADM_DATE' });
  t.equal(views.encounters!.schema, 'HIS');
  t.equal(views.encounters!.name, 'pa_encounter');
  t.notOk(views.diagnoses, 'an optional view that is absent and not configured is skipped');
});

t.test('a mapping that points at nothing is reported column by column', async (t) => {
  const { problems } = resolveViews(
    base({
      encounters: { name: 'V_JZ', columns: { patn_id: 'BRID', mdtrt_id: 'JZID', adm_date: 'RYRQ', gend: 'XINGBIE' } },
      orders: { name: 'V_YZ', columns: { rx_id: 'YZID', hilist_code: 'YBBM', cnt: 'SHULIANG' } },
      operations: { name: 'V_SS' },
    }),
    {
      encounters: ['BRID', 'JZID', 'RYRQ', 'XB'],
      orders: ['JZID', 'YZID', 'YBDM', 'SL'],
      operations: null,
    },
  );
  const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
  t.same(Object.keys(byField).sort(), [
    'views.encounters.columns.gend',
    'views.operations.name',
    'views.orders.columns.cnt',
    'views.orders.columns.hilist_code',
    'views.orders.columns.mdtrt_id',
  ]);
  t.match(byField['views.orders.columns.hilist_code'], /YBBM.*not found in HIS\.V_YZ; see its columns above/);
  t.match(byField['views.orders.columns.mdtrt_id'], /required column mdtrt_id.*it has: JZID, YZID, YBDM, SL/, "the view's columns are listed once");
  t.match(byField['views.operations.name'], /HIS\.V_SS not found/);
});

t.test('code conventions ride along with their column', async (t) => {
  const { views, problems } = resolveViews(base({ encounters: { columns: { gend: 'XB' }, values: { gend: { M: '1', F: '2' }, matn_stas: { Y: '1' } } } }), {
    encounters: ['PATN_ID', 'MDTRT_ID', 'ADM_DATE', 'XB'],
    orders: ['MDTRT_ID', 'RX_ID'],
  });
  t.same(
    problems.map((p) => p.field),
    ['views.encounters.values.matn_stas'],
  );
  t.same(
    views.encounters!.columns.find((c) => c.national === 'gend'),
    { national: 'gend', column: 'XB', kind: 'string', values: { M: '1', F: '2' } },
  );
});

t.test('SQLite has no schemas', async (t) => {
  const { views } = resolveViews({ ...base({}), client: 'better-sqlite3' }, { encounters: ['patn_id', 'mdtrt_id', 'adm_date'], orders: ['mdtrt_id', 'rx_id'] }, false);
  t.equal(views.encounters!.schema, undefined);
});

t.test('curr_drord_flag reads Y/N, 是/否 and true/false as 1/0 by default (DOMAIN.md: the engine refuses other values)', async (t) => {
  const { views } = resolveViews(base({}), { encounters: ['PATN_ID', 'MDTRT_ID', 'ADM_DATE'], orders: ['MDTRT_ID', 'RX_ID', 'CURR_DRORD_FLAG'] });
  const flag = views.orders!.columns.find((c) => c.national === 'curr_drord_flag')!;
  for (const yes of ['Y', 'y', '是', 'true', 'TRUE', 'True']) t.equal(flag.values![yes], '1', yes);
  for (const no of ['N', 'n', '否', 'false', 'FALSE', 'False']) t.equal(flag.values![no], '0', no);
  t.notOk(Object.hasOwn(flag.values!, '1'), '1 and 0 pass through as they are');
  t.notOk(views.orders!.columns.find((c) => c.national === 'rx_id')!.values, 'other columns keep no convention');
});

t.test("a mapping file's own curr_drord_flag values win over the default and extend it", async (t) => {
  const { views } = resolveViews(base({ orders: { values: { curr_drord_flag: { 当前: '1', 历史: '0', Y: '0' } } } }), {
    encounters: ['PATN_ID', 'MDTRT_ID', 'ADM_DATE'],
    orders: ['MDTRT_ID', 'RX_ID', 'CURR_DRORD_FLAG'],
  });
  const flag = views.orders!.columns.find((c) => c.national === 'curr_drord_flag')!;
  t.equal(flag.values!['当前'], '1');
  t.equal(flag.values!['历史'], '0');
  t.equal(flag.values!.Y, '0', 'the file wins where both name a value');
  t.equal(flag.values!['是'], '1', 'the default still covers what the file leaves out');
});
