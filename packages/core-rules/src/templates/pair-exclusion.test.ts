// Pair exclusion finds, for each sub item, the main items of its window without comparing every
// pair (issue 10 #1): same answers as the pairwise definition, for every kind of window, with
// real pairs of the national 重复收费 table.
import t from 'tap';
import { evaluate } from '../evaluate/evaluate.js';
import { buildRulebook } from '../evaluate/fixture.test-helper.js';
import type { CheckData, OrderDto } from '../model/request.js';
import { parseDateTime } from '../model/dates.js';

const PAIRS = [
  ['003314000020000', '单胎顺产接生', '003109040040000', '肛门指检', '6小时'],
  ['003102070040000', '冷加压试验', '003107010210000', '动态血压监测', '同一小时'],
  ['003302010140000', '颅内多发血肿清除术', '003302010040000', '颅内硬膜外血肿引流术', '单次就诊'],
  ['001103000010000', '急诊监护费', '001109000010000', '普通病房床位费', '单日'],
];
const HOUR = 3_600_000;

const rb = buildRulebook(
  [
    {
      id: 'GZ10000102012000',
      name: '医疗服务项目重复收费',
      category: '医疗服务项目',
      sev_deg: '1',
      message: '「{main}」已包含「{sub}」，{window}内不得重复收费',
      template: 'pair-exclusion',
      knowledge: 'pairs',
    },
  ],
  { 'k/pairs.csv': `main_code,main_name,sub_code,sub_name,window\n${PAIRS.map((p) => p.join(',')).join('\n')}\n` },
  { pairs: 'k/pairs.csv' },
);

/** A pseudo-random generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

interface Gen {
  rx_id: string;
  code: string;
  enc: string;
  ms: number;
  begin: string;
}

function pad(n: number) {
  return String(n).padStart(2, '0');
}

t.test('every window kind gives the pairwise answer', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = rng(seed);
    const orders: Gen[] = [];
    for (let i = 0; i < 300; i++) {
      const pair = PAIRS[Math.floor(next() * PAIRS.length)];
      const day = 1 + Math.floor(next() * 3);
      const hour = Math.floor(next() * 24);
      const minute = Math.floor(next() * 60);
      const begin = `2025-06-${pad(day)} ${pad(hour)}:${pad(minute)}:00`;
      orders.push({ rx_id: `R${pad(i)}`, code: pair[next() < 0.5 ? 0 : 2], enc: next() < 0.5 ? 'M1' : 'M2', ms: parseDateTime(begin), begin });
    }
    const data = {
      patient_dtos: [
        {
          patn_id: 'P1',
          gend: '2',
          brdy: '1990-01-01',
          fsi_encounter_dtos: ['M1', 'M2'].map((m) => ({
            mdtrt_id: m,
            med_mdtrt_type: '2',
            adm_date: '2025-05-30',
            fsi_order_dtos: orders.filter((o) => o.enc === m).map((o) => ({ rx_id: o.rx_id, hilist_code: o.code, drord_begn_date: o.begin })),
          })),
        },
      ],
    } as CheckData;
    const out = evaluate(rb, data, { now: '2025-06-05', maxInvolved: 1000, maxFindingsPerRule: 1000 });
    const got = out.result.map(
      (f) =>
        `${f.judge_result_detail_dtos[0].rx_id}:${f.judge_result_detail_dtos
          .slice(1)
          .map((d) => d.rx_id)
          .join(',')}`,
    );

    // The pairwise definition, in time order (then rx_id), as the engine orders a patient's orders.
    const sorted = [...orders].sort((a, b) => a.ms - b.ms || (a.rx_id < b.rx_id ? -1 : 1));
    const want: string[] = [];
    const byPair = PAIRS.map((p) => ({ main: p[0], sub: p[2], window: p[4] }));
    for (const { main, sub, window } of byPair) {
      for (const s of sorted) {
        if (s.code !== sub) continue;
        const mains = sorted.filter(
          (m) =>
            m.code === main &&
            (window === '单日'
              ? m.begin.slice(0, 10) === s.begin.slice(0, 10)
              : window === '单次就诊'
                ? m.enc === s.enc
                : window === '同一小时'
                  ? Math.floor(m.ms / HOUR) === Math.floor(s.ms / HOUR)
                  : Math.abs(m.ms - s.ms) <= 6 * HOUR),
        ); // 以内: exactly 6 h apart is inside
        if (mains.length > 0) want.push(`${s.rx_id}:${mains.map((m) => m.rx_id).join(',')}`);
      }
    }
    t.same([...got].sort(), [...want].sort(), `seed ${seed}: ${want.length} findings`);
  }
});

/** One patient's orders, each in the encounter entry named by its `entry` (entries may share a mdtrt_id). */
function split(entries: Array<{ mdtrt_id: string; orders: OrderDto[] }>): CheckData {
  return {
    patient_dtos: [
      {
        patn_id: 'P1',
        gend: '2',
        brdy: '1990-01-01',
        fsi_encounter_dtos: entries.map((e) => ({ mdtrt_id: e.mdtrt_id, med_mdtrt_type: '2', adm_date: '2025-06-01', fsi_order_dtos: e.orders })),
      },
    ],
  };
}
const ord = (rx_id: string, hilist_code: string, drord_begn_date: string) => ({ rx_id, hilist_code, drord_begn_date }) as OrderDto;
const findings = (data: CheckData) =>
  evaluate(rb, data, { now: '2025-06-05' }).result.map(
    (f) =>
      `${f.judge_result_detail_dtos[0].rx_id}:${f.judge_result_detail_dtos
        .slice(1)
        .map((d) => d.rx_id)
        .join(',')}`,
  );

t.test('单次就诊 is one mdtrt_id: an encounter sent as two entries still pairs', async (t) => {
  // 颅内多发血肿清除术 includes 颅内硬膜外血肿引流术, within one encounter.
  const main = ord('R1', '003302010140000', '2025-06-01 09:00:00');
  const sub = ord('R2', '003302010040000', '2025-06-03 09:00:00');
  t.same(
    findings(
      split([
        { mdtrt_id: 'M1', orders: [main] },
        { mdtrt_id: 'M1', orders: [sub] },
      ]),
    ),
    ['R2:R1'],
    'two entries, one mdtrt_id',
  );
  t.same(
    findings(
      split([
        { mdtrt_id: 'M1', orders: [main] },
        { mdtrt_id: 'M2', orders: [sub] },
      ]),
    ),
    [],
    'two encounters',
  );
});

t.test('N小时 windows include exactly N hours, in both directions', async (t) => {
  // 单胎顺产接生 includes 肛门指检 within 6 hours.
  const at = (main: string, sub: string) => findings(split([{ mdtrt_id: 'M1', orders: [ord('R1', '003314000020000', main), ord('R2', '003109040040000', sub)] }]));
  t.same(at('2025-06-01 10:00:00', '2025-06-01 16:00:00'), ['R2:R1'], 'sub exactly 6 h after');
  t.same(at('2025-06-01 16:00:00', '2025-06-01 10:00:00'), ['R2:R1'], 'sub exactly 6 h before');
  t.same(at('2025-06-01 10:00:00', '2025-06-01 16:00:01'), [], '6 h and 1 s after');
  t.same(at('2025-06-01 16:00:01', '2025-06-01 10:00:00'), [], '6 h and 1 s before');
});
