/**
 * The review queue end to end on the real SQLite and the local PostgreSQL (own schema, dropped
 * after): real-time findings made by real 3101 checks, batch findings as audit jobs store them,
 * every transition and refusal, bulk, department scope, unmasking, filters/sort/paging against
 * the truth of the seeded rows, and the XLSX files read back with exceljs.
 */
import t from 'tap';
import knexFactory, { type Knex } from 'knex';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { genderViolation, NOW, PG_URL, uniqueName } from '../test-support/helpers.js';
import { apalutamideOrder } from '../test-support/orders.js';
import { as, PEOPLE, reviewTestApp } from './test-app.test-helper.js';
import { EXPORT_HEADERS } from './export.js';

type Json = Record<string, any>;

const STORAGES = [
  { name: 'sqlite', url: ':memory:' as string | undefined, schema: undefined as string | undefined },
  { name: 'pg', url: PG_URL, schema: uniqueName('review') },
];

/** A 3101 whose single order violates 药品区分性别使用, filed under `dept`/`doctor`. */
function violation(msgid: string, dept: string, doctor: string): Json {
  const env = genderViolation(msgid);
  const enc = env.input.data.patient_dtos[0].fsi_encounter_dtos[0];
  enc.adm_dept_codg = dept;
  enc.dr_codg = doctor;
  enc.mdtrt_id = `MZ-${msgid}`;
  enc.fsi_order_dtos = [
    apalutamideOrder('R1', '2025-06-10 09:00:00', { drord_dept_codg: dept, drord_dr_codg: doctor }),
    { rx_id: 'R2', hilist_code: '001201000010000-120100001', hilist_name: '普通门诊诊查费', cnt: 1, pric: 10, sumamt: 10, drord_begn_date: '2025-06-10 09:00:00', drord_dept_codg: dept },
  ];
  return env;
}

/** One seeded finding as the test knows it (the truth the queue is compared with). */
interface Truth {
  jr_id: string;
  source: 'rt' | 'batch';
  phase: string;
  time: string;
  department: string;
  doctor: string;
  rule_id: string;
  sev_deg: string;
  vola_amt: number;
  job_id: string | null;
}

const DEPTS = ['D01', 'D02', 'D03', 'D04'];
const RULES = ['RULE-A', 'RULE-B', 'RULE-C'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Seeds real-time findings (checks + findings rows) and batch findings (a job + audit_findings rows) straight into the tables, as their writers store them. */
async function seed(db: Knex, nRt: number, nBatch: number): Promise<Truth[]> {
  const truth: Truth[] = [];
  const base = Date.parse('2025-05-01T00:00:00.000Z');
  const checks: Json[] = [];
  const findings: Json[] = [];
  for (let i = 0; i < nRt; i++) {
    const k = (i * 7919) % 10007;
    const time = new Date(base + k * 60_000).toISOString();
    const t: Truth = {
      jr_id: `SEED-RT-${i}`,
      source: 'rt',
      phase: '实时',
      time,
      department: DEPTS[i % 4],
      doctor: `DR${i % 5}`,
      rule_id: RULES[i % 3],
      sev_deg: String(1 + ((i * 5) % 3)),
      vola_amt: ((i * 104729) % 10007) + 0.5,
      job_id: null,
    };
    truth.push(t);
    checks.push({
      check_id: `SEEDCHK${i}`,
      time,
      channel: 'nhsa',
      hospital: 'H1',
      department: t.department,
      doctor: t.doctor,
      patient: '33**************28',
      orders: 1,
      findings_count: 1,
      findings: '[]',
      ana_dura: 1,
      rulebook: 'seed@1',
    });
    findings.push({
      jr_id: t.jr_id,
      check_id: `SEEDCHK${i}`,
      time,
      rule_id: t.rule_id,
      rule_name: `规则${t.rule_id}`,
      sev_deg: t.sev_deg,
      rx_id: 'R1',
      hilist_code: 'X',
      vola_amt: t.vola_amt,
      hospital: 'H1',
      department: t.department,
      doctor: t.doctor,
    });
  }
  for (let i = 0; i < checks.length; i += 200) await db('checks').insert(checks.slice(i, i + 200));
  for (let i = 0; i < findings.length; i += 200) await db('findings').insert(findings.slice(i, i + 200));
  for (const [jobId, phase] of [
    ['AJSEED1', '事后'],
    ['AJSEED2', '事中'],
  ]) {
    await db('audit_jobs').insert({ id: jobId, source: 'his', phase, state: 'done', created_by: 'test', created_at: '2025-06-01T00:00:00.000Z' });
  }
  const rows: Json[] = [];
  for (let j = 0; j < nBatch; j++) {
    const k = (j * 104729) % 10007;
    const local = new Date(base + k * 60_000 + 13_000);
    const orderDate = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`;
    const jobId = j % 2 === 0 ? 'AJSEED1' : 'AJSEED2';
    const t: Truth = {
      jr_id: `SEED-B-${j}`,
      source: 'batch',
      phase: j % 2 === 0 ? '事后' : '事中',
      time: local.toISOString(),
      department: DEPTS[(j + 1) % 4],
      doctor: `DR${j % 5}`,
      rule_id: RULES[(j + 2) % 3],
      sev_deg: String(1 + (j % 3)),
      vola_amt: ((j * 7919) % 10007) + 0.25,
      job_id: jobId,
    };
    truth.push(t);
    rows.push({
      job_id: jobId,
      jr_id: t.jr_id,
      rule_id: t.rule_id,
      rule_name: `规则${t.rule_id}`,
      sev_deg: t.sev_deg,
      vola_cont: '内容',
      vola_evid: '依据',
      vola_amt: t.vola_amt,
      patn_id: '33**************28',
      mdtrt_id: `ZY-${j}`,
      rx_id: `B${j}`,
      hilist_code: 'Y',
      hilist_name: '项目',
      dept_codg: t.department,
      dept_name: `科室${t.department}`,
      dr_codg: t.doctor,
      dr_name: `医生${t.doctor}`,
      order_date: orderDate,
      details: JSON.stringify([
        { jrd_id: 'd1', rx_id: `B${j}`, vola_item_type: '1', vola_amt: t.vola_amt },
        { jrd_id: 'd2', rx_id: `B${j}-X`, vola_item_type: '2', vola_amt: 0 },
      ]),
    });
  }
  for (let i = 0; i < rows.length; i += 100) await db('audit_findings').insert(rows.slice(i, i + 100));
  return truth;
}

async function get(app: FastifyInstance, url: string, who: Json = PEOPLE.reviewer): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method: 'GET', url, headers: as(who as never) });
  return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : {} };
}

async function post(app: FastifyInstance, url: string, payload: Json, who: Json = PEOPLE.reviewer): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method: 'POST', url, payload, headers: as(who as never) });
  return { status: res.statusCode, body: res.json() };
}

/** Every page of a view, following next_cursor. */
async function allPages(app: FastifyInstance, query: string, who: Json = PEOPLE.reviewer, limit = 7): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const url: string = `/v1/review/items?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { status, body } = await get(app, url, who);
    if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
    out.push(...body.items);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return out;
}

const SEV_RANK: Record<string, number> = { '1': 3, '2': 2, '3': 1 };

/** The truth, filtered and sorted as the queue must be (times and amounts are distinct, so order is total). */
function expected(truth: Truth[], filter: (t: Truth) => boolean, sort: 'time' | 'amount' | 'severity', order: 'asc' | 'desc'): string[] {
  const key = (t: Truth): Array<string | number> => (sort === 'time' ? [t.time] : sort === 'amount' ? [t.vola_amt] : [SEV_RANK[t.sev_deg], t.time]);
  const sorted = truth.filter(filter).sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
  if (order === 'desc') sorted.reverse();
  return sorted.map((t) => t.jr_id);
}

for (const storage of STORAGES) {
  t.test(`review queue on ${storage.name}`, async (t) => {
    const app = await reviewTestApp({ databaseUrl: storage.url, databaseSchema: storage.schema, flushIntervalMs: 60_000 });
    t.teardown(async () => {
      await app.close();
      if (storage.name === 'pg') {
        const k = knexFactory({ client: 'pg', connection: PG_URL });
        await k.raw('drop schema if exists ?? cascade', [storage.schema!]);
        await k.destroy();
      }
    });

    // Real-time findings from real checks: two in D01, one in D02.
    for (const [msgid, dept, dr] of [
      ['M1', 'D01', 'DR01'],
      ['M2', 'D01', 'DR02'],
      ['M3', 'D02', 'DR03'],
    ]) {
      const res = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: violation(msgid, dept, dr), headers: as(PEOPLE.admin) });
      t.equal(res.statusCode, 200);
      t.equal(res.json().output.result.length, 1, `${msgid}: one finding`);
    }
    await app.checkStore.flush();
    const truth = await seed(app.db, 120, 80);

    await t.test('the queue holds both sources, newest first by default', async (t) => {
      const { status, body } = await get(app, '/v1/review/items?with_total=true&limit=5');
      t.equal(status, 200);
      t.equal(body.total, 3 + 200);
      t.equal(body.items.length, 5);
      t.ok(body.next_cursor);
      // The real checks are the newest (NOW); each item starts 待审.
      const real = await allPages(app, 'source=rt&rule_id=GZ10000301004000');
      t.equal(real.length, 3);
      t.match(real[0], { source: 'rt', phase: '实时', rule_name: '药品区分性别使用', sev_deg: '1', status: 'pending', status_label: '待审', rx_id: 'R1', vola_amt: 100 });
      t.match(real[0].patient, /^33\*+28$/, 'patient masked');
    });

    await t.test('filters, sorts and keyset paging agree with the seeded truth', async (t) => {
      const seeded = (x: Truth) => x.jr_id.startsWith('SEED');
      const views: Array<{ q: string; f: (x: Truth) => boolean }> = [
        { q: '', f: () => true },
        { q: 'department=D01', f: (x) => x.department === 'D01' },
        { q: 'department=D01,D03&sev_deg=1,2', f: (x) => ['D01', 'D03'].includes(x.department) && ['1', '2'].includes(x.sev_deg) },
        { q: 'phase=事后', f: (x) => x.phase === '事后' },
        { q: 'source=batch&doctor=DR2', f: (x) => x.source === 'batch' && x.doctor === 'DR2' },
        { q: 'rule_id=RULE-B&amount_min=1000&amount_max=6000', f: (x) => x.rule_id === 'RULE-B' && x.vola_amt >= 1000 && x.vola_amt <= 6000 },
        { q: 'job_id=AJSEED2', f: (x) => x.job_id === 'AJSEED2' },
        {
          q: 'from=2025-05-03&to=2025-05-05',
          f: (x) => {
            const d = new Date(x.time);
            const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
            return day >= '2025-05-03' && day <= '2025-05-05';
          },
        },
      ];
      for (const v of views) {
        for (const sort of ['time', 'amount', 'severity'] as const) {
          for (const order of ['desc', 'asc'] as const) {
            const q = [v.q, `sort=${sort}`, `order=${order}`, 'source=' + ''].filter((s) => s && s !== 'source=').join('&');
            const got = (await allPages(app, q)).map((i) => i.jr_id).filter((id: string) => id.startsWith('SEED'));
            const want = expected(truth, (x) => seeded(x) && v.f(x), sort, order);
            t.same(got, want, `${v.q || '(all)'} sort=${sort} ${order}: ${want.length} items`);
          }
        }
      }
      const total = await get(app, '/v1/review/items?department=D01&with_total=true');
      t.equal(total.body.total, truth.filter((x) => x.department === 'D01').length + 2);
    });

    await t.test('bad queries are 400 naming the field', async (t) => {
      for (const [q, field] of [
        ['sev_deg=4', 'query.sev_deg'],
        ['status=open', 'query.status'],
        ['from=2025-13-01', 'query.from'],
        ['limit=500', 'query.limit'],
        ['sort=name', 'query.sort'],
        ['cursor=xyz', 'query.cursor'],
        ['amount_min=5&amount_max=1', 'query.amount_max'],
        ['from=2025-06-02&to=2025-06-01', 'query.to'],
      ]) {
        const { status, body } = await get(app, `/v1/review/items?${q}`);
        t.equal(status, 400, q);
        t.ok(
          body.fields.some((f: Json) => f.field === field),
          `${q} names ${field}`,
        );
      }
      const first = await get(app, '/v1/review/items?limit=2&sort=amount');
      const other = await get(app, `/v1/review/items?limit=2&sort=time&cursor=${encodeURIComponent(first.body.next_cursor)}`);
      t.equal(other.status, 400, 'a cursor of another sort is refused');
    });

    const rtItems = await allPages(app, 'source=rt&rule_id=GZ10000301004000');
    const byDept = (d: string) => rtItems.filter((i) => i.department === d);
    const [a, b] = byDept('D01');
    const [c] = byDept('D02');

    await t.test('item detail: patient masked, encounter, orders marked, rule with basis and evidence', async (t) => {
      const { status, body } = await get(app, `/v1/review/items/${a.id}`);
      t.equal(status, 200);
      t.match(body.patient, { id_masked: /^33\*+28$/, id: null });
      t.match(body.encounter, { mdtrt_id: /^MZ-M/, department: 'D01', request_stored: true });
      t.same(
        body.orders.map((o: Json) => [o.rx_id, o.role]),
        [
          ['R1', 'offending'],
          ['R2', 'other'],
        ],
      );
      t.match(body.orders[0], { hilist_name: '阿帕他胺片', role_label: '违规项', sumamt: 100 });
      t.match(body.rule, { id: 'GZ10000301004000', name: '药品区分性别使用', category: '药品', basis: /两库/, in_active_rulebook: true });
      t.ok(body.rule.vola_evid, 'evidence');
      t.same(body.history, []);
      const batch = (await allPages(app, 'job_id=AJSEED1', PEOPLE.reviewer, 200))[0];
      const bd = await get(app, `/v1/review/items/${batch.id}`);
      t.equal(bd.status, 200);
      t.same(
        bd.body.orders.map((o: Json) => o.role),
        ['offending', 'involved'],
      );
      t.match(bd.body.encounter, { job: { id: 'AJSEED1', phase: '事后' } });
      t.equal((await get(app, '/v1/review/items/999999')).status, 404);
    });

    await t.test('every transition and refusal', async (t) => {
      const act = (id: number, body: Json, who: Json = PEOPLE.reviewer) => post(app, `/v1/review/items/${id}/actions`, body, who);
      // exclude needs a reason
      let r = await act(a.id, { action: 'exclude' });
      t.equal(r.status, 400);
      t.match(r.body.fields, [{ field: 'reason' }]);
      // explain before referral: 409 naming the status
      r = await act(a.id, { action: 'explain', explanation: '说明' }, PEOPLE.deptD01);
      t.equal(r.status, 409);
      t.match(r.body.error ?? r.body.message, /待审/);
      // finalize a pending item: 409
      r = await act(a.id, { action: 'finalize', decision: 'confirmed' }, PEOPLE.head);
      t.equal(r.status, 409);
      // a reviewer confirms; a second confirm is 409 naming 确认违规
      r = await act(a.id, { action: 'confirm', reason: '核实' });
      t.equal(r.status, 200);
      t.match(r.body, { item: { status: 'confirmed', status_label: '确认违规' }, event: { from_status: 'pending', to_status: 'confirmed', actor: 'user:li.reviewer', reason: '核实' } });
      r = await act(a.id, { action: 'confirm' });
      t.equal(r.status, 409);
      t.match(JSON.stringify(r.body), /确认违规/);
      // finalize: a reviewer may not (403); the head may; then nothing more
      r = await act(a.id, { action: 'finalize', decision: 'confirmed' });
      t.equal(r.status, 403);
      r = await act(a.id, { action: 'finalize', decision: 'excluded' }, PEOPLE.head);
      t.equal(r.status, 400, 'finalize as excluded needs a reason');
      r = await act(a.id, { action: 'finalize', decision: 'confirmed' }, PEOPLE.head);
      t.equal(r.status, 200);
      t.match(r.body.item, { status: 'final', final_decision: 'confirmed', final_decision_label: '维持违规' });
      r = await act(a.id, { action: 'exclude', reason: 'x' });
      t.equal(r.status, 409);
      t.match(JSON.stringify(r.body), /终审/);

      // refer with the default deadline: 10 working days after NOW (2025-06-15 is a Sunday → Fri 2025-06-27)
      r = await act(b.id, { action: 'refer' });
      t.equal(r.status, 200);
      t.match(r.body.item, { status: 'referred', deadline: '2025-06-27', overdue: false });
      // the head cannot finalize before the deadline
      r = await act(b.id, { action: 'finalize', decision: 'confirmed' }, PEOPLE.head);
      t.equal(r.status, 409);
      t.match(JSON.stringify(r.body), /期限/);
      // the reviewer may not explain; the other department does not see it; its own department explains
      r = await act(b.id, { action: 'explain', explanation: '说明' });
      t.equal(r.status, 403);
      r = await act(b.id, { action: 'explain', explanation: '说明' }, PEOPLE.deptD02);
      t.equal(r.status, 404, 'another department: not found');
      r = await act(b.id, { action: 'explain', explanation: '  ' }, PEOPLE.deptD01);
      t.equal(r.status, 400);
      r = await act(b.id, { action: 'explain', explanation: '患者为男性，HIS 性别录入错误，已更正' }, PEOPLE.deptD01);
      t.equal(r.status, 200);
      t.match(r.body.item, { status: 'explained', status_label: '科室说明' });
      // a department head cannot confirm (403)
      r = await act(c.id, { action: 'confirm' }, PEOPLE.deptD02);
      t.equal(r.status, 403);
      r = await act(b.id, { action: 'finalize', decision: 'excluded', reason: '科室说明成立' }, PEOPLE.head);
      t.equal(r.status, 200);
      t.match(r.body.item, { status: 'final', final_decision: 'excluded' });

      // refer with an explicit deadline; a past deadline is refused; the admin may finalize once it has passed
      r = await act(c.id, { action: 'refer', deadline: '2025-06-01' });
      t.equal(r.status, 400);
      t.match(r.body.fields, [{ field: 'deadline' }]);
      await app.db('review_items').where({ id: c.id }).update({ status: 'referred', deadline: '2025-06-14' });
      r = await act(c.id, { action: 'finalize', decision: 'confirmed' }, PEOPLE.admin);
      t.equal(r.status, 200, 'overdue referral may be finalized');
      // the bureau and the doctor station may not act
      const pending = (await allPages(app, 'status=pending&source=batch', PEOPLE.reviewer, 200))[0];
      t.equal((await act(pending.id, { action: 'confirm' }, PEOPLE.bureau)).status, 403);
      t.equal((await act(pending.id, { action: 'confirm' }, PEOPLE.doctorStation)).status, 403);
      // exclude with a reason
      r = await act(pending.id, { action: 'exclude', reason: '适应症符合' });
      t.equal(r.status, 200);
      t.equal(r.body.item.status, 'excluded');

      // history: who, when, what, why
      const h = await get(app, `/v1/review/items/${b.id}/history`);
      t.same(
        h.body.items.map((e: Json) => [e.action, e.from_status, e.to_status, e.actor]),
        [
          ['refer', 'pending', 'referred', 'user:li.reviewer'],
          ['explain', 'referred', 'explained', 'user:zhao.d01'],
          ['finalize', 'explained', 'final', 'user:wang.head'],
        ],
      );
      t.equal(h.body.items[1].reason, '患者为男性，HIS 性别录入错误，已更正');
      t.equal(h.body.items[0].time, NOW.toISOString());

      // every action is in the trail under the person's name
      await app.trail.flush();
      const trail = await app.db('audit_log').where('action', 'like', 'review.%').orderBy('seq').select('actor', 'action', 'ref', 'outcome');
      t.ok(trail.some((e: Json) => e.actor === 'user:zhao.d01' && e.action === 'review.explain' && e.ref === String(b.id) && e.outcome === 'ok'));
      t.ok(trail.some((e: Json) => e.actor === 'user:wang.head' && e.action === 'review.finalize' && e.ref === String(a.id)));
    });

    await t.test('department scope: lists, details, exports only their own departments', async (t) => {
      const mine = await allPages(app, '', PEOPLE.deptD02, 200);
      t.ok(mine.length > 0);
      t.ok(
        mine.every((i) => i.department === 'D02'),
        'only D02',
      );
      t.equal(mine.length, truth.filter((x) => x.department === 'D02').length + 1);
      // asking for another department's filter gives nothing, not more
      t.same((await get(app, '/v1/review/items?department=D01', PEOPLE.deptD02)).body.items, []);
      t.equal((await get(app, `/v1/review/items/${a.id}`, PEOPLE.deptD02)).status, 404);
      t.equal((await get(app, `/v1/review/items/${a.id}/history`, PEOPLE.deptD02)).status, 404);
      t.equal((await get(app, `/v1/review/items/${c.id}`, PEOPLE.deptD02)).status, 200);
      // a department caller without departments sees nothing
      t.same((await get(app, '/v1/review/items', { actor: 'x', role: 'department' })).body.items, []);
      // the doctor station may not read the queue
      t.equal((await get(app, '/v1/review/items', PEOPLE.doctorStation)).status, 403);
      t.equal((await get(app, '/v1/review/items', PEOPLE.bureau)).status, 200);
    });

    await t.test('unmasking: only head/admin, each one in the trail', async (t) => {
      t.equal((await get(app, `/v1/review/items/${a.id}?unmask=true`, PEOPLE.reviewer)).status, 403);
      t.equal((await get(app, `/v1/review/items/${a.id}?unmask=true`, PEOPLE.deptD01)).status, 403);
      const ok = await get(app, `/v1/review/items/${a.id}?unmask=true`, PEOPLE.head);
      t.equal(ok.status, 200);
      t.equal(ok.body.patient.unmask_requested, true);
      await app.trail.flush();
      const rows = await app.db('audit_log').where({ action: 'review.unmask' }).select('actor', 'ref', 'detail');
      t.equal(rows.length, 1, 'one unmasking, one trail entry');
      t.match(rows[0], { actor: 'user:wang.head', ref: String(a.id) });
      t.notMatch(rows[0].detail, /330102198003150028/, 'the trail holds no full id');
    });

    await t.test('bulk: per-item results, capped size', async (t) => {
      const pending = (await allPages(app, 'status=pending&department=D03&source=batch', PEOPLE.reviewer, 200)).slice(0, 4).map((i) => i.id);
      const done = (await allPages(app, 'status=final', PEOPLE.reviewer, 200))[0].id;
      const r = await post(app, '/v1/review/bulk', { ids: [...pending, done, 999999], action: 'refer', deadline: '2025-07-01' });
      t.equal(r.status, 200);
      t.match(r.body, { done: 4, failed: 2 });
      t.same(
        r.body.results.map((x: Json) => [x.id, x.ok]),
        [...pending.map((id) => [id, true]), [done, false], [999999, false]],
      );
      t.match(r.body.results[4].error, { code: 'PA_REVIEW_CONFLICT', statusCode: 409 });
      t.match(r.body.results[5].error, { code: 'PA_NOT_FOUND', statusCode: 404 });
      const after = await allPages(app, 'status=referred&department=D03', PEOPLE.reviewer, 200);
      t.ok(pending.every((id) => after.some((i) => i.id === id && i.deadline === '2025-07-01')));
      // a department head explains in bulk: only their own items succeed
      const d = await post(app, '/v1/review/bulk', { ids: pending.slice(0, 2), action: 'explain', explanation: '已整改' }, PEOPLE.deptD02);
      t.match(d.body, { done: 0, failed: 2 });
      // bad input refuses the whole request
      t.equal((await post(app, '/v1/review/bulk', { ids: pending, action: 'exclude' })).status, 400);
      t.equal((await post(app, '/v1/review/bulk', { ids: Array.from({ length: 501 }, (_, i) => i + 1), action: 'confirm' })).status, 400);
      t.equal((await post(app, '/v1/review/bulk', { ids: [], action: 'confirm' })).status, 400);
      await app.trail.flush();
      const entries = await app.db('audit_log').where({ action: 'review.refer' }).whereIn('ref', pending.map(String));
      t.equal(entries.length, 4, 'one trail entry per item of the bulk');
    });

    await t.test('XLSX export of a filtered view, read back with exceljs', async (t) => {
      const query = 'department=D01&sort=amount&order=desc';
      const want = await allPages(app, query, PEOPLE.reviewer, 200);
      const res = await app.inject({ method: 'GET', url: `/v1/review/export.xlsx?${query}`, headers: as(PEOPLE.reviewer) });
      t.equal(res.statusCode, 200);
      t.match(res.headers['content-type'], /spreadsheetml/);
      t.equal(res.headers['x-review-total'], String(want.length));
      t.equal(res.headers['x-review-truncated'], 'false');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('疑点清单')!;
      t.same((sheet.getRow(1).values as unknown[]).slice(1), EXPORT_HEADERS);
      const ids: number[] = [];
      const depts = new Set<unknown>();
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        ids.push(Number(row.getCell(1).value));
        depts.add(row.getCell(9).value);
      });
      t.same(
        ids,
        want.map((i) => i.id),
      );
      t.same([...depts], ['D01']);
      // limit truncates and says so
      const small = await app.inject({ method: 'GET', url: `/v1/review/export.xlsx?${query}&limit=3`, headers: as(PEOPLE.reviewer) });
      t.equal(small.headers['x-review-truncated'], 'true');
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(small.rawPayload as unknown as ArrayBuffer);
      t.equal(wb2.getWorksheet('疑点清单')!.rowCount, 4);
      // a department head's export holds only their department, whatever the filter asks
      const dep = await app.inject({ method: 'GET', url: '/v1/review/export.xlsx?department=D01,D02', headers: as(PEOPLE.deptD02) });
      const wb3 = new ExcelJS.Workbook();
      await wb3.xlsx.load(dep.rawPayload as unknown as ArrayBuffer);
      const d3 = new Set<unknown>();
      wb3.getWorksheet('疑点清单')!.eachRow((row, n) => n > 1 && d3.add(row.getCell(9).value));
      t.same([...d3], ['D02']);
    });

    await t.test('appeal packet: evidence, orders, history, explanation', async (t) => {
      const res = await app.inject({ method: 'GET', url: `/v1/review/items/${b.id}/appeal.xlsx`, headers: as(PEOPLE.deptD01) });
      t.equal(res.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      t.same(
        wb.worksheets.map((s) => s.name),
        ['疑点信息', '医嘱明细', '处理记录', '科室说明'],
      );
      const info = new Map<string, unknown>();
      wb.getWorksheet('疑点信息')!.eachRow((row) => info.set(String(row.getCell(1).value), row.getCell(2).value));
      t.equal(info.get('规则名称'), '药品区分性别使用');
      t.match(String(info.get('政策依据')), /两库/);
      t.equal(info.get('审核状态'), '终审');
      t.equal(wb.getWorksheet('医嘱明细')!.getRow(2).getCell(1).value, '违规项');
      t.equal(wb.getWorksheet('处理记录')!.rowCount, 4);
      t.equal(wb.getWorksheet('科室说明')!.getRow(2).getCell(4).value, '患者为男性，HIS 性别录入错误，已更正');
      t.equal((await app.inject({ method: 'GET', url: `/v1/review/items/${b.id}/appeal.xlsx`, headers: as(PEOPLE.deptD02) })).statusCode, 404);
    });

    await t.test('new findings reach the queue on the next read', async (t) => {
      const before = (await get(app, '/v1/review/items?with_total=true&limit=1')).body.total;
      await app.inject({ method: 'POST', url: '/nhsa/3101', payload: violation('M9', 'D04', 'DR9'), headers: as(PEOPLE.admin) });
      await app.checkStore.flush();
      const after = (await get(app, '/v1/review/items?with_total=true&limit=1')).body;
      t.equal(after.total, before + 1);
      t.match(after.items[0], { department: 'D04', status: 'pending' });
    });
  });
}
