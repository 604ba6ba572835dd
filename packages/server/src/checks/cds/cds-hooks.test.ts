import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { FIXTURES_DIR, testApp } from '../../test-support/helpers.js';

const app = await testApp({ apiKeys: { 'doc-key': 'doctor-station' } });
t.teardown(() => app.close());
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: 'Bearer doc-key', 'content-type': 'application/json' };

/** A real HTTP client, as an EHR would call. */
async function http(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

function draft(resourceType: string, id: string, code: string, display: string, extra: Record<string, unknown> = {}) {
  const concept = {
    coding: [
      { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '99' },
      { system: 'https://www.nhsa.gov.cn/hilist', code, display },
    ],
  };
  return {
    resource: {
      resourceType,
      id,
      status: 'draft',
      ...(resourceType === 'ServiceRequest'
        ? { code: concept, occurrenceDateTime: '2025-06-10T09:00:00+08:00' }
        : { medicationCodeableConcept: concept, authoredOn: '2025-06-10T09:00:00+08:00' }),
      ...extra,
    },
  };
}

const signRequest = (hookInstance: string) => ({
  hook: 'order-sign',
  hookInstance,
  context: {
    userId: 'Practitioner/DR1',
    patientId: 'P-CDS-1',
    encounterId: 'E-CDS-1',
    draftOrders: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        draft('MedicationRequest', 'med-1', 'XL02BBA326A001010102180', '阿帕他胺片'),
        draft('ServiceRequest', 'svc-1', '002101030290000', '输精管造影'),
        draft('MedicationRequest', 'med-2', 'XN02BEA000A001010100001', '对乙酰氨基酚片'),
      ],
    },
  },
  prefetch: { patient: { resourceType: 'Patient', id: 'P-CDS-1', gender: 'female', birthDate: '1980-03-15' } },
});

t.test('discovery lists order-sign and order-select with prefetch templates', async (t) => {
  const { status, json } = await http('GET', '/cds-services');
  t.equal(status, 200);
  t.same(json.services.map((s: any) => s.hook).sort(), ['order-select', 'order-sign']);
  for (const s of json.services) {
    t.type(s.id, 'string');
    t.type(s.description, 'string');
    t.equal(s.prefetch.patient, 'Patient/{{context.patientId}}');
  }
});

t.test('every HL7 example is answered without error', async (t) => {
  const dir = path.join(FIXTURES_DIR, 'cds-hooks');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const id = f.startsWith('order-sign') ? 'preaudit-order-sign' : 'preaudit-order-select';
    const { status, json } = await http('POST', `/cds-services/${id}`, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    t.equal(status, 200, f);
    t.same(json, { cards: [] }, `${f}: no national codes, no cards`);
  }
});

t.test('order-sign with national codes answers one card per finding', async (t) => {
  const { status, json } = await http('POST', '/cds-services/preaudit-order-sign', signRequest('hi-1'));
  t.equal(status, 200);
  t.equal(json.cards.length, 2, JSON.stringify(json.cards.map((c: any) => c.summary)));
  const drug = json.cards.find((c: any) => c.summary.includes('阿帕他胺片'));
  t.ok(drug, 'drug card');
  t.equal(drug.indicator, 'critical', 'sev_deg 1 → critical');
  t.match(drug.summary, /^药品区分性别使用/);
  t.ok(drug.summary.length < 140);
  t.match(drug.detail, '限男性');
  t.type(drug.source.label, 'string');
  t.equal(drug.source.topic.code, 'GZ10000301004000');
  t.ok(drug.overrideReasons.length >= 2);
  t.same(drug.suggestions[0].actions[0], { type: 'delete', description: '撤销 阿帕他胺片', resourceId: ['MedicationRequest/med-1'] });
  const svc = json.cards.find((c: any) => c.summary.includes('输精管造影'));
  t.ok(svc, 'service item card');
  await app.checkStore.flush();
  const row = await app.db('checks').where({ task_id: 'hi-1' }).first();
  t.equal(row.channel, 'cds');
  t.equal(row.findings_count, 2);
});

t.test('order-select checks only the selections', async (t) => {
  const req: any = signRequest('hi-2');
  req.hook = 'order-select';
  req.context.selections = ['ServiceRequest/svc-1'];
  const { json } = await http('POST', '/cds-services/preaudit-order-select', req);
  t.equal(json.cards.length, 1);
  t.match(json.cards[0].summary, '输精管造影');
});

t.test('feedback: accepted → 返回修改, overridden with a reason → 继续执行', async (t) => {
  const cards = (await http('POST', '/cds-services/preaudit-order-sign', signRequest('hi-3'))).json.cards;
  const { status, json } = await http('POST', '/cds-services/preaudit-order-sign/feedback', {
    feedback: [
      { card: cards[0].uuid, outcome: 'accepted', acceptedSuggestions: [{ id: cards[0].suggestions[0].uuid }], outcomeTimestamp: '2025-06-10T09:01:00Z' },
      { card: cards[1].uuid, outcome: 'overridden', overrideReason: { reason: cards[1].overrideReasons[0], userComment: '已告知患者' }, outcomeTimestamp: '2025-06-10T09:01:00Z' },
    ],
  });
  t.equal(status, 200);
  t.same(json, { stored: 2, unknown: [] });
  const rows = await app.db('feedback').whereIn('jr_id', [cards[0].uuid, cards[1].uuid]).orderBy('dspo_way');
  t.same(
    rows.map((r: any) => [r.dspo_way, r.channel]),
    [
      ['1', 'cds'],
      ['2', 'cds'],
    ],
  );
  t.equal(rows[0].dspo_way_rea, '临床必需：已告知患者');
});

t.test('feedback overridden without a reason is refused', async (t) => {
  const { status, json } = await http('POST', '/cds-services/preaudit-order-sign/feedback', { feedback: [{ card: 'x-1', outcome: 'overridden' }] });
  t.equal(status, 400);
  t.equal(json.code, 'PA_REASON_REQUIRED');
  t.equal(json.fields[0].field, 'feedback[0].overrideReason');
});

t.test('bad hook requests are 4xx', async (t) => {
  t.equal((await http('POST', '/cds-services/nope', signRequest('x'))).status, 404);
  const wrongHook = await http('POST', '/cds-services/preaudit-order-select', signRequest('x'));
  t.equal(wrongHook.status, 400);
  t.equal(wrongHook.json.fields[0].field, 'hook');
  const noContext = await http('POST', '/cds-services/preaudit-order-sign', { hook: 'order-sign' });
  t.equal(noContext.status, 400);
  t.equal(noContext.json.fields[0].field, 'context');
  const noDrafts = await http('POST', '/cds-services/preaudit-order-sign', { context: { patientId: 'p' } });
  t.equal(noDrafts.status, 400);
  t.equal(noDrafts.json.fields[0].field, 'context.draftOrders');
  t.equal((await http('POST', '/cds-services/preaudit-order-sign/feedback', { feedback: [{ card: 'x', outcome: 'maybe' }] })).status, 400);
});

t.test('inject works the same as the real client', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/cds-services/preaudit-order-sign', headers, payload: signRequest('hi-4') });
  t.equal(res.statusCode, 200);
  t.equal(res.json().cards.length, 2);
});
