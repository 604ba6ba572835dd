/**
 * Engine benchmark: the same national rulebook and the same 20-order prescriptions, measured side
 * by side in one run:
 *   1. preaudit core-rules (compiled, code-indexed);
 *   2. json-logic-js applying an equivalent JsonLogic condition per rule per order (the naive way);
 *   3. json-rules-engine on the same facts.
 * Prints median and p99 per prescription and the ratios, plus compile time and heap of the rulebook.
 * Each contender runs in its own child process (same seeded prescriptions), so the baselines'
 * heap and garbage never land in preaudit's figures, and the parent prints them side by side.
 * Run: npm run bench  (or: node --expose-gc --import tsx bench/engine.bench.ts [--prescriptions 300] [--rounds 20]
 *      [--baseline-prescriptions 60]: the slow baselines time only the first 60 prescriptions)
 *      … --contender preaudit   one contender alone, printing its figures as JSON (what the parent runs)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import jsonLogic from 'json-logic-js';
import { Engine } from 'json-rules-engine';
import { evaluate, normalizeCheckData, readText, type CheckData, type OrderDto, type CompiledRulebook } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PRESCRIPTIONS = arg('prescriptions', 300);
const ROUNDS = arg('rounds', 20);
const NAIVE_ROUNDS = arg('naive-rounds', 2);
/** How many of the prescriptions the slow baselines time (default all; fewer for a quick run on a busy machine). */
const BASELINE_PRESCRIPTIONS = arg('baseline-prescriptions', PRESCRIPTIONS);
const contenderAt = process.argv.indexOf('--contender');
const CONTENDER = contenderAt > 0 ? process.argv[contenderAt + 1] : undefined;
const CONTENDERS = ['preaudit', 'preaudit-normalise', 'json-logic-js', 'json-rules-engine'] as const;
type Stats = { median: number; p99: number; n: number };
interface Report {
  stats: Stats;
  compileMs: number;
  heapMb: number | null;
  digest: string;
  rules: number;
  codes: number;
  findings: number;
  /** Garbage collections during the timed loop and their total pause. */
  gcCount: number;
  gcMs: number;
}

if (!CONTENDER) {
  // The parent: one child per contender, in turn, on the same arguments.
  const self = fileURLToPath(import.meta.url);
  const passArgs = process.argv.slice(2);
  const reports = new Map<string, Report>();
  for (const c of CONTENDERS) {
    const out = execFileSync(process.execPath, [...process.execArgv, self, ...passArgs, '--contender', c], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    reports.set(c, JSON.parse(out.trim().split('\n').pop()!) as Report);
  }
  const ours = reports.get('preaudit')!;
  const oursWire = reports.get('preaudit-normalise')!.stats;
  const jl = reports.get('json-logic-js')!.stats;
  const jre = reports.get('json-rules-engine')!.stats;
  const { compileMs, heapMb } = ours;
  const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
  const row = (name: string, s: Stats) => `${name.padEnd(44)} ${fmt(s.median).padStart(10)} ${fmt(s.p99).padStart(10)} ${String(s.n).padStart(7)}`;
  console.log(`\nnational rulebook ${ours.digest}: ${ours.rules} rules, ${ours.codes} codes`);
  console.log(`compile (read + validate + index): ${compileMs.toFixed(0)} ms, heap ${heapMb !== null ? `${heapMb.toFixed(1)} MB` : 'n/a (run with --expose-gc)'}`);
  console.log(`${PRESCRIPTIONS} prescriptions × 20 orders (30% with codes in the rulebook, 5 history orders each); ${ours.findings} findings over the set`);
  console.log(`each contender in its own process; preaudit's timed loop: ${ours.gcCount} garbage collections, ${ours.gcMs.toFixed(1)} ms of pauses\n`);
  console.log(`${'per prescription'.padEnd(44)} ${'median'.padStart(10)} ${'p99'.padStart(10)} ${'samples'.padStart(7)}`);
  console.log(row('1. preaudit evaluate', ours.stats));
  console.log(row('1b. preaudit normalise (strings) + evaluate', oursWire));
  console.log(row('2. json-logic-js, per rule per order', jl));
  console.log(row('3. json-rules-engine, per order', jre));
  const o = ours.stats;
  console.log(
    `\nratios (median / p99): json-logic-js ÷ preaudit = ${(jl.median / o.median).toFixed(0)}× / ${(jl.p99 / o.p99).toFixed(0)}×; json-rules-engine ÷ preaudit = ${(jre.median / o.median).toFixed(0)}× / ${(jre.p99 / o.p99).toFixed(0)}×`,
  );
  console.log(
    `goal p99 < 50 µs: ${o.p99 < 50 ? 'met' : 'NOT met'} (${fmt(o.p99)}); goal ≥ 200× json-logic-js: ${jl.p99 / o.p99 >= 200 ? 'met' : 'NOT met'}; compile < 1 s and < 200 MB: ${compileMs < 1000 && (heapMb === null || heapMb < 200) ? 'met' : 'NOT met'}`,
  );
  process.exit(0);
}

// ---------- compile: time and heap ----------
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const rb: CompiledRulebook = loadRulebookDir(NATIONAL_RULEBOOK_DIR);
const compileMs = performance.now() - t0;
gc?.();
const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;

// ---------- the same prescriptions for everyone (seeded) ----------
let seed = 20251122;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
const internal = rb.compiled;
const knownCodes = [...internal.index.keys()];
const pad = (n: number, w: number) => String(n).padStart(w, '0');
function prescription(i: number): CheckData {
  const orders: OrderDto[] = [];
  for (let k = 0; k < 20; k++) {
    const flagged = rand() < 0.3;
    const code = flagged ? pick(knownCodes) : `XA${pad(Math.floor(rand() * 1e6), 6)}A001010100000`.slice(0, 23);
    const pric = Math.round(rand() * 20000) / 100;
    orders.push({
      rx_id: `RX${i}-${k}`,
      hilist_code: code,
      hilist_name: `项目${k}`,
      cnt: 1 + Math.floor(rand() * 3),
      pric,
      sumamt: pric,
      hilist_pric: pric,
      drord_begn_date: `2025-06-${pad(1 + Math.floor(rand() * 5), 2)} ${pad(8 + Math.floor(rand() * 10), 2)}:00:00`,
      curr_drord_flag: k < 15 ? '1' : '0',
    });
  }
  return {
    trig_scen: '1',
    task_id: `T${i}`,
    patient_dtos: [
      {
        patn_id: `P${i}`,
        gend: rand() < 0.5 ? '1' : '2',
        brdy: `${1940 + Math.floor(rand() * 84)}-0${1 + Math.floor(rand() * 9)}-15`,
        fsi_encounter_dtos: [
          {
            mdtrt_id: `M${i}`,
            med_mdtrt_type: pick(['1', '2']),
            medins_lv: pick(['02', '05', '08', '11']),
            insutype: pick(['310', '390', '510']),
            adm_date: '2025-06-01',
            fsi_order_dtos: orders,
          },
        ],
      },
    ],
  };
}
const requests = Array.from({ length: PRESCRIPTIONS }, (_, i) => prescription(i));
// The wire form: what a HIS sends (numbers as strings), for the normalise + evaluate figure.
const wire = requests.map((r) => JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'number' ? String(v) : v))));

// ---------- equivalent JsonLogic conditions, one per rule ----------
// Order-level templates translate fully; for window/pair/group templates the naive baseline only
// tests code membership (a lower bound of its real cost, so the ratios below are conservative).
const ageExpr = { '-': [{ substr: [{ var: 'order.drord_begn_date' }, 0, 4] }, { substr: [{ var: 'patient.brdy' }, 0, 4] }] };
const tierExpr = {
  if: [
    { in: [{ var: 'encounter.medins_lv' }, ['01', '02', '03', '04', '12']] },
    3,
    { in: [{ var: 'encounter.medins_lv' }, ['05', '06', '07', '13']] },
    2,
    { in: [{ var: 'encounter.medins_lv' }, ['08', '09', '10', '14']] },
    1,
    0,
  ],
};
function pointCondition(template: string | undefined, row: Record<string, unknown>): unknown {
  const codes = row.codes as string[];
  const inCodes = { in: [{ var: 'order.hilist_code' }, codes] };
  switch (template) {
    case 'sex-limit':
      return { and: [inCodes, { in: [{ var: 'patient.gend' }, ['1', '2']] }, { '!=': [{ var: 'patient.gend' }, row.sex === '男' ? '1' : row.sex === '女' ? '2' : row.sex] }] };
    case 'age-limit':
      return { and: [inCodes, { '>=': [ageExpr, Number(row.max_age || 18)] }] };
    case 'insurance-type-limit':
      return { and: [inCodes, { '!': { in: [{ var: 'encounter.insutype' }, readText(row.insutypes).split('|').filter(Boolean)] } }] };
    case 'visit-type-limit':
      return { and: [inCodes, { '!': { in: [{ var: 'encounter.med_mdtrt_type' }, String(row.med_mdtrt_types).split('|')] } }] };
    case 'hospital-tier-limit':
      return { and: [inCodes, { '<': [tierExpr, Number(row.min_tier)] }] };
    default:
      return inCodes;
  }
}
// Rules judged per encounter from diagnoses or whole prescriptions (diagnosis-limit,
// prescription-pair) have rows without a code list: they have no per-order equivalent here, so
// the baselines leave those rows out (again a lower bound of their cost).
const codedRows = (r: (typeof internal.rules)[number]) => (r.def.template === 'pair-exclusion' ? r.rows : r.rows.filter((row) => Array.isArray(row.codes)));
const buildNaiveRules = () =>
  internal.rules.map((r) => {
    const rows = codedRows(r);
    const conds =
      r.def.template === 'pair-exclusion'
        ? rows.map((row) => ({ in: [{ var: 'order.hilist_code' }, [row.main_code, row.sub_code]] }))
        : rows.map((row) => pointCondition(r.def.template, row));
    return { id: r.id, logic: { or: conds } };
  });
let naiveRules: ReturnType<typeof buildNaiveRules> = [];
function naive(data: CheckData): number {
  let hits = 0;
  for (const patient of data.patient_dtos) {
    for (const encounter of patient.fsi_encounter_dtos ?? []) {
      for (const order of encounter.fsi_order_dtos ?? []) {
        const facts = { patient, encounter, order };
        for (const r of naiveRules) if (jsonLogic.apply(r.logic as jsonLogic.RulesLogic, facts)) hits++;
      }
    }
  }
  return hits;
}

// ---------- json-rules-engine on the same facts ----------
const engine = new Engine([], { allowUndefinedFacts: true });
function buildRulesEngine(): void {
  for (const r of internal.rules) {
    const any =
      r.def.template === 'pair-exclusion'
        ? [{ fact: 'order', path: '$.hilist_code', operator: 'in', value: r.rows.flatMap((row) => [row.main_code, row.sub_code]) }]
        : codedRows(r).map((row) => {
            const all: Array<Record<string, unknown>> = [{ fact: 'order', path: '$.hilist_code', operator: 'in', value: row.codes }];
            if (r.def.template === 'sex-limit')
              all.push(
                { fact: 'patient', path: '$.gend', operator: 'in', value: ['1', '2'] },
                { fact: 'patient', path: '$.gend', operator: 'notEqual', value: row.sex === '男' ? '1' : '2' },
              );
            if (r.def.template === 'visit-type-limit') all.push({ fact: 'encounter', path: '$.med_mdtrt_type', operator: 'notIn', value: String(row.med_mdtrt_types).split('|') });
            if (r.def.template === 'insurance-type-limit')
              all.push({ fact: 'encounter', path: '$.insutype', operator: 'notIn', value: readText(row.insutypes).split('|').filter(Boolean) });
            return { all };
          });
    engine.addRule({ conditions: { any } as never, event: { type: r.id } });
  }
}
async function rulesEngine(data: CheckData): Promise<number> {
  let hits = 0;
  for (const patient of data.patient_dtos) {
    for (const encounter of patient.fsi_encounter_dtos ?? []) {
      for (const order of encounter.fsi_order_dtos ?? []) {
        const { events } = await engine.run({ patient, encounter, order });
        hits += events.length;
      }
    }
  }
  return hits;
}

// ---------- measure ----------
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99), n: s.length };
}
function timeSync(_label: string, rounds: number, fn: (i: number) => unknown, afterWarmUp?: () => void, count = requests.length): number[] {
  const samples: number[] = [];
  for (let w = 0; w < 3; w++) for (let i = 0; i < count; i++) fn(i); // warm-up: let the JIT settle
  afterWarmUp?.();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      fn(i);
      samples.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  }
  return samples;
}
async function timeAsync(rounds: number, fn: (i: number) => Promise<unknown>, count = requests.length): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) await fn(i);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      await fn(i);
      samples.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  }
  return samples;
}

// Garbage collections while a contender's loop runs (the timed part only).
let gcCount = 0,
  gcMs = 0,
  counting = false;
new PerformanceObserver((list) => {
  if (!counting) return;
  for (const e of list.getEntries()) {
    gcCount++;
    gcMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
const now = { now: '2025-06-05' };
let measured: Stats;
let findings = 0;
counting = CONTENDER !== 'preaudit';
switch (CONTENDER) {
  case 'preaudit':
    for (const r of requests) findings += evaluate(rb, r, now).result.length;
    measured = stats(
      timeSync(
        'preaudit',
        ROUNDS,
        (i) => evaluate(rb, requests[i], now),
        () => {
          counting = true;
        },
      ),
    );
    break;
  case 'preaudit-normalise':
    measured = stats(
      timeSync('preaudit+normalise', ROUNDS, (i) => {
        const n = normalizeCheckData(wire[i]);
        if (n.ok) evaluate(rb, n.value, now);
      }),
    );
    break;
  case 'json-logic-js':
    naiveRules = buildNaiveRules();
    measured = stats(timeSync('json-logic-js', NAIVE_ROUNDS, (i) => naive(requests[i]), undefined, BASELINE_PRESCRIPTIONS));
    break;
  case 'json-rules-engine':
    buildRulesEngine();
    measured = stats(await timeAsync(1, (i) => rulesEngine(requests[i]), BASELINE_PRESCRIPTIONS));
    break;
  default:
    throw new Error(`--contender must be one of ${CONTENDERS.join(', ')}`);
}
await new Promise((r) => setTimeout(r, 50)); // let the observer deliver the loop's entries
counting = false;
const report: Report = { stats: measured, compileMs, heapMb: gc ? heapMb : null, digest: rb.digest, rules: rb.rules.length, codes: rb.codeCount, findings, gcCount, gcMs };
console.log(JSON.stringify(report));
