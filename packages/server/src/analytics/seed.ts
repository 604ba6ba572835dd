/**
 * A seeded generator of real-time history for the analytics (tests, the benchmark, the console's
 * browser tests): `checks`, their `findings` and 3103 `feedback` rows written straight into the
 * service's tables, spread over days, departments, doctors and rules with skewed frequencies, and
 * 继续执行 reasons drawn from a fixed list. The same seed gives the same rows.
 */
import type { Knex } from 'knex';

/** Options. */
export interface SeedOptions {
  /** Findings to write (about 2.5 per flagged check; a third of checks have none). */
  findings: number;
  /** First local day (yyyy-MM-dd). */
  from: string;
  /** Days covered. */
  days: number;
  departments?: number;
  doctorsPerDepartment?: number;
  rules?: number;
  hospital?: string;
  seed?: number;
  /** Share of findings with 返回修改 feedback, and with 继续执行. */
  modifiedShare?: number;
  continuedShare?: number;
  /** Rows per insert statement batch. */
  batch?: number;
  onProgress?: (findings: number) => void;
}

/** 继续执行 reasons doctors commonly give. */
const REASONS = ['病情需要', '患者知情同意自费', '已核实适应症', '上级医师同意', '急诊抢救'];

/** mulberry32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the rows; returns what was written. */
export async function seedRealtime(db: Knex, o: SeedOptions): Promise<{ checks: number; findings: number; feedback: number }> {
  const rnd = prng(o.seed ?? 7);
  const nDept = o.departments ?? 20;
  const nDoc = o.doctorsPerDepartment ?? 8;
  const nRules = o.rules ?? 60;
  const hospital = o.hospital ?? 'H43010200001';
  const batch = o.batch ?? 500;
  const skew = (n: number) => Math.min(n - 1, Math.floor(n * rnd() * rnd()));
  const start = new Date(`${o.from}T00:00:00`).getTime();
  const checks: Array<Record<string, unknown>> = [];
  const findings: Array<Record<string, unknown>> = [];
  const feedback: Array<Record<string, unknown>> = [];
  const counts = { checks: 0, findings: 0, feedback: 0 };
  const flush = async (force: boolean) => {
    if (!force && checks.length < batch) return;
    await db.transaction(async (trx) => {
      // Small statements: SQLite and MariaDB bound the parameters of one statement.
      for (let i = 0; i < checks.length; i += 200) await trx('checks').insert(checks.slice(i, i + 200));
      for (let i = 0; i < findings.length; i += 400) await trx('findings').insert(findings.slice(i, i + 400));
      for (let i = 0; i < feedback.length; i += 400) await trx('feedback').insert(feedback.slice(i, i + 400));
    });
    checks.length = 0;
    findings.length = 0;
    feedback.length = 0;
    o.onProgress?.(counts.findings);
  };
  let n = 0;
  while (counts.findings < o.findings) {
    n++;
    const dept = skew(nDept);
    const department = `K${String(dept + 1).padStart(3, '0')}`;
    const doctor = `${department}-D${String(skew(nDoc) + 1).padStart(2, '0')}`;
    const ms = start + Math.floor(rnd() * o.days * 86_400_000);
    const time = new Date(ms).toISOString();
    const checkId = `S${String(n).padStart(9, '0')}`;
    const flagged = rnd() < 0.67;
    const k = flagged ? 1 + Math.floor(rnd() * 4) : 0;
    const count = Math.min(k, o.findings - counts.findings);
    const anaDura = Math.round(rnd() * rnd() * 120 * 100) / 100;
    checks.push({
      check_id: checkId,
      time,
      channel: 'nhsa',
      infno: '3101',
      msgid: null,
      task_id: `T${n}`,
      scene: '2',
      phase: null,
      hospital,
      department,
      doctor,
      patient: `P***${n % 1000}`,
      orders: count + 1 + Math.floor(rnd() * 6),
      findings_count: count,
      findings: '[]',
      errors: rnd() < 0.001 ? '["rule failed"]' : null,
      ana_dura: anaDura,
      rulebook: 'nhsa-liangku@seed',
      request: null,
    });
    counts.checks++;
    for (let i = 0; i < count; i++) {
      const rule = skew(nRules);
      const jrId = `${checkId}-${i + 1}`;
      findings.push({
        jr_id: jrId,
        check_id: checkId,
        time,
        rule_id: `ZB${String(rule + 1).padStart(6, '0')}`,
        rule_name: `规则${rule + 1}`,
        sev_deg: String(1 + (rule % 3)),
        rx_id: `${checkId}-rx${i + 1}`,
        hilist_code: null,
        vola_amt: Math.round(rnd() * 50_000) / 100,
        hospital,
        department,
        doctor,
        actor: 'seed',
      });
      counts.findings++;
      const r = rnd();
      const modified = o.modifiedShare ?? 0.3;
      const continued = o.continuedShare ?? 0.3;
      if (r < modified + continued) {
        const way = r < modified ? '2' : '1';
        feedback.push({
          jr_id: jrId,
          warn_type: '1',
          dspo_way: way,
          dspo_way_rea: way === '1' ? REASONS[skew(REASONS.length)] : null,
          time: new Date(ms + 30_000).toISOString(),
          msgid: null,
          actor: 'seed',
          channel: 'nhsa',
          known: true,
        });
        counts.feedback++;
      }
    }
    await flush(false);
  }
  await flush(true);
  return counts;
}
