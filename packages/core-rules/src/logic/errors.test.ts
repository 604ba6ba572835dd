import jsonLogic from 'json-logic-js';
import t from 'tap';
import { applyLogic, checkLogic, compileLogic, LogicError, OperatorRegistry } from './index.js';

// Bad expressions are reported at compile time with the JSON path of the offending field.

function compileError(expr: unknown, registry?: OperatorRegistry, path?: string): LogicError {
  try {
    compileLogic(expr, registry, { path });
  } catch (error) {
    if (error instanceof LogicError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be rejected`);
}

t.test('an unknown operator is named with its path', (tt) => {
  const noIn = OperatorRegistry.standard();
  noIn.unregister('in');
  const error = compileError({ and: [{ '==': [1, 1] }, { in: ['a', ['a']] }] }, noIn, 'condition');
  tt.equal(error.path, 'condition.and[1].in');
  tt.equal(error.code, 'unknown_operator');
  tt.equal(error.message, 'condition.and[1].in: unknown operator "in"');
  tt.equal(error.detail, 'unknown operator "in"');
  tt.equal(error.name, 'LogicError');
  tt.end();
});

t.test('paths through wrapped arguments, arrays and odd operator names', (tt) => {
  tt.equal(compileError({ '!': { nope: 1 } }).path, '!.nope', 'a non-array argument sits at the operator path');
  tt.equal(compileError([1, [2, { nope: [] }]]).path, '[1][1].nope', 'array indexes');
  tt.equal(
    compileError({ if: [true, 1, { 'Math.abs': [-1] }] }, undefined, 'rules[3].condition').path,
    'rules[3].condition.if[2]["Math.abs"]',
    'dotted names are quoted (no namespace lookup)',
  );
  tt.equal(compileError({ nope: 1 }).path, 'nope', 'at the root');
  tt.end();
});

t.test('unknown operators are reported even in a branch that is never taken', (tt) => {
  const expr = { if: [false, { nope: [] }, 'fine'] };
  tt.equal(jsonLogic.apply(expr as never, null), 'fine', 'json-logic-js only fails when it gets there');
  tt.equal(applyLogic(expr, null), 'fine', 'so does the interpreter');
  tt.equal(compileError(expr).path, 'if[1].nope', 'the compiler reports it up front');
  tt.end();
});

t.test('argument counts', (tt) => {
  const times = compileError({ '*': [] });
  tt.equal(times.code, 'arity');
  tt.equal(times.path, '*');
  tt.match(times.detail, /at least 1 argument/);
  tt.throws(() => jsonLogic.apply({ '*': [] }), TypeError, 'json-logic-js throws for it too');
  tt.equal(compileError({ missing_some: [1] }).path, 'missing_some');
  const registry = OperatorRegistry.standard().register('age_at', () => 0, { minArgs: 2, maxArgs: 2 });
  const few = compileError({ '>=': [{ age_at: [{ var: 'brdy' }] }, 18] }, registry, 'condition');
  tt.equal(few.path, 'condition.>=[0].age_at');
  tt.equal(few.detail, 'operator "age_at" needs at least 2 arguments, got 1');
  tt.equal(compileError({ age_at: [1, 2, 3] }, registry).detail, 'operator "age_at" takes at most 2 arguments, got 3');
  tt.end();
});

t.test('malformed values', (tt) => {
  const twoOps = compileError({ and: [true, { '==': [1, 1], '!=': [1, 2] }] });
  tt.equal(twoOps.code, 'malformed');
  tt.equal(twoOps.path, 'and[1]');
  tt.match(twoOps.detail, /exactly one key/);
  tt.equal(compileError({ '==': [() => 1, 1] }).path, '==[0]', 'a function is not JSON');
  tt.strictSame(compileLogic({ name: 'x', qty: 1 })(null), { name: 'x', qty: 1 }, 'an object with data keys is literal data');
  tt.end();
});

t.test('checkLogic lists every problem without throwing', (tt) => {
  const registry = OperatorRegistry.standard().register('age_at', () => 0, { minArgs: 2 });
  const problems = checkLogic({ and: [{ foo: [{ bar: 1 }] }, { age_at: [1] }, { '==': [1, 1], or: [] }, { in: [{ var: 'x' }, ['a']] }] }, registry, { path: 'condition' });
  tt.strictSame(
    problems.map((p) => [p.path, p.code]),
    [
      ['condition.and[0].foo', 'unknown_operator'],
      ['condition.and[0].foo[0].bar', 'unknown_operator'],
      ['condition.and[1].age_at', 'arity'],
      ['condition.and[2]', 'malformed'],
    ],
  );
  tt.ok(problems.every((p) => typeof p.message === 'string' && p.message.length > 0));
  tt.strictSame(checkLogic({ in: [{ var: 'x' }, ['a']] }), [], 'a valid expression has none');
  tt.strictSame(checkLogic('plain'), [], 'a literal is valid');
  tt.end();
});

t.test('the interpreter reports the unknown operator it reaches, with its path', (tt) => {
  const error = tt.throws(() => applyLogic({ or: [false, [0, { nope: 1 }]] }, null, undefined, undefined, { path: 'c' }));
  tt.ok(error instanceof LogicError);
  tt.equal((error as LogicError).path, 'c.or[1][1].nope');
  tt.end();
});

t.test('errors raised by operators during evaluation propagate unchanged', (tt) => {
  const run = compileLogic({ missing_some: [1, { var: 'keys' }] });
  tt.strictSame(run({ keys: ['a'] }), ['a']);
  tt.throws(() => run({}), TypeError, 'options.length of null, as json-logic-js');
  tt.end();
});
