import t from 'tap';
import { NATIONAL_FIELDS, NATIONAL_LISTS, describeField, fieldsOf, requiredAt } from './fields.js';
import { checkDataJsonSchema, encounterJsonSchema, orderJsonSchema } from './json-schema.js';
import { buildViewContract, PATIENT_COLUMNS, VIEW_KEYS } from './view-contract.js';
import { normalizeCheckData } from './normalize.js';
import fs from 'node:fs';
import type { ContractView, ViewKey } from './view-contract.js';

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(new URL(`../../test/fixtures/published/${name}`, import.meta.url), 'utf8'));
const published = fixture('national-schema.json') as Record<'orderSchema' | 'encounterSchema' | 'checkDataSchema', unknown>;
const adapter = fixture('view-contract.json') as { VIEW_KEYS: ViewKey[]; PATIENT_COLUMNS: string[]; VIEW_CONTRACT: Record<ViewKey, ContractView> };

t.test('a field is declared once per level', async (t) => {
  const seen = new Set<string>();
  for (const f of NATIONAL_FIELDS) {
    const key = `${f.level}.${f.name}`;
    t.notOk(seen.has(key), key);
    seen.add(key);
    t.match(f.name, /^[a-z][a-z0-9_]*$/);
    t.ok(f.zh && f.en, `${key} has both meanings`);
  }
  for (const l of NATIONAL_LISTS) t.notOk(seen.has(`${l.parent}.${l.name}`), `${l.name} is a list, not a field`);
});

t.test('the JSON Schemas equal what the service publishes today', async (t) => {
  t.strictSame(orderJsonSchema(), published.orderSchema);
  t.strictSame(encounterJsonSchema(), published.encounterSchema);
  t.strictSame(checkDataJsonSchema(), published.checkDataSchema);
});

t.test('the view contract equals what the adapter documents today', async (t) => {
  const built = buildViewContract();
  t.same(VIEW_KEYS, adapter.VIEW_KEYS);
  t.same(PATIENT_COLUMNS, adapter.PATIENT_COLUMNS);
  for (const key of VIEW_KEYS) {
    const want = adapter.VIEW_CONTRACT[key];
    t.equal(built[key].defaultName, want.defaultName, key);
    t.equal(built[key].label, want.label, key);
    // The adapter wrote `required` only on text and date columns; absent means false.
    t.strictSame(
      built[key].columns,
      want.columns.map((c) => ({ ...c, required: c.required === true })),
      key,
    );
  }
});

t.test('the view contract is a fresh copy each time', async (t) => {
  const a = buildViewContract();
  a.orders.columns.length = 0;
  t.ok(buildViewContract().orders.columns.length > 30);
});

t.test('the normaliser reads each field by the kind the table gives it', async (t) => {
  // Every number field of every level accepts a numeric string and refuses text.
  const order: Record<string, unknown> = { rx_id: 'R1' };
  for (const f of fieldsOf('order')) if (f.kind === 'number') order[f.name] = '2.5';
  const enc: Record<string, unknown> = { mdtrt_id: 'M1', fsi_order_dtos: [order] };
  for (const f of fieldsOf('encounter')) if (f.kind === 'number') enc[f.name] = '7';
  const ok = normalizeCheckData({ patient_dtos: [{ patn_id: 'P1', fsi_encounter_dtos: [enc] }] });
  t.ok(ok.ok);
  if (!ok.ok) return;
  const e = ok.value.patient_dtos[0].fsi_encounter_dtos![0] as unknown as Record<string, unknown>;
  const o = ok.value.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos![0] as unknown as Record<string, unknown>;
  for (const f of fieldsOf('order')) if (f.kind === 'number') t.equal(o[f.name], 2.5, f.name);
  for (const f of fieldsOf('encounter')) if (f.kind === 'number') t.equal(e[f.name], 7, f.name);
  const dates = fieldsOf('operation')
    .filter((f) => f.kind === 'date')
    .map((f) => f.name);
  const bad = normalizeCheckData({
    patient_dtos: [{ patn_id: 'P1', fsi_encounter_dtos: [{ mdtrt_id: 'M1', fsi_operation_dtos: [Object.fromEntries(dates.map((d) => [d, 'soon']))] }] }],
  });
  t.notOk(bad.ok);
  if (!bad.ok)
    t.same(
      bad.errors.map((x) => x.field),
      dates.map((d) => `patient_dtos[0].fsi_encounter_dtos[0].fsi_operation_dtos[0].${d}`),
    );
});

t.test('required fields come from the table, and each missing one is named', async (t) => {
  t.same(requiredAt('order'), ['rx_id']);
  t.same(requiredAt('data'), ['patient_dtos']);
  const r = normalizeCheckData({ patient_dtos: [{ fsi_encounter_dtos: [{ fsi_order_dtos: [{}] }] }] });
  t.notOk(r.ok);
  if (!r.ok) {
    t.same(r.errors.map((e) => e.field).sort(), [
      'patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].rx_id',
      'patient_dtos[0].fsi_encounter_dtos[0].mdtrt_id',
      'patient_dtos[0].patn_id',
    ]);
  }
});

t.test('descriptions join the Chinese name and the note', async (t) => {
  t.equal(describeField({ name: 'x', level: 'order', kind: 'string', zh: '数量', en: 'Quantity' }), '数量');
  t.equal(describeField({ name: 'x', level: 'order', kind: 'string', zh: '是否当前', en: '', note: '1 当前' }), '是否当前 1 当前');
  t.equal(describeField({ name: 'x', level: 'data', kind: 'string', zh: '触发场景', en: '', note: ': 1–5' }), '触发场景: 1–5');
});
