import t, { type Test as Tap } from 'tap';
import { applyLogic, compileLogic, literalSet, OperatorRegistry, type Evaluator } from './index.js';

// The operator registry and custom operators: env, laziness, purity, overriding.

const STANDARD = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
  'log',
];

/** Both paths, asserted equal, returning the shared answer. */
function both(tt: Tap, expr: unknown, data: unknown, registry: OperatorRegistry, env?: unknown): unknown {
  const compiled = compileLogic(expr, registry)(data, env);
  const interpreted = applyLogic(expr, data, registry, env);
  tt.strictSame(compiled, interpreted, `compiled = interpreted for ${JSON.stringify(expr)}`);
  return compiled;
}

t.test('standard() holds exactly the json-logic-js operators', (tt) => {
  const registry = OperatorRegistry.standard();
  tt.strictSame([...registry.names()].sort(), [...STANDARD].sort());
  for (const name of STANDARD) tt.ok(registry.has(name), name);
  tt.equal(registry.get('if')?.lazy, true, 'if is lazy');
  tt.equal(registry.get('==')?.lazy, false, '== is eager');
  tt.equal(registry.get('log')?.pure, false, 'log is a call, not folded away');
  tt.not(OperatorRegistry.standard(), registry, 'a fresh registry each time');
  tt.end();
});

t.test('clone() is independent of the original', (tt) => {
  const base = OperatorRegistry.standard();
  const copy = base.clone().register('twice', ([x]) => 2 * (x as number));
  tt.ok(copy.has('twice'));
  tt.notOk(base.has('twice'), 'original unchanged');
  tt.ok(copy.unregister('in'));
  tt.ok(base.has('in'), 'unregistering on the copy leaves the original');
  tt.notOk(copy.unregister('in'), 'unregister reports a missing operator');
  tt.end();
});

t.test('register() validates its input and chains', (tt) => {
  const registry = new OperatorRegistry();
  tt.equal(
    registry.register('a', () => 1),
    registry,
    'returns this',
  );
  tt.throws(() => registry.register('', () => 1), TypeError);
  tt.throws(() => registry.register('x', 42 as never), TypeError);
  tt.throws(() => registry.register('x', () => 1, { minArgs: 3, maxArgs: 1 }), RangeError);
  tt.end();
});

t.test('an eager custom operator gets evaluated args, the data and the env', (tt) => {
  const seen: unknown[] = [];
  const registry = OperatorRegistry.standard().register('in_table', (args, data, env) => {
    seen.push([args, data]);
    const [code, table] = args as [string, string];
    const tables = (env as { tables: Record<string, Set<string>> }).tables;
    return tables[table]?.has(code) ?? false;
  });
  const env = { tables: { gender: new Set(['XL02BBA326A001010102180']) } };
  const expr = { in_table: [{ var: 'order.hilist_code' }, { cat: ['gen', 'der'] }] };
  const order = { order: { hilist_code: 'XL02BBA326A001010102180' } };
  tt.equal(both(tt, expr, order, registry, env), true);
  tt.equal(both(tt, expr, { order: { hilist_code: 'ZA04CAE0023010100166' } }, registry, env), false);
  tt.strictSame(seen[0], [['XL02BBA326A001010102180', 'gender'], order], 'arguments evaluated; data passed');
  tt.end();
});

t.test('env reaches custom operators inside map/filter scopes, data is the element there', (tt) => {
  const registry = OperatorRegistry.standard().register('price_of', ([code], _data, env) => (env as { prices: Map<string, number> }).prices.get(code as string) ?? 0);
  const env = {
    prices: new Map([
      ['A', 5],
      ['B', 7],
    ]),
  };
  const expr = {
    reduce: [
      { filter: [{ var: 'orders' }, { '>': [{ price_of: [{ var: 'code' }] }, 6] }] },
      { '+': [{ var: 'accumulator' }, { '*': [{ var: 'current.cnt' }, { price_of: [{ var: 'current.code' }] }] }] },
      0,
    ],
  };
  const data = {
    orders: [
      { code: 'A', cnt: 1 },
      { code: 'B', cnt: 3 },
      { code: 'B', cnt: 2 },
    ],
  };
  tt.equal(both(tt, expr, data, registry, env), 35);
  tt.end();
});

t.test('a lazy custom operator chooses what to evaluate, and with which data', (tt) => {
  let evaluated = 0;
  const registry = OperatorRegistry.standard()
    .register('count', () => ++evaluated)
    // within: [object, logic] → logic evaluated with the object as data (env unchanged)
    .register('within', (args: readonly Evaluator[], data, env) => args[1](args[0](data, env), env), { lazy: true })
    // unless: [condition, value] → value only when condition is falsy
    .register('unless', (args: readonly Evaluator[], data, env) => (args[0](data, env) ? null : args[1](data, env)), { lazy: true });
  tt.equal(both(tt, { within: [{ var: 'patient' }, { var: 'gend' }] }, { patient: { gend: '2' } }, registry), '2');
  evaluated = 0;
  tt.equal(both(tt, { unless: [true, { count: [] }] }, {}, registry), null);
  tt.equal(evaluated, 0, 'the skipped argument was never evaluated (either path)');
  tt.equal(compileLogic({ unless: [false, { count: [] }] }, registry)({}), 1);
  tt.equal(applyLogic({ unless: [false, { count: [] }] }, {}, registry), 2);
  tt.end();
});

t.test('lazy operators receive a frozen argument list shared between calls', (tt) => {
  const lists: Array<readonly Evaluator[]> = [];
  const registry = new OperatorRegistry().register(
    'grab',
    (args: readonly Evaluator[]) => {
      lists.push(args);
      return args.length;
    },
    { lazy: true },
  );
  const run = compileLogic({ grab: [1, 2] }, registry);
  run(null);
  run(null);
  tt.equal(lists[0], lists[1], 'same array');
  tt.ok(Object.isFrozen(lists[0]));
  tt.end();
});

t.test('replacing a standard operator takes effect in both paths', (tt) => {
  // a strict-only equality for a deployment that wants no coercion
  const registry = OperatorRegistry.standard().register('==', ([a, b]) => a === b, { pure: true });
  tt.equal(both(tt, { '==': [1, '1'] }, null, registry), false);
  tt.equal(both(tt, { '==': [{ var: 'x' }, '1'] }, { x: 1 }, registry), false);
  tt.equal(both(tt, { '==': [{ var: 'x' }, 1] }, { x: 1 }, registry), true);
  tt.equal(compileLogic({ '==': [{ var: 'x' }, '1'] })({ x: 1 }), true, 'the default registry still coerces');
  tt.end();
});

t.test('a registry change after compiling does not affect compiled logic', (tt) => {
  const registry = OperatorRegistry.standard().register('k', () => 1);
  const run = compileLogic({ k: [] }, registry);
  registry.register('k', () => 2);
  tt.equal(run(null), 1);
  tt.equal(compileLogic({ k: [] }, registry)(null), 2);
  tt.end();
});

t.test('pure custom operators over constants run once, at compile time', (tt) => {
  let calls = 0;
  const registry = OperatorRegistry.standard()
    .register(
      'double',
      ([x]) => {
        calls++;
        return 2 * (x as number);
      },
      { pure: true },
    )
    .register('stamp', () => {
      calls++;
      return calls;
    })
    .register(
      'field',
      ([k], data) => {
        calls++;
        return (data as Record<string, unknown>)[k as string];
      },
      { pure: true, usesData: true },
    );
  const run = compileLogic({ '+': [{ double: [21] }, { var: 'x' }] }, registry);
  tt.equal(calls, 1, 'evaluated during compilation');
  tt.equal(run({ x: 1 }), 43);
  tt.equal(run({ x: 2 }), 44);
  tt.equal(calls, 1, 'never again');

  calls = 0;
  const impure = compileLogic({ stamp: [] }, registry);
  tt.equal(calls, 0, 'an operator not declared pure is not folded');
  impure(null);
  impure(null);
  tt.equal(calls, 2);

  calls = 0;
  const reads = compileLogic({ field: ['x'] }, registry);
  tt.equal(calls, 0, 'a pure operator that reads data is not folded');
  tt.equal(reads({ x: 'v' }), 'v');
  tt.end();
});

t.test('a folded operator that throws is left for evaluation time', (tt) => {
  const registry = OperatorRegistry.standard().register(
    'fail',
    () => {
      throw new RangeError('bad');
    },
    { pure: true },
  );
  const run = compileLogic({ if: [{ var: 'go' }, { fail: [] }, 'safe'] }, registry);
  tt.equal(run({ go: false }), 'safe');
  tt.throws(() => run({ go: true }), RangeError);
  tt.end();
});

t.test('literal list arguments are frozen, shared, and get a cached Set', (tt) => {
  const seen: unknown[] = [];
  const sets: unknown[] = [];
  const registry = OperatorRegistry.standard().register('code_in', ([code, codes]) => {
    seen.push(codes);
    const set = literalSet(codes as unknown[]);
    sets.push(set);
    return set.has(code);
  });
  const run = compileLogic({ code_in: [{ var: 'c' }, ['XL02BBA326A001010102180', 'ZA04CAE0023010100166']] }, registry);
  tt.equal(run({ c: 'ZA04CAE0023010100166' }), true);
  tt.equal(run({ c: 'XL02BBA326A001010178537' }), false);
  tt.equal(seen[0], seen[1], 'the same list every call');
  tt.ok(Object.isFrozen(seen[0]), 'frozen');
  tt.throws(() => (seen[0] as string[]).push('x'), TypeError, 'cannot be mutated');
  tt.equal(sets[0], sets[1], 'the Set is built once');
  const dynamicList = ['a'];
  tt.not(literalSet(dynamicList), literalSet(dynamicList), 'a non-constant list gets a fresh Set');
  tt.end();
});

t.test('log returns its argument and prints nothing (patient data must not reach stdout)', (tt) => {
  const logged: unknown[] = [];
  const original = console.log;
  const write = process.stdout.write;
  console.log = (value: unknown) => {
    logged.push(value);
  };
  process.stdout.write = (chunk: unknown) => {
    logged.push(chunk);
    return true;
  };
  let results: unknown[];
  try {
    results = [compileLogic({ log: [{ var: 'x' }] })({ x: 'apple' }), compileLogic({ log: 'const' })(null), applyLogic({ log: 7 })];
  } finally {
    console.log = original;
    process.stdout.write = write;
  }
  tt.strictSame(results, ['apple', 'const', 7]);
  tt.strictSame(logged, []);
  tt.end();
});
