import t from 'tap';
import { pipelinePages, readAhead, type SourcePage } from './source.js';

const page = (cursor: string): SourcePage => ({ requests: [], encounters: 1, orders: 1, cursor });

/** Keys 1..n, loads that finish out of order. */
function fake(n: number, failAt?: number) {
  const loading = { now: 0, max: 0 };
  return {
    loading,
    nextKeys: async (after: string | undefined) => {
      const k = after === undefined ? 1 : Number(after) + 1;
      if (k === failAt) throw new Error(`keys ${k} failed`);
      return k > n ? null : { keys: k, cursor: String(k) };
    },
    load: async ({ keys }: { keys: number; cursor: string }) => {
      loading.now++;
      loading.max = Math.max(loading.max, loading.now);
      await new Promise((r) => setTimeout(r, (keys % 3) * 3));
      loading.now--;
      return page(String(keys));
    },
  };
}

t.test('pages come in order, with bounded read-ahead', async (t) => {
  const f = fake(9);
  const got: string[] = [];
  for await (const p of pipelinePages(f.nextKeys, f.load, undefined, 2)) {
    got.push(p.cursor);
    await new Promise((r) => setTimeout(r, 2));
  }
  t.same(got, ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  t.ok(f.loading.max <= 2, `at most 2 pages loading (${f.loading.max})`);
});

t.test('resumes after a cursor', async (t) => {
  const f = fake(5);
  const got: string[] = [];
  for await (const p of pipelinePages(f.nextKeys, f.load, '3')) got.push(p.cursor);
  t.same(got, ['4', '5']);
});

t.test('pages before a failure are delivered, then the failure', async (t) => {
  const f = fake(9, 4);
  const got: string[] = [];
  await t.rejects(async () => {
    for await (const p of pipelinePages(f.nextKeys, f.load, undefined)) got.push(p.cursor);
  }, /keys 4 failed/);
  t.same(got, ['1', '2', '3']);
});

t.test('stopping early leaves nothing running', async (t) => {
  const f = fake(100);
  for await (const p of pipelinePages(f.nextKeys, f.load, undefined)) if (p.cursor === '2') break;
  t.equal(f.loading.now, 0);
});

t.test('readAhead (web services) reads one page ahead and stops at null', async (t) => {
  const got: string[] = [];
  for await (const p of readAhead(async (after) => (Number(after ?? 0) >= 3 ? null : page(String(Number(after ?? 0) + 1))))) got.push(p.cursor);
  t.same(got, ['1', '2', '3']);
});
