import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PaStatus, statusName } from './status.js';
import { PACKAGE_DIR } from './library-path.js';

t.test('every status code matches the header', async (t) => {
  const header = readFileSync(path.join(PACKAGE_DIR, 'include', 'preaudit.h'), 'utf8');
  const declared = new Map([...header.matchAll(/\bPA_([A-Z]+) = (-?\d+),?/g)].map((m) => [m[1], Number(m[2])]));
  for (const [name, code] of Object.entries(PaStatus)) t.equal(declared.get(name), code, `PA_${name}`);
  t.equal(declared.size, Object.keys(PaStatus).length, 'and no code the header has is missing here');
});

t.test('statusName gives the header name', async (t) => {
  t.equal(statusName(2), 'PA_SKIPPED');
  t.equal(statusName(-11), 'PA_ETIMEOUT');
  t.equal(statusName(42), 'PA_42');
});
