import jsonLogic from 'json-logic-js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { applyLogic, compileLogic } from './index.js';

// The official JsonLogic suite (tests.json): every case through the compiled path, the
// interpreted path and json-logic-js itself; all three must give the suite's answer.

/** The suite, vendored with its licence in test/fixtures/jsonlogic (see test/fixtures/README.md). */
const SUITE = fileURLToPath(new URL('../../test/fixtures/jsonlogic/tests.json', import.meta.url));

const entries: unknown[] = JSON.parse(readFileSync(SUITE, 'utf8'));
const cases = entries.filter((entry): entry is [unknown, unknown, unknown] => typeof entry !== 'string');

t.ok(Array.isArray(entries) && cases.length > 250, `suite loaded: ${entries.length} entries, ${cases.length} cases`);

let run = 0;
for (const [index, [rule, data, expected]] of cases.entries()) {
  t.test(`#${index} ${JSON.stringify(rule)} @ ${JSON.stringify(data)}`, (tt) => {
    const reference = jsonLogic.apply(rule as never, data);
    tt.strictSame(reference, expected, 'json-logic-js gives the expected answer');
    const compiled = compileLogic(rule)(data);
    tt.strictSame(compiled, reference, 'compiled path equals json-logic-js');
    tt.strictSame(compiled, expected, 'compiled path equals the suite');
    const interpreted = applyLogic(rule, data);
    tt.strictSame(interpreted, reference, 'interpreted path equals json-logic-js');
    tt.strictSame(interpreted, expected, 'interpreted path equals the suite');
    run++;
    tt.end();
  });
}

t.test('every case of the suite ran', (tt) => {
  const expectedCount = entries.filter((entry) => typeof entry !== 'string').length;
  tt.equal(run, expectedCount, `${run} of ${expectedCount} cases ran (${entries.length - expectedCount} comment lines skipped)`);
  tt.equal(expectedCount, 277, 'the suite holds 277 cases');
  tt.end();
});
