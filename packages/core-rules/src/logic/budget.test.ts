// The step budget of an evaluation (issue 10 #13): deterministic, charged by both the compiled
// and the interpreted path, and compile-time folding cannot be made to hang.
import t from 'tap';
import { applyLogic, compileLogic, LogicBudgetError, stepMeter, useStepMeter } from './index.js';

function metered<T>(steps: number, fn: () => T): T {
  const previous = useStepMeter(stepMeter(steps));
  try {
    return fn();
  } finally {
    useStepMeter(previous);
  }
}

const doubling = (list: unknown) => ({ reduce: [list, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] });

t.test('a doubling reduce over a literal list is not folded at compile time', (tt) => {
  const forty = Array.from({ length: 40 }, (_, i) => i);
  const run = compileLogic(doubling(forty)); // 2⁴⁰ elements if it were folded
  tt.throws(() => metered(1_000_000, () => run(null)), LogicBudgetError);
  const small = compileLogic(doubling([1, 2, 3]));
  tt.same(small(null), [1, 1, 1, 1, 1, 1, 1, 1], 'a small one still folds to its value');
  tt.end();
});

t.test('the same steps on both paths, and the same point of failure every time', (tt) => {
  const expr = { map: [{ var: 'xs' }, { cat: [{ var: '' }, '!'] }] };
  const data = { xs: ['a', 'b', 'c'] };
  // 3 elements walked + 3 strings of 2 characters built.
  tt.same(
    metered(9, () => compileLogic(expr)(data)),
    ['a!', 'b!', 'c!'],
  );
  tt.same(
    metered(9, () => applyLogic(expr, data)),
    ['a!', 'b!', 'c!'],
  );
  tt.throws(() => metered(8, () => compileLogic(expr)(data)), { name: 'LogicBudgetError', budget: 8 });
  tt.throws(() => metered(8, () => applyLogic(expr, data)), { name: 'LogicBudgetError', budget: 8 });
  tt.end();
});

t.test('merge charges its result before building it; in and missing charge what they search', (tt) => {
  const big = Array.from({ length: 1000 }, (_, i) => i);
  tt.throws(() => metered(1999, () => compileLogic({ merge: [{ var: 'a' }, { var: 'a' }] })({ a: big })), LogicBudgetError);
  tt.equal(metered(2000, () => compileLogic({ merge: [{ var: 'a' }, { var: 'a' }] })({ a: big }) as unknown[]).length, 2000);
  tt.throws(() => metered(999, () => compileLogic({ in: [5, { var: 'a' }] })({ a: big })), LogicBudgetError);
  tt.throws(() => metered(999, () => compileLogic({ missing: { var: 'a' } })({ a: big })), LogicBudgetError);
  tt.end();
});

t.test('without a meter nothing is refused', (tt) => {
  const big = Array.from({ length: 100_000 }, (_, i) => i);
  tt.equal((compileLogic({ map: [{ var: 'a' }, 1] })({ a: big }) as unknown[]).length, 100_000);
  tt.end();
});
