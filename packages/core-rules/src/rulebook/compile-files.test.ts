import t from 'tap';
import { compileRulebookFiles } from './compile-files.js';
import { APALUTAMIDE } from '../evaluate/fixture.test-helper.js';

const base = {
  id: 'city-book',
  version: '1.2.0',
  issuer: '某市医保局',
  effective_from: '2025-01-01',
  knowledge: { sex: { file: 'knowledge/sex.csv' }, ages: { file: 'knowledge/ages.json' } },
};
const sexRule = { id: 'GZ10000301004000', name: '药品区分性别使用', sev_deg: '1', message: '「{point}」限{limit}使用', template: 'sex-limit', knowledge: 'sex' };
const goodFiles = {
  'knowledge/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE},男\n`,
  'knowledge/ages.json': JSON.stringify([{ name: '儿童清肺口服液', codes: ['ZA04CAE0023010100166'] }]),
};

function problems(manifest: unknown, files: Record<string, string> = goodFiles) {
  const r = compileRulebookFiles({ manifest, files });
  return r.ok ? [] : r.problems;
}

t.test('a good rulebook loads, CSV and JSON tables alike', async (t) => {
  const r = compileRulebookFiles({
    manifest: JSON.stringify({
      ...base,
      rules: [sexRule, { id: 'K1', name: '药品儿童专用', sev_deg: '2', message: '{point}', template: 'age-limit', params: { max_age: 18 }, knowledge: 'ages' }],
    }),
    files: goodFiles,
  });
  t.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  if (r.ok)
    t.same(
      r.rulebook.rules.map((x) => x.points.length),
      [1, 1],
    );
});

t.test('schema problems name the rule and the field', async (t) => {
  const p = problems({ ...base, rules: [{ ...sexRule, sev_deg: 4, colour: 'red' }] });
  t.match(p, [
    { rule_id: 'GZ10000301004000', field: 'rules[0].colour', message: 'is not a known field' },
    { rule_id: 'GZ10000301004000', field: 'rules[0].sev_deg' },
  ]);
  const missing = problems({ ...base, rules: [{ id: 'X', name: 'n', sev_deg: '1', message: 'm' }] });
  t.match(missing, [{ rule_id: 'X', message: /template \+ knowledge, or condition/ }]);
  t.match(problems({ id: 'x', rules: [] }), [{ field: 'effective_from', message: 'is required' }, { field: 'issuer' }, { field: 'version' }]);
});

t.test('knowledge problems name the file, line and column', async (t) => {
  const p = problems({ ...base, rules: [sexRule] }, { ...goodFiles, 'knowledge/sex.csv': `name,codes,sex\n阿帕他胺片,${APALUTAMIDE},男\n某药,,未知\n` });
  t.same(
    p.map((x) => [x.rule_id, x.field]),
    [
      ['GZ10000301004000', 'knowledge/sex.csv:3.codes'],
      ['GZ10000301004000', 'knowledge/sex.csv:3.sex'],
    ],
  );
  const noCol = problems({ ...base, rules: [sexRule] }, { ...goodFiles, 'knowledge/sex.csv': `name,codes\n阿帕他胺片,${APALUTAMIDE}\n` });
  t.match(noCol, [{ rule_id: 'GZ10000301004000', field: 'rules[0].knowledge', message: /lacks column\(s\) sex/ }]);
  const noFile = problems({ ...base, rules: [] }, {});
  t.match(noFile, [{ field: 'knowledge.sex.file', message: /not in the rulebook folder/ }]);
});

t.test('params, placeholders, unknown tables, duplicates and conditions are checked', async (t) => {
  const p = problems({
    ...base,
    rules: [
      { ...sexRule, message: '{point}{colour}' },
      { ...sexRule, params: { max_age: 3 } },
      { id: 'A1', name: '年龄', sev_deg: '1', message: 'm', template: 'age-limit', knowledge: 'ages', params: { max_age: 'old' } },
      { id: 'C1', name: '条件', sev_deg: '1', message: 'm', condition: { nosuchop: [1] } },
      { id: 'T1', name: '表', sev_deg: '1', message: 'm', template: 'sex-limit', knowledge: 'nope' },
    ],
  });
  const at = (id: string) => p.filter((x) => x.rule_id === id).map((x) => `${x.field}: ${x.message}`);
  t.match(at('GZ10000301004000').join('\n'), /rules\[0\]\.message: unknown placeholder \{colour\}/);
  t.match(at('GZ10000301004000').join('\n'), /rules\[1\]\.id: duplicate rule id/);
  t.match(at('GZ10000301004000').join('\n'), /rules\[1\]\.params\.max_age: is not a parameter/);
  t.match(at('A1').join('\n'), /rules\[2\]\.params\.max_age: must be a number/);
  t.match(at('C1').join('\n'), /rules\[3\]\.condition/);
  t.match(at('T1').join('\n'), /no knowledge table "nope"/);
});

t.test('a broken rulebook.json text is one clear problem, never a throw', async (t) => {
  t.match(problems('{ not json'), [{ field: 'rulebook.json', message: /not valid JSON/ }]);
});

t.test('test cases are validated with their paths', async (t) => {
  const p = problems({ ...base, rules: [sexRule] }, { ...goodFiles, 'cases/a.json': JSON.stringify([{ name: 'x', request: { patient_dtos: [{ patn_id: 'P', brdy: 'soon' }] } }]) });
  t.match(p, [{ field: 'cases/a.json[0].request.patient_dtos[0].brdy' }]);
});
