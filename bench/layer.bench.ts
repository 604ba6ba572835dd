/**
 * Layer benchmark (issue 13): the engine cost of the hospital's layer. The same 20-order
 * prescriptions on the national rulebook evaluated
 *   A. without a layer: `evaluate(rulebook, …)` (the baseline);
 *   B. with a layer of 1,000 exemptions and 100 overrides: `evaluateWithLayer(layer, …)`, i.e. the
 *      layered rulebook in force at `now` (overrides compiled in), sources, attribution and the
 *      exemption split, with the server's patient-id mask as `patientKey` and a usage counter.
 * A and B alternate per prescription in one process (the order flips every round), so machine
 * load lands on both alike. Prints median and p99 per prescription, the ratios, and the goal
 * (p99 with the layer within 10% of without).
 * Run: npm run bench:layer -w @preaudit/bench   [-- --prescriptions 300 --rounds 20]
 */
import {
  evaluate,
  compileLayer,
  evaluateWithLayer,
  type CheckData,
  type CompiledRulebook,
  type Exemption,
  type LayerFile,
  type OrderDto,
  type RuleOverride,
} from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { NATIONAL_RULEBOOK_DIR } from '@preaudit/nhsa-liangku';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PRESCRIPTIONS = arg('prescriptions', 300);
const ROUNDS = arg('rounds', 20);

const rb: CompiledRulebook = loadRulebookDir(NATIONAL_RULEBOOK_DIR);

// ---------- seeded prescriptions (as bench/engine.bench.ts, plus department, doctor, diagnosis) ----------
let seed = 20251122;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
const knownCodes = [...rb.compiled.index.keys()];
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DEPTS = Array.from({ length: 40 }, (_, i) => `A${pad(i, 2)}`);
const DOCTORS = Array.from({ length: 300 }, (_, i) => `D${pad(i, 4)}`);
const DIAGNOSES = ['I10.x00', 'E11.900', 'C50.900', 'J18.900', 'K29.700', 'N40.x00', 'M54.500', 'C34.900'];
const patientId = (i: number) => `3301021990${pad(i, 8)}`;
function prescription(i: number): CheckData {
  const dept = pick(DEPTS);
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
      drord_dept_codg: rand() < 0.8 ? dept : undefined,
      drord_dr_codg: pick(DOCTORS),
      curr_drord_flag: k < 15 ? '1' : '0',
    });
  }
  return {
    trig_scen: '1',
    task_id: `T${i}`,
    patient_dtos: [
      {
        patn_id: patientId(i),
        gend: rand() < 0.5 ? '1' : '2',
        brdy: `${1940 + Math.floor(rand() * 84)}-0${1 + Math.floor(rand() * 9)}-15`,
        fsi_encounter_dtos: [
          {
            mdtrt_id: `M${i}`,
            med_mdtrt_type: pick(['1', '2']),
            medins_lv: pick(['02', '05', '08', '11']),
            insutype: pick(['310', '390', '510']),
            adm_date: '2025-06-01',
            adm_dept_codg: dept,
            fsi_diagnose_dtos: [{ dise_id: 'D1', dise_codg: pick(DIAGNOSES), dise_name: '诊断', maindise_flag: '1', inout_dise_type: '2' }],
            fsi_order_dtos: orders,
          },
        ],
      },
    ],
  };
}
const requests = Array.from({ length: PRESCRIPTIONS }, (_, i) => prescription(i));

// ---------- the layer: 100 overrides, 1,000 exemptions ----------
/** The server's patient-id mask (packages/server/src/checks/masking.ts maskId). */
function maskId(s: string): string {
  if (s.length <= 2) return '*'.repeat(s.length);
  if (s.length <= 6) return s[0] + '*'.repeat(s.length - 1);
  const keep = s.length > 10 ? 2 : 1;
  return s.slice(0, keep) + '*'.repeat(s.length - 2 * keep) + s.slice(-keep);
}
const PERIODS: Array<[string, string | null]> = [
  ['2019-01-01', '2021-01-01'],
  ['2021-01-01', '2023-01-01'],
  ['2023-01-01', '2025-01-01'],
  ['2025-01-01', null],
];
const overrides: RuleOverride[] = [];
const rules = rb.compiled.rules;
// Each rule gets consecutive periods (the last one in force now); every kind of change is used,
// none switches a rule off (so both sides judge the same rules).
for (let p = PERIODS.length - 1; p >= 0 && overrides.length < 100; p--) {
  for (const r of rules) {
    if (overrides.length >= 100) break;
    const n = overrides.length;
    const ov: RuleOverride = { id: `ov-${n}`, rule_id: r.id, approver: '医保办', reason: '基准测试', from: PERIODS[p][0], to: PERIODS[p][1] };
    const params = r.def.params ?? {};
    if (n % 4 === 0) ov.sev_deg = pick(['2', '3'] as const);
    if (n % 4 === 1) ov.phases = ['事前', '事中', '事后'];
    if (n % 4 === 2) ov.message = `${r.def.message}（本院提示）`;
    if (n % 4 === 3 || (typeof params.max_age === 'number' && n % 2 === 0)) {
      if (typeof params.max_age === 'number') ov.params = { max_age: params.max_age + 1 };
      else if (typeof params.max_days === 'number') ov.params = { max_days: params.max_days + 5 };
      else ov.scenes = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
      ov.base_params = params;
    }
    overrides.push(ov);
  }
}
const exemptions: Exemption[] = [];
for (let i = 0; i < 1000; i++) {
  const k = i % 10;
  const scope: Exemption['scope'] =
    k < 4
      ? { patient: maskId(patientId(Math.floor(rand() * PRESCRIPTIONS * 3))), rule_id: pick(rules).id }
      : k < 7
        ? { hilist_code: pick(knownCodes), dept_codg: pick(DEPTS) }
        : k < 8
          ? { dr_codg: pick(DOCTORS), rule_id: pick(rules).id }
          : k < 9
            ? { dept_codg: pick(DEPTS), rule_id: pick(rules).id, insutype: pick(['310', '390']) }
            : { diagnosis_prefix: pick(['C50', 'C34', 'E11', 'I10']), hilist_code: pick(knownCodes) };
  exemptions.push({ id: `ex-${i}`, scope, reason: '基准测试', approver: '医保办', from: '2025-01-01', to: '2026-01-01', cap: i % 3 === 0 ? 50 : undefined });
}
const file: LayerFile = { format: 'preaudit-layer/1', id: 'bench-layer', version: '1.0.0', base: { id: rb.id, version: rb.version }, overrides, exemptions };
const t0 = performance.now();
const compiled = compileLayer(rb, file);
const compileMs = performance.now() - t0;
if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors.slice(0, 5)));
const layer = compiled.layer;
const NOW = '2025-06-05';
const t1 = performance.now();
layer.rulebookAt(NOW);
const variantMs = performance.now() - t1;
const usage = (id: string) => (id.length % 2 === 0 ? 3 : 0);
const withLayer = (i: number) => evaluateWithLayer(layer, requests[i], { now: NOW, patientKey: maskId, usage });
const without = (i: number) => evaluate(rb, requests[i], { now: NOW });

// ---------- measure: A and B alternating per prescription ----------
let shown = 0,
  suppressed = 0,
  plain = 0;
for (let i = 0; i < requests.length; i++) {
  const out = withLayer(i);
  shown += out.result.length;
  suppressed += out.suppressed.length;
  plain += without(i).result.length;
}
for (let w = 0; w < 3; w++) {
  for (let i = 0; i < requests.length; i++) {
    without(i);
    withLayer(i);
  }
}
const a: number[] = [],
  b: number[] = [];
const time = (fn: (i: number) => unknown, i: number, into: number[]) => {
  const t = process.hrtime.bigint();
  fn(i);
  into.push(Number(process.hrtime.bigint() - t) / 1000);
};
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < requests.length; i++) {
    if ((r + i) % 2 === 0) {
      time(without, i, a);
      time(withLayer, i, b);
    } else {
      time(withLayer, i, b);
      time(without, i, a);
    }
  }
}
// CPU time per prescription (process.cpuUsage over whole passes, A and B alternating): unlike
// wall-clock samples it does not count the time this process waits for a core on a busy machine.
let cpuA = 0,
  cpuB = 0;
const cpuPass = (fn: (i: number) => unknown) => {
  const c = process.cpuUsage();
  for (let i = 0; i < requests.length; i++) fn(i);
  const d = process.cpuUsage(c);
  return d.user + d.system;
};
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    cpuA += cpuPass(without);
    cpuB += cpuPass(withLayer);
  } else {
    cpuB += cpuPass(withLayer);
    cpuA += cpuPass(without);
  }
}
const cpuPer = (total: number) => total / ROUNDS / requests.length;
function stats(samples: number[]) {
  const s = [...samples].sort((x, y) => x - y);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99), n: s.length };
}
const A = stats(a),
  B = stats(b);
const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
const row = (name: string, s: ReturnType<typeof stats>) => `${name.padEnd(52)} ${fmt(s.median).padStart(10)} ${fmt(s.p99).padStart(10)} ${String(s.n).padStart(7)}`;
console.log(`\nnational rulebook ${rb.digest}: ${rb.rules.length} rules, ${rb.codeCount} codes`);
console.log(`layer ${layer.digest}: ${overrides.length} overrides (${new Set(overrides.map((o) => o.rule_id)).size} rules, ${PERIODS.length} periods), ${exemptions.length} exemptions`);
console.log(`compileLayer ${compileMs.toFixed(0)} ms; first rulebookAt(now) (the period's rulebook, indexed) ${variantMs.toFixed(0)} ms`);
console.log(`${PRESCRIPTIONS} prescriptions × 20 orders; findings over the set: ${plain} without the layer, ${shown} shown + ${suppressed} suppressed with it\n`);
console.log(`${'per prescription'.padEnd(52)} ${'median'.padStart(10)} ${'p99'.padStart(10)} ${'samples'.padStart(7)}`);
console.log(row('A. evaluate, no layer (baseline)', A));
console.log(row('B. evaluateWithLayer, 100 overrides + 1,000 exemptions', B));
const ratioMedian = B.median / A.median,
  ratioP99 = B.p99 / A.p99;
console.log(`\nCPU time per prescription (mean over ${ROUNDS} alternating passes): A ${fmt(cpuPer(cpuA))}, B ${fmt(cpuPer(cpuB))}, ratio ${(cpuB / cpuA).toFixed(3)}`);
console.log(`ratio B ÷ A: median ${ratioMedian.toFixed(3)}, p99 ${ratioP99.toFixed(3)}`);
console.log(`goal p99 within 10% of no layer: ${ratioP99 <= 1.1 ? 'met' : 'NOT met'} (${((ratioP99 - 1) * 100).toFixed(1)}%)`);
