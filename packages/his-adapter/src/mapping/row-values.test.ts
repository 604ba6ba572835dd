import t from 'tap';
import { compileRowMapper, formatLocal, normalizeDateText, normalizeValue, mapRow } from './row-values.js';

t.test('dates from every driver end up as national wall-clock text', async (t) => {
  t.equal(normalizeValue(new Date(2025, 2, 1, 8, 30, 0), 'date'), '2025-03-01 08:30:00');
  t.equal(normalizeValue(new Date(2025, 2, 1), 'date'), '2025-03-01');
  t.equal(normalizeValue('20250301', 'date'), '2025-03-01');
  t.equal(normalizeValue('20250301083000', 'date'), '2025-03-01 08:30:00');
  t.equal(normalizeValue('2025-03-01T08:30:00.000', 'date'), '2025-03-01 08:30:00');
  t.equal(normalizeValue('2025/3/1 8:30', 'date'), '2025-03-01 08:30:00');
  t.equal(normalizeDateText('2025-03-01 00:00:00'), '2025-03-01');
  t.equal(normalizeValue('2025-03-01 08:30:00.250', 'date'), '2025-03-01 08:30:00', 'fractions of a second (PostgreSQL text) dropped');
  t.equal(formatLocal(new Date(2024, 11, 31, 23, 59, 59)), '2024-12-31 23:59:59');
  t.equal(normalizeValue('', 'date'), undefined);
});

t.test('numbers arrive as text from PostgreSQL and MySQL', async (t) => {
  t.equal(normalizeValue('12.50', 'number'), 12.5);
  t.equal(normalizeValue(3, 'number'), 3);
  t.equal(normalizeValue('abc', 'number'), 'abc', 'kept so normalizeCheckData reports it');
  t.equal(normalizeValue(null, 'number'), undefined);
});

t.test('strings lose CHAR padding and map through code conventions', async (t) => {
  t.equal(normalizeValue('M   ', 'string', { M: '1', F: '2' }), '1');
  t.equal(normalizeValue('X', 'string', { M: '1' }), 'X');
  t.equal(normalizeValue(42, 'string'), '42');
  t.equal(normalizeValue('   ', 'string'), undefined);
});

t.test('the compiled mapper gives what mapRow gives', async (t) => {
  const cols = [
    { national: 'rx_id', kind: 'string' as const },
    { national: 'cnt', kind: 'number' as const },
    { national: 'pric', kind: 'number' as const },
    { national: 'spec', kind: 'string' as const },
    { national: 'drord_begn_date', kind: 'date' as const },
    { national: 'gend', kind: 'string' as const, values: { M: '1' } },
    { national: 'brdy', kind: 'date' as const },
  ];
  const rows = [
    { rx_id: 'R1  ', cnt: '2.5', pric: 3, spec: '', drord_begn_date: '2025-03-01 00:00:00', gend: 'M', brdy: new Date(1980, 0, 2) },
    { rx_id: 7, cnt: '  ', pric: 'x', spec: ' 3 ', drord_begn_date: '20250301083000', gend: 'F', brdy: '1980-01-02' },
  ];
  const compiled = compileRowMapper(cols, new Set(['spec']));
  for (const row of rows) t.same(compiled(row), mapRow(row, cols, new Set(['spec'])));
  t.same(compiled(rows[0]), { rx_id: 'R1', cnt: 2.5, pric: 3, drord_begn_date: '2025-03-01', gend: '1', brdy: '1980-01-02' });
  const inPlace = compileRowMapper(cols, new Set(['spec']), { inPlace: true });
  for (const row of rows) {
    const copy = { ...row };
    const out = inPlace(copy);
    t.equal(out, copy, 'the row object itself');
    t.same(JSON.parse(JSON.stringify(out)), mapRow(row, cols, new Set(['spec'])), 'empty and skipped values are undefined');
    t.same(Object.keys(out), Object.keys(row), 'no keys added or removed (the shape stays)');
  }
});

t.test('mapRow drops empty values and skipped columns', async (t) => {
  const row = mapRow(
    { mdtrt_id: 'Z1', cnt: '2', pric: null, spec: '' },
    [
      { national: 'mdtrt_id', kind: 'string' },
      { national: 'cnt', kind: 'number' },
      { national: 'pric', kind: 'number' },
      { national: 'spec', kind: 'string' },
    ],
    new Set(['mdtrt_id']),
  );
  t.same(row, { cnt: 2 });
});

t.test('HIS values named like Object.prototype members are kept, not looked up on the prototype (issue 10 #6)', async (t) => {
  const values = { '1': '1', M: '1' };
  for (const v of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    t.equal(normalizeValue(v, 'string', values), v);
    t.same(compileRowMapper([{ national: 'gend', kind: 'string', values }])({ gend: v }), { gend: v });
  }
  t.equal(normalizeValue('M', 'string', values), '1');
});
