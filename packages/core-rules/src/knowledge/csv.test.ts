import t from 'tap';
import { CsvSyntaxError, parseCsv, parseCsvObjects, parseCsvRecords } from './csv.js';

t.test('quoted fields, doubled quotes, line breaks, a BOM and every line end', async (t) => {
  t.same(parseCsv('\ufeffname,codes\r\n"参麦注射液，""限""",A|B\r\n'), [
    ['name', 'codes'],
    ['参麦注射液，"限"', 'A|B'],
  ]);
  t.same(parseCsv('a\rb\nc\r\nd'), [['a'], ['b'], ['c'], ['d']]);
  t.same(parseCsv('a,"x\ny"\n'), [['a', 'x\ny']]);
  t.same(parseCsv(''), []);
});

t.test('each record knows the line it starts on, after a quoted line break too', async (t) => {
  const records = parseCsvRecords('h1,h2\n1,"two\nlines"\n\n3,4\n');
  t.same(
    records.map((r) => r.line),
    [1, 2, 4, 5],
  );
  t.same(records[2].fields, [''], 'an empty line is a record of one empty field');
});

t.test('a quote inside an unquoted field is a character, unless quotes are strict', async (t) => {
  t.same(parseCsv('a,b"c\n'), [['a', 'b"c']]);
  t.throws(() => parseCsvRecords('a,b"c\n', { strictQuotes: true }), { name: 'CsvSyntaxError', message: /quote inside an unquoted field \(line 1\)/ });
});

t.test('an unterminated quote is an error naming the line', async (t) => {
  const err = (() => {
    try {
      parseCsv('a,b\n1,"never closed\n');
    } catch (e) {
      return e;
    }
  })();
  t.type(err, CsvSyntaxError);
  t.match((err as Error).message, /^unterminated quoted field/);
  t.ok((err as CsvSyntaxError).line >= 2, `line ${(err as CsvSyntaxError).line}`);
});

t.test('objects by trimmed header, empty rows dropped, missing cells empty', async (t) => {
  t.same(parseCsvObjects(' name ,codes,sex\n阿帕他胺片, X1 ,1\n,,\n短行\n'), [
    { line: 2, row: { name: '阿帕他胺片', codes: 'X1', sex: '1' } },
    { line: 4, row: { name: '短行', codes: '', sex: '' } },
  ]);
});
