import t from 'tap';
import { WriteBehind } from './write-behind.js';

t.test('rows are written in batches of batchSize, in order', async (t) => {
  const batches: number[][] = [];
  const q = new WriteBehind<number>({ batchSize: 3, intervalMs: 10_000, write: async (b) => void batches.push(b) });
  for (let i = 1; i <= 7; i++) q.push(i);
  await q.flush();
  t.same(batches, [[1, 2, 3], [4, 5, 6], [7]]);
  t.same(q.getStats(), { pending: 0, pendingBytes: 0, failing: false, written: 7, failedWrites: 0, dropped: 0, quarantined: 0 });
});

t.test('the interval writes a partial batch without a flush', async (t) => {
  const written: number[] = [];
  const q = new WriteBehind<number>({ batchSize: 100, intervalMs: 5, write: async (b) => void written.push(...b) });
  q.push(1);
  q.push(2);
  t.same(written, [], 'nothing written synchronously');
  await new Promise((r) => setTimeout(r, 50));
  t.same(written, [1, 2]);
});

t.test('a failed write keeps the rows, in order, and flush rejects until storage is back', async (t) => {
  let fail = true;
  const written: number[] = [];
  const errors: unknown[] = [];
  const q = new WriteBehind<number>({
    batchSize: 2,
    intervalMs: 10_000,
    write: async (b) => {
      if (fail) throw new Error('db down');
      written.push(...b);
    },
    onError: (err) => errors.push(err),
  });
  q.push(1);
  q.push(2);
  q.push(3);
  await t.rejects(q.flush(), /db down/);
  t.equal(q.getStats().pending, 3);
  t.ok(errors.length >= 1);
  fail = false;
  await q.close();
  t.same(written, [1, 2, 3]);
});

t.test('beyond maxPending the oldest rows are dropped and counted', async (t) => {
  const q = new WriteBehind<number>({ batchSize: 1000, intervalMs: 10_000, maxPending: 3, write: async () => {} });
  for (let i = 0; i < 5; i++) q.push(i);
  t.same(q.pendingItems(), [2, 3, 4]);
  t.equal(q.getStats().dropped, 2);
  await q.close();
});

t.test('rows pushed while a batch is being written are written too', async (t) => {
  const written: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const q = new WriteBehind<number>({
    batchSize: 1,
    intervalMs: 10_000,
    write: async (b) => {
      await gate;
      written.push(...b);
    },
  });
  q.push(1);
  await new Promise((r) => setImmediate(r));
  q.push(2);
  q.push(3);
  release();
  await q.close();
  t.same(written, [1, 2, 3]);
});

t.test('backpressure: waitForRoom waits above highWater until the queue drains to half', async (t) => {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const q = new WriteBehind<number>({
    batchSize: 2,
    intervalMs: 10_000,
    highWater: 4,
    write: async () => {
      await gate;
    },
  });
  q.push(1);
  t.equal(q.waitForRoom(), undefined, 'room while under highWater');
  for (let i = 2; i <= 6; i++) q.push(i);
  const waiting = q.waitForRoom(10_000);
  t.ok(waiting, 'a promise at highWater');
  let resolved = false;
  void waiting!.then(() => (resolved = true));
  await new Promise((r) => setTimeout(r, 20));
  t.notOk(resolved, 'still waiting while the writer is stuck');
  release();
  gate = Promise.resolve();
  await waiting;
  t.ok(q.getStats().pending <= 2, `resumed once drained to half (${q.getStats().pending} waiting)`);
  await q.close();
});

t.test('backpressure gives up after maxWaitMs and never waits while storage fails', async (t) => {
  const q = new WriteBehind<number>({ batchSize: 100, intervalMs: 10_000, highWater: 2, write: async () => new Promise(() => {}) });
  q.push(1);
  q.push(2);
  await q.waitForRoom(10);
  t.pass('timed out instead of hanging');
  const failing = new WriteBehind<number>({ batchSize: 1, intervalMs: 10_000, highWater: 1, write: async () => Promise.reject(new Error('down')) });
  failing.push(1);
  await t.rejects(failing.flush());
  failing.push(2);
  t.equal(failing.waitForRoom(), undefined, 'no waiting on a storage that refuses writes');
});

t.test('a backlog is written in batches of maxBatchSize', async (t) => {
  const sizes: number[] = [];
  const q = new WriteBehind<number>({ batchSize: 2, maxBatchSize: 10, intervalMs: 10_000, write: async (b) => void sizes.push(b.length) });
  for (let i = 0; i < 15; i++) q.push(i);
  await q.flush();
  t.equal(
    sizes.reduce((a, b) => a + b, 0),
    15,
  );
  t.ok(Math.max(...sizes) > 2, `bigger batches while catching up: ${sizes.join(',')}`);
});

/** A store that refuses rows containing "poison" (as PostgreSQL refuses a NUL), whatever the batch. */
function poisonStore(written: number[] | string[]) {
  return async (b: Array<number | string>) => {
    if (b.some((r) => String(r).includes('poison'))) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    (written as Array<number | string>).push(...b);
  };
}

t.test('a poison row in the middle of a batch is quarantined; the rest is written and the queue goes on', async (t) => {
  const written: string[] = [];
  const quarantined: Array<{ rows: string[]; reason: string }> = [];
  const q = new WriteBehind<string>({
    batchSize: 5,
    intervalMs: 10_000,
    write: poisonStore(written),
    quarantine: (rows, _err, reason) => void quarantined.push({ rows, reason }),
  });
  for (const r of ['a', 'b', 'poison', 'd', 'e', 'f']) q.push(r);
  await q.flush();
  t.same(written, ['a', 'b', 'd', 'e', 'f'], 'every good row written, in order');
  t.same(quarantined, [{ rows: ['poison'], reason: 'poison' }]);
  q.push('g');
  await q.flush();
  t.same(written.at(-1), 'g', 'later rows are written');
  t.match(q.getStats(), { pending: 0, failing: false, quarantined: 1 });
});

t.test('a lone row failing with an unknown error is kept, then quarantined at the first retry where another row goes in', async (t) => {
  const quarantined: unknown[] = [];
  const written: string[] = [];
  const q = new WriteBehind<string>({
    batchSize: 1,
    intervalMs: 10_000,
    write: async (rows) => {
      if (rows.includes('odd')) throw new Error('some error without a code');
      written.push(...rows);
    },
    quarantine: (rows) => void quarantined.push(...rows),
  });
  q.push('odd');
  await t.rejects(q.flush(), 'alone, it may be the storage: kept');
  t.same(quarantined, []);
  q.push('fine');
  await q.flush();
  t.same(written, ['fine']);
  t.same(quarantined, ['odd']);
});

t.test('storage down: rows are kept (not quarantined) and written once it is back', async (t) => {
  let down = true;
  const written: number[] = [];
  const quarantined: unknown[] = [];
  const q = new WriteBehind<number>({
    batchSize: 3,
    intervalMs: 10_000,
    write: async (b) => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      written.push(...b);
    },
    quarantine: (rows) => void quarantined.push(...rows),
  });
  for (let i = 1; i <= 4; i++) q.push(i);
  await t.rejects(q.flush());
  t.same(quarantined, []);
  t.equal(q.getStats().pending, 4);
  down = false;
  await q.flush();
  t.same(written, [1, 2, 3, 4]);
});

t.test('close never drops: what storage refuses at shutdown goes to quarantine', async (t) => {
  const quarantined: Array<{ rows: number[]; reason: string }> = [];
  const q = new WriteBehind<number>({
    batchSize: 10,
    intervalMs: 10_000,
    write: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })),
    quarantine: (rows, _e, reason) => void quarantined.push({ rows, reason }),
  });
  q.push(1);
  q.push(2);
  await q.close();
  t.same(quarantined, [{ rows: [1, 2], reason: 'shutdown' }]);
  t.equal(q.getStats().pending, 0);
});

t.test('the queue is bounded by bytes: beyond maxPendingBytes the oldest rows overflow to quarantine, counted', async (t) => {
  const spilled: string[] = [];
  const q = new WriteBehind<string>({
    batchSize: 1000,
    intervalMs: 10_000,
    maxPendingBytes: 100,
    sizeOf: (s) => s.length,
    write: async () => {},
    quarantine: (rows, _e, reason) => {
      t.equal(reason, 'overflow');
      spilled.push(...rows);
    },
  });
  for (let i = 0; i < 5; i++) q.push(String(i).repeat(40));
  t.same(spilled, ['0'.repeat(40), '1'.repeat(40), '2'.repeat(40)]);
  t.equal(q.getStats().pending, 2);
  t.equal(q.getStats().pendingBytes, 80);
  t.equal(q.getStats().quarantined, 3);
  await q.close();
});

t.test('close within a deadline when storage hangs: waiting rows and the batch under way are quarantined, nothing dropped', async (t) => {
  const quarantined: Array<{ rows: number[]; reason: string }> = [];
  const q = new WriteBehind<number>({
    batchSize: 2,
    intervalMs: 10_000,
    write: () => new Promise(() => {}),
    quarantine: (rows, _e, reason) => void quarantined.push({ rows, reason }),
  });
  for (let i = 1; i <= 5; i++) q.push(i);
  const started = Date.now();
  await q.close(50);
  t.ok(Date.now() - started < 2000, 'close returned');
  t.same(quarantined.flatMap((x) => x.rows).sort(), [1, 2, 3, 4, 5]);
  t.ok(quarantined.every((x) => x.reason === 'shutdown'));
  t.equal(q.getStats().dropped, 0);
});

t.test('the batch being written still counts as pending until it is committed', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const writing = new Promise<void>((r) => (started = r));
  const q = new WriteBehind<number>({
    batchSize: 2,
    intervalMs: 10_000,
    write: async () => {
      started();
      await gate;
    },
  });
  q.push(1);
  q.push(2);
  q.push(3);
  const flushed = q.flush();
  await writing;
  // A 3103 arriving now must still find the 3101 whose rows are on their way to storage.
  t.same(q.pendingItems(), [1, 2, 3]);
  release();
  await flushed;
  t.same(q.pendingItems(), []);
  await q.close();
});
