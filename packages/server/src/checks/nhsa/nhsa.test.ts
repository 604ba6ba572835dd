import t from 'tap';
import iconv from 'iconv-lite';
import { example, genderViolation, testApp, NATIONAL_VERSION } from '../../test-support/helpers.js';

const app = await testApp();
t.teardown(() => app.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as any, headers });

t.test('3101 with the outpatient example answers the national reply with its ten findings', async (t) => {
  const res = await post('/nhsa/3101', example('3101-outpatient-violations.json'));
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.infcode, 0);
  t.equal(body.err_msg, '');
  t.equal(body.warn_msg, '');
  const rules = body.output.result.map((r: any) => `${r.rule_id}:${r.judge_result_detail_dtos.find((d: any) => d.vola_item_type === '1')?.rx_id}`).sort();
  t.equal(body.output.result.length, 10, rules.join(' '));
  t.ok(rules.includes('GZ10000301004000:RX01'), '药品区分性别使用 on RX01');
  t.ok(rules.includes('GZ10000102012000:RX11'), '医疗服务项目重复收费 on RX11');
  const ids = body.output.result.map((r: any) => r.jr_id);
  t.equal(new Set(ids).size, ids.length, 'jr_id unique within the reply');
  for (const r of body.output.result) t.equal(r.task_id, 'TASK-3101-0001');
});

t.test('jr_id is unique across checks (feedback keys on it)', async (t) => {
  const a = (await post('/nhsa/3101', genderViolation('A'))).json().output.result[0].jr_id;
  const b = (await post('/nhsa/3101', genderViolation('B'))).json().output.result[0].jr_id;
  t.type(a, 'string');
  t.not(a, b);
});

t.test('3102 with the inpatient example gives its six findings', async (t) => {
  const body = (await post('/nhsa/3102', example('3102-inpatient-stay.json'))).json();
  t.equal(body.infcode, 0);
  t.equal(body.output.result.length, 6);
});

t.test('legacy 3660 with camelCase keys and string numbers is accepted', async (t) => {
  const body = (await post('/nhsa/3101', example('3660-legacy-camelcase.json'))).json();
  t.equal(body.infcode, 0, body.err_msg);
  t.same(
    body.output.result.map((r: any) => r.rule_id),
    ['GZ10000301004000'],
  );
});

t.test('POST /nhsa dispatches on infno', async (t) => {
  const body = (await post('/nhsa', example('3102-inpatient-stay.json'))).json();
  t.equal(body.infcode, 0);
  t.equal(body.output.result.length, 6);
});

t.test('rule_ids restricts the rules evaluated', async (t) => {
  const req = example('3101-outpatient-violations.json');
  req.input.data.rule_ids = 'GZ10000301004000,GZ10000302004000';
  const body = (await post('/nhsa/3101', req)).json();
  t.same(body.output.result.map((r: any) => r.rule_id).sort(), ['GZ10000301004000', 'GZ10000302004000']);
});

t.test('a clean request answers infcode 0 and no result', async (t) => {
  const req = genderViolation();
  req.input.data.patient_dtos[0].gend = '1';
  const body = (await post('/nhsa/3101', req)).json();
  t.same(body, { infcode: 0, err_msg: '', warn_msg: '', output: { result: [] } });
});

t.test('a medins_lv outside the national table never fires the level rule; warn_msg names the field once', async (t) => {
  const req = genderViolation();
  const enc = req.input.data.patient_dtos[0].fsi_encounter_dtos[0];
  // 参附注射液 (限二级及以上医疗机构) in two entries of one visit, at a level the table does not know ("1" is not "01").
  enc.medins_lv = '1';
  enc.fsi_order_dtos = [{ rx_id: 'R1', hilist_code: 'ZA05CAC0029010102312', hilist_name: '参附注射液', cnt: 1, pric: 50, drord_begn_date: '2025-06-01 09:00:00', curr_drord_flag: 1 }];
  req.input.data.patient_dtos[0].fsi_encounter_dtos.push({ ...enc, fsi_order_dtos: [{ ...enc.fsi_order_dtos[0], rx_id: 'R2' }] });
  const body = (await post('/nhsa/3101', req)).json();
  t.equal(body.infcode, 0, body.err_msg);
  t.same(
    body.output.result.filter((r: any) => r.rule_id === 'GZ10000101012000'),
    [],
    'no level finding',
  );
  t.equal(body.warn_msg.split('medins_lv').length - 1, 1, body.warn_msg);
  t.match(body.warn_msg, 'patient_dtos[0].fsi_encounter_dtos[0].medins_lv');
  enc.medins_lv = '08';
  req.input.data.patient_dtos[0].fsi_encounter_dtos.pop();
  const known = (await post('/nhsa/3101', req)).json();
  t.equal(known.warn_msg, '', 'a level in the table: no warning');
  t.same(
    known.output.result.map((r: any) => r.rule_id),
    ['GZ10000101012000'],
    '一级甲等 fires the level rule',
  );
});

t.test('3103 stores each disposition against its jr_id', async (t) => {
  const first = (await post('/nhsa/3101', example('3101-outpatient-violations.json'))).json().output.result;
  const fb = example('3103-feedback.json');
  fb.input.data.warns[0].warn_rslt_id = first[0].jr_id;
  fb.input.data.warns[1].warn_rslt_id = first[1].jr_id;
  const res = await post('/nhsa/3103', fb);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { infcode: 0, err_msg: '', warn_msg: '', output: { result: [] } });
  const rows = await app.db('feedback').whereIn('jr_id', [first[0].jr_id, first[1].jr_id]).orderBy('dspo_way');
  t.equal(rows.length, 2);
  t.equal(rows[0].dspo_way, '1');
  t.match(rows[0].dspo_way_rea, /知情同意/);
  t.equal(rows[1].dspo_way, '2');
});

t.test('3103 with dspo_way 1 and no reason is refused and stores nothing', async (t) => {
  const fb = example('3103-feedback.json');
  fb.input.data.warns[0].warn_rslt_id = 'NO-REASON-1';
  delete fb.input.data.warns[0].dspo_way_rea;
  const res = await post('/nhsa/3103', fb);
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.infcode, -1);
  t.match(body.err_msg, 'input.data.warns[0].dspo_way_rea');
  t.equal(res.headers['x-pa-error'], 'PA_REASON_REQUIRED');
  t.equal((await app.db('feedback').where({ jr_id: 'NO-REASON-1' })).length, 0);
});

t.test('3103 for an unknown warning is stored with a warning', async (t) => {
  const fb = example('3103-feedback.json');
  fb.input.data.warns = [{ warn_rslt_id: 'UNKNOWN-JR', dspo_way: '2' }];
  const body = (await post('/nhsa/3103', fb)).json();
  t.equal(body.infcode, 0);
  t.match(body.warn_msg, 'UNKNOWN-JR');
});

t.test('3103 with a bad dspo_way names the field', async (t) => {
  const fb = example('3103-feedback.json');
  fb.input.data.warns[1].dspo_way = '7';
  const body = (await post('/nhsa/3103', fb)).json();
  t.equal(body.infcode, -1);
  t.match(body.err_msg, 'input.data.warns[1].dspo_way');
});

t.test('bad input: national error reply naming the field, never a 5xx, the process stays up', async (t) => {
  const cases: Array<[string, string, unknown, RegExp, Record<string, string>?]> = [
    ['malformed JSON', '/nhsa/3101', '{"infno": "3101", "input": {', /JSON/, { 'content-type': 'application/json' }],
    ['empty body', '/nhsa/3101', '', /JSON/, { 'content-type': 'application/json' }],
    ['missing infno', '/nhsa/3101', { input: { data: {} } }, /infno/],
    ['unknown infno', '/nhsa', { infno: '9999', input: { data: {} } }, /infno=9999/],
    ['infno of another route', '/nhsa/3101', { infno: '3102', input: { data: { patient_dtos: [] } } }, /infno/],
    ['missing input', '/nhsa/3101', { infno: '3101' }, /input/],
    ['missing input.data', '/nhsa/3101', { infno: '3101', input: {} }, /input\.data/],
    ['missing patient_dtos', '/nhsa/3101', { infno: '3101', input: { data: { task_id: 'x' } } }, /input\.data\.patient_dtos/],
    ['array body', '/nhsa/3101', [1, 2], /body|infno/],
    [
      'wrong type deep down',
      '/nhsa/3101',
      (() => {
        const r = genderViolation();
        r.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].cnt = 'abc';
        return r;
      })(),
      /input\.data\.patient_dtos\[0\]\.fsi_encounter_dtos\[0\]\.fsi_order_dtos\[0\]\.cnt/,
    ],
    [
      'object where a string belongs',
      '/nhsa/3101',
      (() => {
        const r = genderViolation();
        r.input.data.patient_dtos[0].gend = { x: 1 };
        return r;
      })(),
      /patient_dtos\[0\]\.gend/,
    ],
    [
      'missing rx_id',
      '/nhsa/3101',
      (() => {
        const r = genderViolation();
        delete r.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].rx_id;
        return r;
      })(),
      /fsi_order_dtos\[0\]\.rx_id/,
    ],
    [
      'curr_drord_flag neither 1 nor 0',
      '/nhsa/3101',
      (() => {
        const r = genderViolation();
        r.input.data.patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[0].curr_drord_flag = 'Y';
        return r;
      })(),
      /input\.data\.patient_dtos\[0\]\.fsi_encounter_dtos\[0\]\.fsi_order_dtos\[0\]\.curr_drord_flag/,
    ],
    [
      'bad date',
      '/nhsa/3101',
      (() => {
        const r = genderViolation();
        r.input.data.patient_dtos[0].brdy = '1980-13-45';
        return r;
      })(),
      /patient_dtos\[0\]\.brdy/,
    ],
  ];
  for (const [name, url, payload, field, headers] of cases) {
    const res = await post(url, typeof payload === 'string' ? payload : JSON.stringify(payload), { 'content-type': 'application/json', ...headers });
    t.equal(res.statusCode, 200, `${name}: HTTP 200 with infcode -1`);
    const body = res.json();
    t.equal(body.infcode, -1, name);
    t.match(body.err_msg, field, `${name}: ${body.err_msg}`);
    t.same(body.output, { result: [] }, name);
  }
  const ok = (await post('/nhsa/3101', genderViolation())).json();
  t.equal(ok.infcode, 0, 'still serving');
});

t.test('a body over the limit is 413 with a national reply', async (t) => {
  const small = await testApp({ bodyLimit: 2048 });
  t.teardown(() => small.close());
  const req = genderViolation();
  req.input.data.patient_dtos[0].fsi_his_data_dto = 'x'.repeat(4096);
  const res = await small.inject({ method: 'POST', url: '/nhsa/3101', payload: req });
  t.equal(res.statusCode, 413);
  t.equal(res.json().infcode, -1);
  t.equal(res.headers['x-pa-error'], 'PA_BODY_TOO_LARGE');
});

t.test('a GBK body is decoded, and the reply comes back in GBK', async (t) => {
  const req = genderViolation();
  const payload = iconv.encode(JSON.stringify(req), 'gbk');
  t.not(payload.toString('utf8'), JSON.stringify(req), 'the bytes are not UTF-8');
  const res = await post('/nhsa/3101', payload, { 'content-type': 'application/json; charset=GBK' });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /charset=GBK/i);
  const body = JSON.parse(iconv.decode(res.rawPayload, 'gbk'));
  t.equal(body.infcode, 0);
  t.equal(body.output.result[0].rule_name, '药品区分性别使用');
  t.match(body.output.result[0].vola_cont, '阿帕他胺片');
});

t.test('an unknown charset is refused with 415', async (t) => {
  const res = await post('/nhsa/3101', Buffer.from(JSON.stringify(genderViolation())), { 'content-type': 'application/json; charset=x-klingon' });
  t.equal(res.statusCode, 415);
  t.equal(res.json().infcode, -1);
});

t.test('a JSON body sent with the wrong content type is still read as JSON', async (t) => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
    const res = await app.inject({ method: 'POST', url: '/nhsa/3101', payload: Buffer.from(JSON.stringify(genderViolation())), headers: { 'content-type': type } });
    t.equal(res.json().infcode, 0, type);
  }
});

t.test('records: every check stored with masked patient id, no name anywhere', async (t) => {
  await post('/nhsa/3101', genderViolation('REC-1'));
  await app.checkStore.flush();
  const row = await app.db('checks').where({ msgid: 'REC-1' }).first();
  t.ok(row);
  t.equal(row.patient, '33**************28');
  t.equal(row.infno, '3101');
  t.equal(row.hospital, 'H33010000001');
  t.equal(row.department, 'D01');
  t.equal(row.doctor, 'DR01');
  t.equal(row.task_id, 'T-GENDER');
  t.equal(row.scene, '2');
  t.equal(row.rulebook, `nhsa-liangku@${NATIONAL_VERSION}`);
  t.ok(row.ana_dura >= 0);
  const findings = JSON.parse(row.findings);
  t.equal(findings.length, 1);
  t.equal(findings[0].patn_id, '33**************28');
  const f = await app.db('findings').where({ check_id: row.check_id }).first();
  t.equal(f.rule_id, 'GZ10000301004000');
  t.equal(f.rx_id, 'R1');
  t.equal(f.hilist_code, 'XL02BBA326A001010102180');
  for (const table of ['checks', 'findings', 'feedback', 'audit_log']) {
    const dump = JSON.stringify(await app.db(table).select());
    t.notMatch(dump, '张某某', `${table} holds no patient name`);
    t.notMatch(dump, '330102198003150028', `${table} holds no full patient id`);
  }
});
