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
