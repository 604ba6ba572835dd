import jsonLogic from 'json-logic-js';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { applyLogic, compileLogic } from './index.js';

// Corners of json-logic-js 2.0.5 that the official suite does not visit. Each case runs through
// json-logic-js, the compiled path and the interpreted path; results are compared with
// isDeepStrictEqual, which (unlike t.strictSame) tells -0 from 0.

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

const data = {
  a: 1,
  zero: 0,
  negZero: -0,
  s: 'abc',
  n: '3',
  empty: '',
  nul: null,
  t: true,
  f: false,
  list: [1, 2, 3],
  words: ['x', 'y'],
  nested: { b: { c: 'deep' }, arr: [10, 20] },
  items: [
    { qty: 1, sku: 'A' },
    { qty: 0, sku: 'B' },
  ],
  emptyList: [],
};

const cases: Array<[unknown, unknown]> = [
  // arithmetic and its coercions
  [{ '+': ['-0'] }, data],
  [{ '+': [{ var: 'negZero' }] }, data],
  [{ '+': [] }, data],
  [{ '+': ['1.5', '2abc', true] }, data],
  [{ '+': [{ var: 'n' }, { var: 'list' }] }, data],
  [{ '*': [-1, 0, 5] }, data],
  [{ '*': [{ var: 'a' }, -1, { var: 'zero' }, 5] }, data],
  [{ '*': ['2'] }, data],
  [{ '*': [{ var: 'n' }] }, data],
  [{ '*': [{ var: 'n' }, '2'] }, data],
  [{ '-': [{ var: 'n' }] }, data],
  [{ '-': [5, null] }, data],
  [{ '-': ['3'] }, data],
  [{ '-': [] }, data],
  [{ '-': [{ var: 'a' }, { var: 'missing' }] }, data],
  [{ '-': [{ var: 'zero' }] }, data],
  [{ '/': [1, 0] }, data],
  [{ '/': [{ var: 'a' }, { var: 'zero' }] }, data],
  [{ '%': [{ var: 'n' }, 2] }, data],
  [{ max: [] }, data],
  [{ min: [] }, data],
  [{ max: ['3', 2] }, data],
  [{ max: [[1]] }, data],
  [{ min: [{ var: 'zero' }, { var: 'negZero' }] }, data],
  [{ max: [{ var: 'list' }] }, data],
  // comparisons
  [{ '==': [[], false] }, data],
  [{ '==': [null, 0] }, data],
  [{ '==': [{ var: 'nul' }, { var: 'missing' }] }, data],
  [{ '==': [1] }, data],
  [{ '==': [{ var: 'list' }, '1,2,3'] }, data],
  [{ '!=': [{ var: 'n' }, 3] }, data],
  [{ '<': [1, 2, { var: 'missing' }] }, data],
  [{ '<': [1, { var: 'a' }, 3, 99] }, data],
  [{ '<=': [1, { var: 'a' }, { var: 'n' }] }, data],
  [{ '>': ['b', 'a'] }, data],
  [{ '>': [{ var: 's' }, 'abd'] }, data],
  [{ '<': [{ var: 'a' }, 2, { var: 'a' }] }, data],
  [{ '>=': [{ var: 'nul' }, 0] }, data],
  // truthiness
  [{ '!': [] }, data],
  [{ '!!': [[0]] }, data],
  [{ '!!': { var: 'emptyList' } }, data],
  [{ '!': { var: 'n' } }, data],
  [{ and: [] }, data],
  [{ or: [] }, data],
  [{ and: [1] }, data],
  [{ and: [{ var: 'a' }, true] }, data],
  [{ or: [false, { var: 'emptyList' }] }, data],
  [{ and: [{ var: 'a' }, 0, { var: 'boom.x' }] }, data],
  [{ or: [{ var: 'zero' }, '', { var: 's' }, { var: 'a' }] }, data],
  [{ if: true }, data],
  [{ if: [{ var: 'empty' }, 1] }, data],
  [{ if: [{ var: 'a' }, 1, false, 2] }, data],
  [{ if: [{ var: 'zero' }, 1, { var: 'a' }, 2, 3] }, data],
  [{ if: [false, 1, { var: 'zero' }, 2] }, data],
  [{ '?:': [{ var: 'list' }, { var: 'words' }] }, data],
  // var
  [{ var: 'length' }, 'hello'],
  [{ var: '0' }, 'hello'],
  [{ var: 1.5 }, [[0, 1]]],
  [{ var: 1.5 }, { 1: { 5: 'x' } }],
  [{ var: ['missing', { var: 'a' }] }, data],
  [{ var: [{ var: 's' }] }, { s: 'abc', abc: 42 }],
  [{ var: 's.length' }, data],
  [{ var: 'nested.arr.1' }, data],
  [{ var: 'nested.b.c.d' }, data],
  [{ var: ['nul', 'dflt'] }, data],
  [{ var: ['f', 'dflt'] }, data],
  [{ var: ['nested.b.x', null] }, data],
  [{ var: true }, { true: 'yes' }],
  [{ var: [''] }, 'whole'],
  [{ var: 'a' }, undefined],
  [{ var: 'a' }, 5],
  [{ var: ['x', [1, 2]] }, {}],
  [{ var: 'list.' }, data],
  // in
  [{ in: ['', ''] }, data],
  [{ in: [null, [null]] }, data],
  [{ in: ['1', [1]] }, data],
  [{ in: [1, ['1']] }, data],
  [{ in: [{ var: 'a' }, [1, 2, 3]] }, data],
  [{ in: [{ var: 'n' }, [1, 2, 3]] }, data],
  [{ in: [{ var: 'list' }, [[1, 2, 3]]] }, data],
  [{ in: ['a', 5] }, data],
  [{ in: ['b', { var: 's' }] }, data],
  [{ in: [1, 'a1b'] }, data],
  [{ in: [null, 'null'] }, data],
  [{ in: [{ var: 'missing' }, 'xnullx'] }, data],
  [{ in: [{ var: 'a' }, ''] }, data],
  [{ in: [{ var: 'a' }, { var: 'list' }] }, data],
  [{ in: [{ var: 'negZero' }, [0]] }, data],
  [{ in: [{ var: 't' }, [1, true]] }, data],
  [{ in: [{ var: 'nul' }, [0, '', false]] }, data],
  [{ in: ['x', { var: 'words' }] }, data],
  // strings and arrays
  [{ cat: [null, [1, 2], true] }, data],
  [{ cat: [{ var: 'missing' }, { var: 'list' }] }, data],
  [{ cat: [] }, data],
  [{ substr: [12345, 1, -1] }, data],
  [{ substr: ['abc', '1'] }, data],
  [{ substr: [{ var: 's' }, -2] }, data],
  [{ substr: [{ var: 's' }, 0, { var: 'missing' }] }, data],
  [{ substr: [{ var: 'list' }, 1, 3] }, data],
  [{ merge: [[[1]], 2, [3, [4]]] }, data],
  [{ merge: [{ var: 'list' }, { var: 'words' }, null] }, data],
  [{ merge: [] }, data],
  // missing / missing_some
  [{ missing: ['a', ['b', 'x']] }, data],
  [{ missing: [['a', 'zz'], 'c'] }, data],
  [{ missing: ['empty', 'nul', 'f'] }, data],
  [{ missing: [1, 'nested.b.c', 'nested.q'] }, data],
  [{ missing: { var: 'words' } }, data],
  [{ missing_some: [0, []] }, data],
  [{ missing_some: [1, 'a'] }, data],
  [{ missing_some: [1, 'zz'] }, data],
  [{ missing_some: [{ var: 'a' }, ['a', 'zz']] }, data],
  [{ missing_some: [3, ['a', 'zz']] }, data],
  [{ missing_some: [1, null] }, data],
  [{ missing_some: [1, 5] }, data],
  // scoped operations
  [{ reduce: [[1, 2, 3], { var: '' }] }, data],
  [{ reduce: [{ var: 'list' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }] }, data],
  [{ reduce: [{ var: 'missing' }, { var: 'current' }] }, data],
  [{ reduce: [{ var: 'list' }, { var: 'accumulator' }, { var: 'a' }] }, data],
  [{ map: [[1, 2, 3], { '*': [{ var: '' }, 2] }] }, data],
  [{ map: { var: 'list' } }, data],
  [{ map: [{ var: 'list' }] }, data],
  [{ filter: [[1, 0, 2, ''], { var: '' }] }, data],
  [{ filter: [{ var: 'items' }, { var: 'qty' }] }, data],
  [{ filter: [{ var: 's' }, true] }, data],
  [{ all: [[], true] }, data],
  [{ none: [[], true] }, data],
  [{ some: [[1], null] }, data],
  [{ all: [{ var: 'items' }, { var: 'sku' }] }, data],
  [{ some: [{ var: 'items' }, { '==': [{ var: 'qty' }, 0] }] }, data],
  [{ none: [{ var: 'list' }, { '>': [{ var: '' }, 2] }] }, data],
  [{ map: [{ var: 'items' }, { cat: [{ var: 'sku' }, { var: 'missing' }] }] }, data],
  [{ map: [{ var: 'list' }, { map: [{ var: '' }, 1] }] }, data],
  // literal data
  [{ a: 1, b: 2 }, data],
  [{}, data],
  [[{ var: 'a' }, [{ var: 's' }, 2], {}], data],
  [{ if: [{ var: 'a' }, { k: 1, j: [1] }, []] }, data],
  // errors json-logic-js raises at evaluation time are raised at evaluation time too
  [{ in: ['a', { indexOf: 1, x: 2 }] }, data],
];

t.test('edge cases agree with json-logic-js on both paths', (tt) => {
  for (const [rule, input] of cases) {
    const reference = outcome(() => jsonLogic.apply(rule as never, input));
    const compiled = outcome(() => compileLogic(rule)(input));
    const interpreted = outcome(() => applyLogic(rule, input));
    const label = `${JSON.stringify(rule)} @ ${JSON.stringify(input)} → ${reference.ok ? JSON.stringify(reference.value) : reference.error}`;
    tt.ok(isDeepStrictEqual(compiled, reference), `compiled: ${label}`, { found: compiled, wanted: reference });
    tt.ok(isDeepStrictEqual(interpreted, reference), `interpreted: ${label}`, { found: interpreted, wanted: reference });
  }
  tt.end();
});

t.test('a compiled constant evaluated many times keeps its value', (tt) => {
  const run = compileLogic({ '*': [-1, 0] });
  tt.ok(Object.is(run(null), -0), '-1 * 0 is -0, as in json-logic-js');
  tt.ok(Object.is(run(null), jsonLogic.apply({ '*': [-1, 0] })), 'and again');
  tt.end();
});
