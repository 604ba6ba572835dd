import t from 'tap';
import { example, testApp } from '../../test-support/helpers.js';

let clock = new Date('2025-06-10T02:00:00Z');
const app = await testApp({ now: () => clock });
t.teardown(() => app.close());

const check = async () => (await app.inject({ method: 'POST', url: '/nhsa/3101', payload: example('3101-outpatient-violations.json') })).json().output.result as any[];
const feedback = (warns: unknown[]) => {
  const fb = example('3103-feedback.json');
  fb.input.data.warns = warns;
  return app.inject({ method: 'POST', url: '/nhsa/3103', payload: fb });
};

t.test('compliance per rule: warnings, continued, modified, no answer, rate', async (t) => {
  const first = await check();
  const second = await check();
  const gender = (rs: any[]) => rs.find((r) => r.rule_id === 'GZ10000301004000').jr_id;
  const children = (rs: any[]) => rs.find((r) => r.rule_id === 'GZ10000301002000').jr_id;
  await feedback([
    { warn_rslt_id: gender(first), dspo_way: '2' },
    { warn_rslt_id: gender(second), dspo_way: '1', dspo_way_rea: '病情需要' },
    { warn_rslt_id: children(first), dspo_way: '2' },
  ]);
  // A later disposition of the same warning replaces the earlier one.
  await feedback([{ warn_rslt_id: children(first), dspo_way: '2' }]);
  clock = new Date('2025-07-02T02:00:00Z');
  await check(); // outside the period asked for below

  const res = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2025-06-01&to=2025-06-30' });
  t.equal(res.statusCode, 200, res.body);
  const body = res.json();
  const line = (id: string) => body.rules.find((r: any) => r.rule_id === id);
  t.same(line('GZ10000301004000'), { rule_id: 'GZ10000301004000', rule_name: '药品区分性别使用', warnings: 2, continued: 1, modified: 1, no_answer: 0, compliance_rate: 0.5 });
  t.same(line('GZ10000301002000'), { rule_id: 'GZ10000301002000', rule_name: '药品儿童专用', warnings: 2, continued: 0, modified: 1, no_answer: 1, compliance_rate: 0.5 });
  t.equal(body.total.warnings, 20, 'ten findings per check, two checks in June');
  t.equal(body.total.modified, 2);
  t.equal(body.total.continued, 1);
  t.equal(body.total.no_answer, 17);
  t.equal(body.total.compliance_rate, 0.1);

  const july = (await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2025-07-01&to=2025-07-31' })).json();
  t.equal(july.total.warnings, 10);
  t.equal(july.total.compliance_rate, 0);
});

t.test('an empty period has no lines and a null rate', async (t) => {
  const body = (await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2020-01-01&to=2020-01-31' })).json();
  t.same(body.rules, []);
  t.equal(body.total.compliance_rate, null);
});

t.test('bad dates are a 400 naming the parameter', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=last-week' });
  t.equal(res.statusCode, 400);
  t.equal(res.json().fields[0].field, 'query.from');
  const reversed = await app.inject({ method: 'GET', url: '/v1/reports/compliance?from=2025-07-01&to=2025-06-01' });
  t.equal(reversed.statusCode, 400);
});
