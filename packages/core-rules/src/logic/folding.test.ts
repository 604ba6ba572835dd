import jsonLogic from 'json-logic-js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { applyLogic, compileLogic, OperatorRegistry } from './index.js';

// Compile-time work: literal lists become Sets, literal arrays are built once (and frozen so
// sharing them is safe), constant sub-expressions and dead branches are resolved.

/** Drug codes (药品代码) of the NHSA 两库 batch 1 gender-limited drugs: real codes, 6,472 of them (test/fixtures/README.md). */
function nationalCodes(): string[] {
  const file = fileURLToPath(new URL('../../test/fixtures/nhsa-liangku/batch01-drug-gender-codes.csv', import.meta.url));
  return readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
}

t.test('in over a 5,000-code literal list: a Set built at compile time, same answers as indexOf', (tt) => {
  const codes = nationalCodes();
  tt.ok(codes.length > 6000, `${codes.length} codes loaded`);
  const listed = codes.slice(0, 5000);
  const others = codes.slice(5000);
  // Count every read of the literal list: after compilation there must be none.
  let reads = 0;
  const spy = new Proxy(listed, {
    get(target, key, receiver) {
      reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const expr = { in: [{ var: 'order.hilist_code' }, spy] };
  const run = compileLogic(expr);
  tt.ok(reads > 0, 'compilation read the list');
  reads = 0;

  const probes: unknown[] = [...listed, ...others, '', null, 0, listed[0].toLowerCase(), `${listed[1]} `, listed[2].slice(1)];
  let agree = 0;
  let found = 0;
  for (let round = 0; round < 3; round++) {
    for (const code of probes) {
      const got = run({ order: { hilist_code: code } });
      if (got === (listed.indexOf(code as string) !== -1)) agree++;
      if (got === true) found++;
    }
  }
  tt.equal(reads, 0, `${probes.length * 3} lookups never touched the literal array`);
  tt.equal(agree, probes.length * 3, 'every lookup agrees with Array.prototype.indexOf');
  tt.equal(found, 5000 * 3, 'exactly the listed codes are found');

  const sample = [listed[0], listed[4999], others[0], others[1000], 'XL02BBA326A0010101021', null];
  for (const code of sample) {
    const data = { order: { hilist_code: code } };
    tt.equal(run(data), jsonLogic.apply({ in: [{ var: 'order.hilist_code' }, listed] } as never, data), `json-logic-js agrees on ${code}`);
  }
  tt.end();
});

t.test('Set lookup keeps indexOf semantics: strict equality, no coercion, NaN never found', (tt) => {
  const run = compileLogic({ in: [{ var: 'x' }, [1, '2', null, true, 0, { '/': [0, 0] }, [1]]] });
  const cases: Array<[unknown, boolean]> = [
    [1, true],
    ['1', false],
    [2, false],
    ['2', true],
    [null, true],
    [undefined, true],
    [true, true],
    ['true', false],
    [0, true],
    [-0, true],
    [false, false],
    ['', false],
    [Number.NaN, false],
    [[1], false],
  ];
  for (const [x, expected] of cases) {
    tt.equal(run({ x }), expected, `${String(x)} in list`);
    tt.equal(applyLogic({ in: [{ var: 'x' }, [1, '2', null, true, 0, { '/': [0, 0] }, [1]]] }, { x }), expected, `interpreted: ${String(x)}`);
  }
  tt.equal(run({}), true, 'an absent var is null, and null is listed');
  tt.end();
});

t.test('in against a literal string stays a substring test', (tt) => {
  const run = compileLogic({ in: [{ var: 'x' }, 'XL02BBA326A001'] });
  tt.equal(run({ x: 'BBA3' }), true);
  tt.equal(run({ x: 'bba3' }), false);
  tt.equal(run({ x: 326 }), true, 'a number is searched as its string');
  tt.equal(run({ x: '' }), true);
  tt.equal(compileLogic({ in: [{ var: 'x' }, ''] })({ x: '' }), false, 'an empty haystack is falsy: never found');
  tt.end();
});

t.test("a literal array is built once, frozen, and never aliases the caller's expression", (tt) => {
  const expr = { if: [{ var: 'adult' }, ['XL02BBA326A001010102180', 'XL02BBA326A001010178537'], []] };
  const run = compileLogic(expr);
  const first = run({ adult: true }) as string[];
  const second = run({ adult: true }) as string[];
  tt.equal(first, second, 'the same array each call (not rebuilt)');
  tt.ok(Object.isFrozen(first), 'frozen, so sharing it is safe');
  tt.throws(() => first.push('x'), TypeError, 'a caller cannot mutate it');
  tt.strictSame(run({ adult: true }), ['XL02BBA326A001010102180', 'XL02BBA326A001010178537'], 'still intact');
  tt.notOk(Object.isFrozen(expr.if[1]), "the caller's expression is not frozen");
  (expr.if[1] as string[]).push('changed later');
  tt.equal((run({ adult: true }) as string[]).length, 2, 'mutating the expression after compiling changes nothing');
  tt.end();
});

t.test('literal objects are frozen deep copies', (tt) => {
  const literal = { rule: 'x', detail: { codes: ['a'] } };
  const run = compileLogic({ if: [{ var: 'go' }, literal, null] });
  const out = run({ go: true }) as typeof literal;
  tt.strictSame(out, literal);
  tt.not(out, literal, 'a copy');
  tt.ok(Object.isFrozen(out) && Object.isFrozen(out.detail) && Object.isFrozen(out.detail.codes), 'deeply frozen');
  tt.notOk(Object.isFrozen(literal.detail.codes), 'the original is left alone');
  tt.end();
});

t.test('results built from data are fresh on every call', (tt) => {
  const run = compileLogic({ map: [{ var: 'list' }, { '*': [{ var: '' }, 2] }] });
  const a = run({ list: [1, 2] }) as number[];
  const b = run({ list: [1, 2] }) as number[];
  tt.strictSame(a, [2, 4]);
  tt.not(a, b);
  tt.notOk(Object.isFrozen(a));
  a.push(99);
  tt.strictSame(run({ list: [1, 2] }), [2, 4]);
  const arrays = compileLogic([{ var: 'x' }, 2]);
  tt.not(arrays({ x: 1 }), arrays({ x: 1 }), 'an array with logic in it is rebuilt per call');
  tt.end();
});

t.test('constant sub-expressions are computed at compile time', (tt) => {
  const folded = [
    { merge: [[1], [2, 3]] },
    { map: [[1, 2, 3], { '*': [{ var: '' }, 2] }] },
    { filter: [['a', '', 'b'], { var: '' }] },
    { reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
    { if: [{ '>': [2, 1] }, ['yes'], ['no']] },
    { and: [true, { cat: ['a', 'b'] }] },
  ];
  for (const expr of folded) {
    const run = compileLogic(expr);
    const value = run(null);
    tt.strictSame(value, jsonLogic.apply(expr as never, null), JSON.stringify(expr));
    if (typeof value === 'object' && value !== null) {
      tt.ok(Object.isFrozen(value), `${JSON.stringify(expr)} is a frozen constant`);
      tt.equal(run(null), value, 'computed once');
    }
  }
  tt.end();
});

t.test('branches decided at compile time are never evaluated', (tt) => {
  let calls = 0;
  const registry = OperatorRegistry.standard().register('touch', () => ++calls);
  const expressions = [
    { if: [false, { touch: [] }, 'else'] },
    { if: [true, 'then', { touch: [] }] },
    { if: [{ var: 'x' }, 'x', true, 'y', { touch: [] }] },
    { and: [false, { touch: [] }] },
    { and: [{ var: 'x' }, 0, { touch: [] }] },
    { or: ['yes', { touch: [] }] },
    { or: [{ var: 'x' }, [1], { touch: [] }] },
  ];
  for (const expr of expressions) {
    const run = compileLogic(expr, registry);
    for (const data of [{ x: 0 }, { x: 1 }, null]) {
      tt.strictSame(run(data), applyLogic(expr, data, registry), `${JSON.stringify(expr)} @ ${JSON.stringify(data)}`);
    }
  }
  tt.equal(calls, 0, 'the impure operator in every dead branch stayed untouched');
  tt.equal(compileLogic({ or: [{ var: 'x' }, { touch: [] }] }, registry)({ x: 0 }), 1, 'but it runs when reachable');
  tt.end();
});

t.test('var with a literal path: dotted, numeric, defaults', (tt) => {
  const data = { patient: { gend: '2', dx: ['C61', 'N40'] }, order: { cnt: 0 } };
  const cases: Array<[unknown, unknown]> = [
    [{ var: 'patient.gend' }, '2'],
    [{ var: 'patient.dx.1' }, 'N40'],
    [{ var: 'order.cnt' }, 0],
    [{ var: ['order.missing', 'none'] }, 'none'],
    [{ var: 'patient.dx.5.x' }, null],
    [{ var: 'patient.gend.length' }, 1],
    [{ var: ['patient.gend', { var: 'order.cnt' }] }, '2'],
    [{ var: ['nope', { var: 'order.cnt' }] }, 0],
  ];
  for (const [expr, expected] of cases) {
    tt.equal(compileLogic(expr)(data), expected, JSON.stringify(expr));
    tt.equal(applyLogic(expr, data), expected, `interpreted ${JSON.stringify(expr)}`);
  }
  tt.end();
});
