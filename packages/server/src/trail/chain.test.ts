import t from 'tap';
import { type TrailRow, GENESIS_HASH, canonicalRow, initialChainState, rowHash, verifyHead, verifyRows, type ChainProblem } from './chain.js';

function chain(n: number): TrailRow[] {
  const rows: TrailRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      time: `2025-06-10T00:00:0${seq % 10}.000Z`,
      actor: 'a',
      role: 'doctor-station',
      route: '/nhsa/3101',
      action: 'check.3101',
      ref: `m${seq}`,
      outcome: 'ok',
      detail: '{"status":200}',
    };
    const hash = rowHash(prev, fields);
    rows.push({ ...fields, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

function verify(rows: TrailRow[], head = { seq: rows.at(-1)?.seq ?? 0, hash: rows.at(-1)?.hash ?? GENESIS_HASH }): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const state = verifyRows(rows, initialChainState(), problems);
  verifyHead(state, head, problems);
  return problems;
}

t.test('the hash is sha256(prev hash + canonical row) over a fixed field order', async (t) => {
  const row = chain(1)[0];
  t.equal(canonicalRow(row), '[1,"2025-06-10T00:00:01.000Z","a","doctor-station","/nhsa/3101","check.3101","m1","ok","{\\"status\\":200}"]');
  t.match(row.hash, /^[0-9a-f]{64}$/);
});

t.test('an intact chain verifies', async (t) => {
  t.same(verify(chain(5)), []);
  t.same(verify([], undefined), []);
});

t.test('an altered row is found', async (t) => {
  const rows = chain(5);
  rows[2] = { ...rows[2], outcome: 'PA_FORBIDDEN' };
  t.same(
    verify(rows).map((p) => [p.seq, p.kind]),
    [[3, 'altered']],
  );
});

t.test('an altered row re-hashed still breaks the next link', async (t) => {
  const rows = chain(5);
  const forged = { ...rows[2], actor: 'someone-else' };
  forged.hash = rowHash(forged.prev_hash, forged);
  rows[2] = forged;
  t.same(
    verify(rows).map((p) => [p.seq, p.kind]),
    [[4, 'deleted']],
  );
});

t.test('a deleted row is found', async (t) => {
  const rows = chain(5);
  rows.splice(1, 1);
  t.same(
    verify(rows).map((p) => [p.seq, p.kind]),
    [[3, 'deleted']],
  );
});

t.test('rows deleted at the end are found through the head', async (t) => {
  const rows = chain(5);
  const head = { seq: 5, hash: rows[4].hash };
  t.same(
    verify(rows.slice(0, 3), head).map((p) => p.kind),
    ['truncated'],
  );
});
