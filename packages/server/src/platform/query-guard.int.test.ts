import t from 'tap';
import knex from 'knex';
import { genderViolation, PG_URL, testApp, uniqueName } from '../test-support/helpers.js';

// On PostgreSQL, where these values became driver errors and 500s (issue 10 #18).
const schema = uniqueName('qguard');
const app = await testApp({ databaseUrl: PG_URL, databaseSchema: schema });
t.teardown(async () => {
  await app.close();
  const db = knex({ client: 'pg', connection: PG_URL });
  await db.raw(`drop schema if exists "${schema}" cascade`);
  await db.destroy();
});

async function refused(t: any, url: string, field: string): Promise<void> {
  const res = await app.inject({ method: 'GET', url });
  t.equal(res.statusCode, 400, url);
  t.equal(res.json().code, 'PA_BAD_INPUT');
  t.ok(
    res.json().fields?.some((f: any) => f.field === field),
    `${url} names ${field}: ${JSON.stringify(res.json().fields)}`,
  );
}

t.test('a huge offset is refused naming it, not passed to PostgreSQL', async (t) => {
  await refused(t, '/v1/audit-jobs?offset=100000000000000000000', 'query.offset');
  await refused(t, '/v1/audit-jobs?offset=1e300', 'query.offset');
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit-jobs?offset=1000000000' })).statusCode, 200, 'the largest allowed offset works');
});

t.test('a NUL in a filter or an id is refused naming it', async (t) => {
  await refused(t, '/v1/audit-jobs?source=a%00b', 'query.source');
  await refused(t, '/v1/audit-jobs?state=%00', 'query.state');
  await refused(t, '/v1/audit-jobs/a%00b', 'params.id');
  await refused(t, '/v1/audit-jobs/a%00b/findings', 'params.id');
  await refused(t, '/v1/reports/departments?job_id=a%00', 'query.job_id');
  await refused(t, '/v1/reports/audit?job_id=a%00', 'query.job_id');
  await refused(t, '/v1/reports/compliance?department=a%00', 'query.department');
  await refused(t, '/v1/reports/compliance?doctor=%00', 'query.doctor');
});

t.test('an over-long filter is refused naming it', async (t) => {
  await refused(t, `/v1/reports/compliance?hospital=${'H'.repeat(257)}`, 'query.hospital');
  await refused(t, `/v1/audit-jobs?source=${'s'.repeat(5000)}`, 'query.source');
  t.equal((await app.inject({ method: 'GET', url: `/v1/reports/compliance?hospital=${'H'.repeat(256)}` })).statusCode, 200);
});

t.test('a leap-second date is refused naming the field, on /v1 and national routes', async (t) => {
  await refused(t, '/v1/reports/compliance?from=2025-06-30%2023:59:60', 'query.from');
  await refused(t, '/v1/reports/compliance?to=2025-06-30T23:59:60Z', 'query.to');
  const req = genderViolation('LEAP-1');
  req.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].drord_begn_date = '2025-06-30 23:59:60';
  const national = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: req });
  t.equal(national.statusCode, 200);
  t.equal(national.json().infcode, -1);
  t.match(national.json().err_msg, /drord_begn_date/);
  req.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].drord_begn_date = '2025-06-10 09:00:00';
  req.input.data.patient_dtos[0].fsi_encounter_dtos[0].adm_date = '2025-06-30 23:59:60';
  const v1 = await app.inject({ method: 'POST', url: '/v1/check', payload: req.input.data });
  t.equal(v1.statusCode, 400);
  t.match(JSON.stringify(v1.json().fields), /adm_date/);
});
