import t from 'tap';
import iconv from 'iconv-lite';
import { genderViolation, testApp } from '../test-support/helpers.js';

const app = await testApp();
t.teardown(() => app.close());

const post = (url: string, payload: string | Buffer, type?: string) => app.inject({ method: 'POST', url, payload, headers: type ? { 'content-type': type } : {} });

t.test('non-national routes read only JSON: text/plain and form bodies are refused with 415 naming the header (#8)', async (t) => {
  const body = JSON.stringify(genderViolation().input.data);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
    const res = await post('/v1/check', body, type);
    t.equal(res.statusCode, 415, type);
    t.equal(res.json().code, 'PA_UNSUPPORTED_MEDIA_TYPE');
    t.same(res.json().fields, [{ field: 'headers.content-type', message: '应为 application/json' }]);
  }
  const rulebook = await post('/v1/rulebooks', '{"manifest":{}}', 'text/plain');
  t.equal(rulebook.statusCode, 415, 'rulebook commands too');
  t.equal((await post('/v1/check', body, 'application/json')).statusCode, 200);
});

t.test('the national routes keep reading JSON whatever type the HIS sends (#8)', async (t) => {
  const res = await post('/nhsa/3103', JSON.stringify({ infno: '3103', input: { data: { warns: [{ warn_rslt_id: 'a', dspo_way: '2' }] } } }), 'text/plain');
  t.equal(res.statusCode, 200);
  t.not(res.json().err_msg, /Content-Type/);
});

/** A GBK body whose patn_id holds a byte sequence that is not GBK (0x81 0x20: a lead byte without its trail). */
function corruptGbk(msgid: string): Buffer {
  const text = JSON.stringify(genderViolation(msgid));
  const [before, after] = text.split('330102198003150028');
  return Buffer.concat([iconv.encode(before, 'gbk'), Buffer.from([0x33, 0x81, 0x20, 0x30]), iconv.encode(after, 'gbk')]);
}

t.test('invalid GBK bytes are refused naming the body and the charset, nothing stored (#19)', async (t) => {
  const res = await post('/nhsa/3101', corruptGbk('GBK-BAD'), 'application/json; charset=GBK');
  t.equal(res.statusCode, 200);
  const reply = JSON.parse(iconv.decode(res.rawPayload, 'gbk'));
  t.equal(reply.infcode, -1);
  t.match(reply.err_msg, /body/);
  t.match(reply.err_msg, /GBK/);
  const v1 = await post('/v1/check', corruptGbk('x').subarray(0), 'application/json; charset=GB18030');
  t.equal(v1.statusCode, 400);
  t.same(
    v1.json().fields.map((f: any) => f.field),
    ['body'],
  );
  await app.checkStore.flush();
  t.equal(await app.db('checks').where({ msgid: 'GBK-BAD' }).first(), undefined, 'no check stored with a corrupted id');
});

t.test('invalid UTF-8 bytes are refused too, not replaced with U+FFFD (#19)', async (t) => {
  const text = JSON.stringify(genderViolation('UTF8-BAD'));
  const [before, after] = text.split('330102198003150028');
  const payload = Buffer.concat([Buffer.from(before), Buffer.from([0x33, 0xff, 0x30]), Buffer.from(after)]);
  const res = await post('/nhsa/3101', payload, 'application/json');
  t.equal(res.json().infcode, -1);
  t.match(res.json().err_msg, /UTF-8/);
});

t.test('invalid GBK in a SOAP body is a fault naming the body (#19)', async (t) => {
  const res = await post(
    '/soap',
    Buffer.concat([iconv.encode('<?xml version="1.0" encoding="GBK"?><a>', 'gbk'), Buffer.from([0x81, 0x20]), Buffer.from('</a>')]),
    'text/xml; charset=GBK',
  );
  t.equal(res.statusCode, 400);
  t.match(res.body, /soap:Fault/);
  t.match(res.body, /body/);
});

t.test('valid GBK, and a UTF-8 BOM, are still read', async (t) => {
  const gbk = await post('/nhsa/3101', iconv.encode(JSON.stringify(genderViolation('GBK-OK')), 'gbk'), 'application/json; charset=GBK');
  t.equal(JSON.parse(iconv.decode(gbk.rawPayload, 'gbk')).infcode, 0);
  const bom = await post('/nhsa/3101', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(genderViolation('BOM')))]), 'application/json');
  t.equal(bom.json().infcode, 0);
});
