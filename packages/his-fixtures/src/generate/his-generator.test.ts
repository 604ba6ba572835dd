import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';
import { HisGenerator, type EncounterRows } from './his-generator.js';
import { loadCatalog } from './catalog.js';

function generate(seed: number, orderLines = 3000): { gen: HisGenerator; ref: ReturnType<HisGenerator['reference']>; encounters: EncounterRows[] } {
  const gen = new HisGenerator({ seed, orderLines });
  const ref = gen.reference();
  return { gen, ref, encounters: [...gen.encounters()] };
}

t.test('the catalog mixes real national codes with codes outside the 两库', async (t) => {
  const c = loadCatalog();
  t.ok(
    c.all.some((i) => i.code === 'XL02BBA326A001010102180' && i.tags.sex === '1'),
    '阿帕他胺片 is limited to men',
  );
  t.ok(
    c.all.some((i) => i.code === '001102000050000' && i.tags.dailyMax === 1),
    '住院诊查费 once a day',
  );
  t.ok(c.surgery.size >= 5, 'surgery groups from batch 2');
  t.ok(c.pairs.length > 800, 'duplicate-billing pairs from batch 7');
  const outside = c.all.filter((i) => !i.national);
  t.ok(outside.length > 30);
  t.ok(
    outside.every((i) => !c.all.some((n) => n.national && n.code === i.code)),
    'no collision with a national code',
  );
  t.ok(
    outside.filter((i) => i.type === '101').every((i) => i.code.length === 23),
    'western-drug shape',
  );
  t.ok(
    outside.filter((i) => i.type === '201').every((i) => /^\d{15}$/.test(i.code)),
    'service-item shape',
  );
  t.equal(new Set(c.all.map((i) => i.hospCode)).size, c.all.length, 'hospital codes are unique');
});

t.test("the catalog is drawn from the national rulebook's committed knowledge tables, every code of them", async (t) => {
  const c = loadCatalog();
  const national = c.all.filter((i) => i.national);
  const rb = loadRulebookDir(NATIONAL_RULEBOOK_DIR);
  t.equal(national.length, rb.codeCount, `${national.length} national codes, as many as the rulebook indexes`);
  t.equal(new Set(national.map((i) => i.code)).size, national.length);
  t.strictSame(loadCatalog(NATIONAL_RULEBOOK_DIR), c, 'the default is the bundled national rulebook');
  t.strictSame(loadCatalog(), c, 'deterministic');
});

t.test('another rulebook folder with the national tables can be named; a missing table is named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-catalog-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(NATIONAL_RULEBOOK_DIR, 'rulebook.json'), join(dir, 'rulebook.json'));
  cpSync(join(NATIONAL_RULEBOOK_DIR, 'knowledge'), join(dir, 'knowledge'), { recursive: true });
  // Keep only 阿帕他胺片 among the sex-limited drugs.
  const table = join(dir, 'knowledge', 'drug_gender.csv');
  const lines = readFileSync(table, 'utf8').split('\n');
  writeFileSync(table, [lines[0], ...lines.filter((l) => l.startsWith('阿帕他胺片,')), ''].join('\n'));
  const c = loadCatalog(dir);
  t.ok(
    c.all.some((i) => i.code === 'XL02BBA326A001010102180' && i.tags.sex === '1'),
    '阿帕他胺片 is there',
  );
  t.notOk(
    c.all.some((i) => i.code === 'ZD01AAQ0048010100962'),
    '七制香附丸 (dropped from the table) is not',
  );
  const gen = new HisGenerator({ seed: 5, orderLines: 300, rulebookDir: dir });
  t.equal(gen.catalog.all.length, c.all.length, 'the generator takes the folder as rulebookDir');

  const manifest = JSON.parse(readFileSync(join(dir, 'rulebook.json'), 'utf8'));
  delete manifest.knowledge.item_course;
  writeFileSync(join(dir, 'rulebook.json'), JSON.stringify(manifest));
  t.throws(() => loadCatalog(dir), /knowledge\.item_course is missing/);
  t.throws(() => loadCatalog(join(dir, 'nowhere')), /national rulebook not readable at .*rulebook\.json/);
});

t.test('the same seed gives the same hospital, another seed another', async (t) => {
  const a = generate(5, 1500);
  const b = generate(5, 1500);
  const c = generate(6, 1500);
  t.same(a.encounters, b.encounters);
  t.same(a.ref.patients, b.ref.patients);
  t.not(JSON.stringify(a.encounters[0]), JSON.stringify(c.encounters[0]));
});

t.test('a realistic mix: ages, sexes, outpatients and inpatients over the months', async (t) => {
  const { gen, ref, encounters } = generate(3, 6000);
  const lines = encounters.reduce((n, e) => n + e.orders.length, 0);
  t.ok(lines >= 6000 && lines < 6000 + 400, `stops near the target (${lines})`);
  const sexes = new Set(ref.patients.map((p) => p.gend));
  t.ok(sexes.has('1') && sexes.has('2'));
  const years = ref.patients.map((p) => 2025 - Number(String(p.brdy).slice(0, 4)));
  t.ok(Math.min(...years) < 10 && Math.max(...years) > 70, 'children and the elderly');
  const inpatients = encounters.filter((e) => e.encounter.med_mdtrt_type === '2');
  const outpatients = encounters.filter((e) => e.encounter.med_mdtrt_type === '1');
  t.ok(inpatients.length > 10 && outpatients.length > inpatients.length);
  const months = new Set(encounters.map((e) => String(e.encounter.adm_date).slice(0, 7)));
  t.same([...months].sort(), ['2025-01', '2025-02', '2025-03']);
  t.same(gen.period, { from: '2025-01-01', to: '2025-03-31' });
  t.ok(
    inpatients.some((e) => e.operations.length > 0),
    'operations',
  );
  t.ok(
    inpatients.every((e) => e.orders.every((o) => String(o.drord_begn_date) >= String(e.encounter.adm_date).slice(0, 10))),
    'orders within the stay',
  );
  t.ok(
    encounters.some((e) => e.encounter.dscg_date === null),
    'some patients are still in hospital at the end',
  );
  const rx = encounters.flatMap((e) => e.orders.map((o) => o.rx_id));
  t.equal(new Set(rx).size, rx.length, 'rx_id unique');
  for (const e of encounters) {
    const sum = e.orders.reduce((s, o) => s + Number(o.sumamt), 0);
    if (Math.abs(sum - Number(e.encounter.medfee_sumamt)) > 0.01) {
      t.fail(`fee of ${e.encounter.mdtrt_id}`);
      break;
    }
  }
});

t.test('order lines carry national codes, hospital codes, or both', async (t) => {
  // Seed 2: its unmapped codes are ordinary ones. With some seeds (4, 3) a code billed every
  // inpatient day (住院诊查费) is among the ~2% unmapped and alone makes >10% of the lines.
  const { ref, encounters } = generate(2, 4000);
  const orders = encounters.flatMap((e) => e.orders);
  const withNational = orders.filter((o) => o.hilist_code).length;
  t.ok(withNational > orders.length * 0.3 && withNational < orders.length * 0.7, 'about half carry the national code');
  t.ok(
    orders.every((o) => o.hosplist_code),
    'every line has the hospital code',
  );
  const mapped = new Set(ref.codeMap.map((m) => m.hosplist_code));
  const unmappedLines = orders.filter((o) => !o.hilist_code && !mapped.has(o.hosplist_code as string));
  t.ok(unmappedLines.length > 0, 'some lines cannot be mapped');
  t.ok(unmappedLines.length < orders.length * 0.1);
  t.ok(
    orders.some((o) => o.hilist_code && !/^(XZ|0099|C99)/.test(String(o.hilist_code))),
    'real national codes in use',
  );
});

t.test('no patient is in hospital twice at once', async (t) => {
  const { encounters } = generate(9, 8000);
  const stays = new Map<string, Array<[string, string]>>();
  for (const e of encounters.filter((x) => x.encounter.med_mdtrt_type === '2')) {
    const list = stays.get(e.encounter.patn_id as string) ?? [];
    list.push([String(e.encounter.adm_date).slice(0, 10), String(e.encounter.dscg_date ?? '9999').slice(0, 10)]);
    stays.set(e.encounter.patn_id as string, list);
  }
  for (const list of stays.values()) {
    list.sort();
    for (let i = 1; i < list.length; i++) if (list[i][0] <= list[i - 1][1]) t.fail(`overlap ${JSON.stringify(list)}`);
  }
  t.pass('checked');
});
