import t from 'tap';
import { example, genderViolation, testApp } from '../test-support/helpers.js';

// A disposition belongs to the caller whose check produced the warning (issue 10 #9).
const keys = { 'k-ward1': 'doctor-station', 'k-ward2': 'doctor-station', 'k-adm': 'admin' } as const;
const app = await testApp({ apiKeys: { ...keys }, flushIntervalMs: 60_000, feedbackLimits: { unknownPerRequest: 3, unknownMax: 5 } });
t.teardown(() => app.close());

const post = (url: string, key: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as any, headers: { authorization: `Bearer ${key}` } });
const check = async (key: string, msgid: string, hospital = 'H33010000001'): Promise<string> => {
  const req = genderViolation(msgid);
  req.fixmedins_code = hospital;
  return (await post('/nhsa/3101', key, req)).json().output.result[0].jr_id;
};
const dispose = (key: string, ids: string[], hospital?: string) => {
  const fb = example('3103-feedback.json');
  fb.input.data.warns = ids.map((id) => ({ warn_rslt_id: id, dspo_way: '2' }));
  if (hospital) fb.fixmedins_code = hospital;
  else delete fb.fixmedins_code;
  return post('/nhsa/3103', key, fb);
};

t.test('another doctor-station key cannot dispose of a warning, pending or stored', async (t) => {
  const jr = await check('k-ward1', 'OWN-1');
  const pending = (await dispose('k-ward2', [jr])).json();
  t.equal(pending.infcode, -1, 'refused while the check still waits to be written');
  t.match(pending.err_msg, 'input.data.warns[0].warn_rslt_id');
  await app.checkStore.flush();
  const stored = (await dispose('k-ward2', ['unknown-x', jr])).json();
  t.equal(stored.infcode, -1, 'refused once stored');
  t.match(stored.err_msg, 'input.data.warns[1].warn_rslt_id');
  t.equal(await app.db('feedback').whereIn('jr_id', [jr, 'unknown-x']).first(), undefined, 'nothing stored from a refused message');
  t.equal((await dispose('k-ward1', [jr])).json().infcode, 0, 'the owner may');
  t.equal((await dispose('k-adm', [jr])).json().infcode, 0, 'an admin may');
  t.equal((await app.db('feedback').where({ jr_id: jr }).first()).known, app.db.client.dialect === 'postgresql' ? true : 1);
});

t.test('the 3103 fixmedins_code must match the check’s when both name one', async (t) => {
  const jr = await check('k-ward1', 'HOSP-1', 'H33010000001');
  const other = (await dispose('k-ward1', [jr], 'H44030000009')).json();
  t.equal(other.infcode, -1);
  t.match(other.err_msg, 'warn_rslt_id');
  t.equal((await dispose('k-ward1', [jr], 'H33010000001')).json().infcode, 0);
});

t.test('CDS Hooks feedback follows the same rule, naming the card', async (t) => {
  const jr = await check('k-ward1', 'CDS-1');
  const res = await post('/cds-services/preaudit-order-sign/feedback', 'k-ward2', { feedback: [{ card: jr, outcome: 'accepted' }] });
  t.equal(res.statusCode, 400);
  t.same(
    res.json().fields.map((f: any) => f.field),
    ['feedback[0].card'],
  );
  const nul = await post('/cds-services/preaudit-order-sign/feedback', 'k-ward1', { feedback: [{ card: 'a\u0000b', outcome: 'accepted' }] });
  t.equal(nul.statusCode, 400);
  t.same(
    nul.json().fields.map((f: any) => f.field),
    ['feedback[0].card'],
  );
});

t.test('unknown ids are bounded per message and in storage; the first to dispose of one owns it', async (t) => {
  const tooMany = (await dispose('k-ward1', ['u-1', 'u-2', 'u-3', 'u-4'])).json();
  t.equal(tooMany.infcode, -1);
  t.match(tooMany.err_msg, 'input.data.warns[3].warn_rslt_id');
  const ok = (await dispose('k-ward1', ['u-1', 'u-2', 'u-3'])).json();
  t.equal(ok.infcode, 0);
  t.match(ok.warn_msg, 'u-1');
  t.equal((await app.db('feedback').where({ jr_id: 'u-1' }).first()).known, app.db.client.dialect === 'postgresql' ? false : 0);
  t.equal((await dispose('k-ward1', ['u-1'])).json().infcode, 0, 'disposing again of a known unknown adds nothing');
  const taken = (await dispose('k-ward2', ['u-2'])).json();
  t.equal(taken.infcode, -1, 'another key cannot overwrite it');
  t.equal((await dispose('k-ward2', ['u-4', 'u-5'])).json().infcode, 0, 'five stored: the cap');
  const full = (await dispose('k-ward2', ['u-6'])).json();
  t.equal(full.infcode, -1);
  t.match(full.err_msg, /上限 5/);
  t.equal(Number((await app.db('feedback').where({ known: false }).count({ n: '*' }).first())?.n), 5);
});
