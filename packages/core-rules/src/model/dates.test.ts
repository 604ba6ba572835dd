import t from 'tap';
import { dayOf, fullYears, parseDateTime, toWallClock } from './dates.js';

t.test('national date shapes parse; impossible dates do not', async (t) => {
  t.equal(parseDateTime('2025-06-01'), Date.UTC(2025, 5, 1));
  t.equal(parseDateTime('2025-06-01 13:45:10'), Date.UTC(2025, 5, 1, 13, 45, 10));
  t.equal(parseDateTime('2025-06-01T13:45:10'), Date.UTC(2025, 5, 1, 13, 45, 10));
  t.equal(parseDateTime('2025-06-01 13:45'), Date.UTC(2025, 5, 1, 13, 45));
  t.equal(parseDateTime('20250601'), Date.UTC(2025, 5, 1));
  for (const bad of ['2025-02-30', '2025-13-01', '2025-06-01 25:00:00', 'yesterday', '2025/06/01', '', '2025-06-01 1:00']) {
    t.ok(Number.isNaN(parseDateTime(bad)), bad);
  }
});

t.test('age is full years, the birthday itself counting', async (t) => {
  const b = parseDateTime('2007-06-15');
  t.equal(fullYears(b, parseDateTime('2025-06-14 23:59:59')), 17);
  t.equal(fullYears(b, parseDateTime('2025-06-15')), 18);
  t.equal(fullYears(parseDateTime('2008-02-29'), parseDateTime('2026-02-28')), 17);
  t.equal(fullYears(parseDateTime('2008-02-29'), parseDateTime('2026-03-01')), 18);
});

t.test('day numbers ignore the clock time and the host zone', async (t) => {
  t.equal(dayOf(parseDateTime('2025-06-01 00:00:00')), dayOf(parseDateTime('2025-06-01 23:59:59')));
  t.equal(dayOf(parseDateTime('2025-06-02')) - dayOf(parseDateTime('2025-06-01 23:59:59')), 1);
  const d = new Date(2025, 5, 1, 8, 0, 0);
  t.equal(toWallClock(d), Date.UTC(2025, 5, 1, 8, 0, 0));
});

t.test('parsing agrees with Date.UTC over centuries of days, leap years included', async (t) => {
  let bad = 0;
  for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000 * 3 + 3_723_000) {
    const d = new Date(ms);
    const text = d.toISOString().slice(0, 19).replace('T', ' ');
    if (parseDateTime(text) !== ms) bad++;
    if (fullYears(Date.UTC(1900, 0, 1), ms) !== d.getUTCFullYear() - 1900) bad++;
  }
  t.equal(bad, 0);
  t.ok(Number.isNaN(parseDateTime('2100-02-29')));
  t.equal(parseDateTime('2000-02-29'), Date.UTC(2000, 1, 29));
});
