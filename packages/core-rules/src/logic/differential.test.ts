import jsonLogic from 'json-logic-js';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { applyLogic, compileLogic } from './index.js';

// Random expressions and data from a seeded PRNG (deterministic run to run), evaluated by the
// compiled path, the interpreted path and json-logic-js: all three must agree exactly
// (isDeepStrictEqual: -0 ≠ 0, NaN = NaN), including on which inputs throw.

const SEED = 0x5eed_2025;
const EXPRESSIONS = 600;
const DATA_PER_EXPRESSION = 4;

/** mulberry32: small, fast, good enough to drive a generator. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)];
const chance = (p: number): boolean => random() < p;

const SCALARS: readonly unknown[] = [0, 1, -1, 2, 3.5, -0, 10, '', '0', '1', '2', '10', 'abc', 'a', 'XL02', '-0', ' 3 ', true, false, null];

function scalar(): unknown {
  return pick(SCALARS);
}

function scalarList(): unknown[] {
  return Array.from({ length: int(5) }, scalar);
}

/** Data objects: flat scalars, nested objects, lists of scalars and of records. */
function data(): unknown {
  if (chance(0.05)) return pick([null, 5, 'abc', [1, 2]]);
  return {
    a: scalar(),
    b: scalar(),
    c: scalar(),
    s: pick(['abc', 'XL02BBA326A001', '', '0', 'a.b']),
    n: pick([0, 1, 2, 5, -3, 2.5, '4']),
    d: { x: scalar(), y: scalarList(), z: chance(0.5) ? { w: scalar(), v: 1 } : null },
    list: scalarList(),
    nums: Array.from({ length: int(6) }, () => pick([0, 1, 2, 3, -1, 7])),
    words: Array.from({ length: int(4) }, () => pick(['x', 'y', 'abc', '', 'XL02'])),
    items: Array.from({ length: int(4) }, () => ({ qty: pick([0, 1, 2, '3', null]), sku: pick(['A', 'B', '', 'XL02']) })),
    empty: [],
  };
}

const TOP_PATHS: readonly unknown[] = [
  'a',
  'b',
  'c',
  's',
  'n',
  'd.x',
  'd.y',
  'd.y.0',
  'd.z.w',
  'd.z.v',
  'list',
  'list.1',
  'nums',
  'words',
  'items',
  'items.0.qty',
  'empty',
  'nope',
  'd.nope.deep',
  '',
  1,
  '0',
  's.length',
];
const ELEMENT_PATHS: readonly unknown[] = ['', 'qty', 'sku', 'length', '0', 'nope'];
const REDUCE_PATHS: readonly unknown[] = ['current', 'accumulator', 'current.qty', 'current.sku', ''];
const LISTS: readonly unknown[] = ['list', 'nums', 'words', 'items', 'empty', 'd.y', 'a', 'nope'];

type Scope = 'top' | 'element' | 'reduce';

function variable(scope: Scope): unknown {
  const path = pick(scope === 'top' ? TOP_PATHS : scope === 'element' ? ELEMENT_PATHS : REDUCE_PATHS);
  if (chance(0.2)) return { var: [path, scalar()] };
  return chance(0.5) ? { var: path } : { var: [path] };
}

function leaf(scope: Scope): unknown {
  const roll = random();
  if (roll < 0.45) return variable(scope);
  if (roll < 0.9) return scalar();
  return scalarList();
}

function args(n: number, depth: number, scope: Scope): unknown[] {
  return Array.from({ length: n }, () => expression(depth - 1, scope));
}

function source(depth: number): unknown {
  if (chance(0.2)) return Array.from({ length: int(5) }, () => pick([0, 1, 2, 'a', '', { q: 1, qty: 2 }]));
  if (chance(0.1)) return expression(depth - 1, 'top');
  return { var: pick(LISTS) };
}

function expression(depth: number, scope: Scope): unknown {
  if (depth <= 0 || chance(0.2)) return leaf(scope);
  const op = pick([
    '==',
    '===',
    '!=',
    '!==',
    '<',
    '<=',
    '>',
    '>=',
    '+',
    '-',
    '*',
    '/',
    '%',
    '!',
    '!!',
    'and',
    'or',
    'if',
    '?:',
    'in',
    'in',
    'cat',
    'substr',
    'merge',
    'min',
    'max',
    'missing',
    'missing_some',
    'map',
    'filter',
    'reduce',
    'all',
    'none',
    'some',
    'var',
  ]);
  switch (op) {
    case '<':
    case '<=':
      return { [op]: args(chance(0.3) ? 3 : 2, depth, scope) };
    case '+':
    case 'min':
    case 'max':
    case 'cat':
    case 'merge':
      return { [op]: chance(0.15) ? expression(depth - 1, scope) : args(int(4), depth, scope) };
    case '*':
      return { [op]: args(1 + int(3), depth, scope) };
    case '-':
      return { [op]: args(1 + int(2), depth, scope) };
    case '!':
    case '!!':
      return { [op]: chance(0.5) ? expression(depth - 1, scope) : args(1, depth, scope) };
    case 'and':
    case 'or':
      return { [op]: args(int(5), depth, scope) };
    case 'if':
    case '?:':
      return { [op]: args(int(6), depth, scope) };
    case 'in': {
      const haystack = pick([
        () => scalarList(),
        () => pick(['abc', 'XL02BBA326A001', '', '0,1']),
        () => variable(scope),
        () => ({ var: pick(LISTS) }),
        () => expression(depth - 1, scope),
      ])();
      return { in: [expression(depth - 1, scope), haystack] };
    }
    case 'substr':
      return { substr: [expression(depth - 1, scope), pick([0, 1, -2, '1', { var: 'n' }]), ...(chance(0.5) ? [pick([1, 3, -1, -5, 0])] : [])] };
    case 'missing': {
      const keys = Array.from({ length: int(4) }, () => pick(['a', 'b', 'nope', 'd.x', 'd.z.w', 'list.0', 'empty']));
      return { missing: chance(0.2) ? (keys[0] ?? 'a') : chance(0.2) ? [keys] : keys };
    }
    case 'missing_some':
      return { missing_some: [pick([0, 1, 2, { var: 'n' }]), Array.from({ length: int(4) }, () => pick(['a', 'b', 'c', 'nope', 'd.x']))] };
    case 'map':
    case 'filter':
    case 'all':
    case 'none':
    case 'some':
      return { [op]: [source(depth), expression(depth - 1, 'element')] };
    case 'reduce':
      return { reduce: [source(depth), expression(depth - 1, 'reduce'), ...(chance(0.7) ? [expression(depth - 1, scope)] : [])] };
    case 'var':
      return { var: [expression(depth - 1, scope), ...(chance(0.3) ? [scalar()] : [])] };
    default:
      return { [op]: args(chance(0.1) ? 3 : 2, depth, scope) };
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

t.test(`${EXPRESSIONS} random expressions × ${DATA_PER_EXPRESSION} data: compiled = interpreted = json-logic-js`, (tt) => {
  const mismatches: unknown[] = [];
  let evaluations = 0;
  let throwing = 0;
  let constant = 0;
  for (let i = 0; i < EXPRESSIONS; i++) {
    const expr = expression(1 + int(4), 'top');
    const compiled = compileLogic(expr);
    if (compiled.length === 0) constant++;
    for (let j = 0; j < DATA_PER_EXPRESSION; j++) {
      const input = data();
      const reference = outcome(() => jsonLogic.apply(expr as never, input));
      const fast = outcome(() => compiled(input));
      const slow = outcome(() => applyLogic(expr, input));
      evaluations++;
      if (!reference.ok) throwing++;
      if (!isDeepStrictEqual(fast, reference) || !isDeepStrictEqual(slow, reference)) {
        mismatches.push({ expr, input, reference, compiled: fast, interpreted: slow });
      }
    }
  }
  tt.strictSame(mismatches.slice(0, 5), [], `no mismatches (${mismatches.length} in all)`);
  tt.equal(evaluations, EXPRESSIONS * DATA_PER_EXPRESSION, `${evaluations} evaluations compared`);
  tt.comment(`${constant} expressions folded to a constant; ${throwing} evaluations threw in all three`);
  tt.end();
});
