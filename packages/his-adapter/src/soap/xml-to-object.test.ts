import t from 'tap';
import { xmlToObject } from './xml-to-object.js';

t.test('elements named __proto__ or constructor are plain fields of the reply (issue 10 #6)', async (t) => {
  const o = xmlToObject('<r><__proto__><mdtrt_id>X</mdtrt_id></__proto__><constructor>c</constructor><constructor>d</constructor><row><a>1</a></row></r>') as any;
  t.same(Object.keys(o.r), ['__proto__', 'constructor', 'row']);
  t.same(o.r.constructor, ['c', 'd'], 'a repeated name becomes a list, not a push onto a function');
  t.equal(Object.getOwnPropertyDescriptor(o.r, '__proto__')?.value.mdtrt_id, 'X');
  t.equal(o.r.row.mdtrt_id, undefined, 'nothing inherited');
  t.equal(o.r.row.a, '1');
});

t.test('namespaces are dropped, repeats become lists, codes stay text, attributes become keys', async (t) => {
  const o = xmlToObject(
    '<?xml version="1.0" encoding="UTF-8"?><s:Response xmlns:s="urn:his" xmlns="urn:x" ver="2"><s:Code>0</s:Code><Encounters><Encounter JZID="A1"><YBBM>0012</YBBM><Order><SL>1.50</SL></Order><Order><SL>2</SL></Order></Encounter></Encounters><Empty/><Note><![CDATA[<b>&</b>]]></Note><Amp>a &amp; b</Amp></s:Response>',
  ) as any;
  t.same(Object.keys(o), ['Response']);
  const r = o.Response;
  t.equal(r.Code, '0');
  t.equal(r.ver, '2');
  t.notOk('xmlns' in r, 'namespace declarations are not fields');
  const e = r.Encounters.Encounter;
  t.equal(e.JZID, 'A1', 'an attribute is a key of its element');
  t.equal(e.YBBM, '0012', 'leading zeros kept: values are never turned into numbers');
  t.same(
    e.Order.map((x: any) => x.SL),
    ['1.50', '2'],
  );
  t.equal(r.Empty, '');
  t.equal(r.Note, '<b>&</b>');
  t.equal(r.Amp, 'a & b');
});

t.test('a child element wins over an attribute of the same name', async (t) => {
  const o = xmlToObject('<r a="attr"><a>child</a></r>') as any;
  t.equal(o.r.a, 'child');
});

t.test("malformed XML is refused with the parser's reason and line", async (t) => {
  t.throws(() => xmlToObject('<r>\n<a>1</b></r>'), /^malformed XML in the reply: Expected closing tag 'a'.*\(line 2\)$/);
  t.throws(() => xmlToObject('<r><a>1</a>'), /malformed XML in the reply/);
});
