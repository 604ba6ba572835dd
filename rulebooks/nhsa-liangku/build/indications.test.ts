/**
 * The reading of 药品限适应症 / 药品限二线使用 limit texts (build/indications.ts): alternatives,
 * dictionary terms, blockers, masks, ages and visit type, on real texts of the 2026 batches.
 */
import t from 'tap';
import { alternatives, drugIndication, drugSecondLine, mapLimit } from './indications.js';
import { TERMS } from './indication-terms.js';
import { sourceDir2026 } from './revision.js';
import { SOURCE_DIR } from '../index.js';

const DIR_2026 = sourceDir2026(process.env.PA_LIANGKU_DIR || SOURCE_DIR);

t.test('alternatives: items and 「；」 split, qualifier sentences and headings do not count', async (t) => {
  t.same(
    alternatives('限：1.反流性食管炎；2.十二指肠溃疡；3.与适当的抗生素联用以根除幽门螺杆菌。').map((p) => p.text),
    ['反流性食管炎', '十二指肠溃疡', '与适当的抗生素联用以根除幽门螺杆菌'],
  );
  t.same(
    alternatives('限新发的急性血栓性脑梗死，支付不超过14天。').map((p) => p.text),
    ['限新发的急性血栓性脑梗死，支付不超过14天'],
  );
  t.same(alternatives('限肾功能不全的患者。需经营养风险筛查,明确具有营养风险的住院患者方予支付。').length, 1, 'the second sentence qualifies');
  const heading = alternatives('限治疗≥1周岁儿童及成人缺铁患者：口服铁剂治疗无效时；无法口服补铁时。');
  t.same(
    heading.map((p) => p.heading),
    ['限治疗≥1周岁儿童及成人缺铁患者：', '限治疗≥1周岁儿童及成人缺铁患者：'],
  );
});

t.test('a text whose every alternative names a disease is a diagnosis predicate', async (t) => {
  const r = mapLimit('x', '限：1.十二指肠溃疡；2.反流性食管炎；3.与适当的抗生素联用以根除幽门螺杆菌。');
  t.equal(r.kind, 'diagnosis');
  t.equal(r.icd_sets.split(';').length, 3);
  t.match(r.icd_sets, /^K26;K21;B968,/);
});

t.test('one alternative without a disease, or with a blocker, makes the row a reminder', async (t) => {
  t.equal(mapLimit('x', '限二线用药。').kind, 'reminder');
  t.equal(mapLimit('x', '限子宫肌瘤患者或生育保险。').kind, 'reminder');
  t.equal(mapLimit('x', '限抢救、重症或因肝硬化、癌症引起胸腹水的患者，且白蛋白低于30g/L。').kind, 'reminder');
  t.equal(mapLimit('x', '限头孢菌素耐药或重症感染患者。').kind, 'reminder');
  t.match(mapLimit('x', '限二线用药。').mapping_note, '未含可编码的疾病名');
});

t.test('重症 as a qualifier of a named disease leaves it checkable', async (t) => {
  const r = mapLimit('x', '限流感重症高危人群及重症患者的抗流感病毒治疗。');
  t.equal(r.kind, 'diagnosis');
  t.equal(r.icd_sets, 'J09,J10,J11');
});

t.test('masks: ALK is no lymphoma, 流感嗜血杆菌 no influenza; 化疗 widens only an alternative with no disease', async (t) => {
  t.equal(mapLimit('x', '限间变性淋巴瘤激酶(ALK)阳性的局部晚期或转移性非小细胞肺癌(NSCLC)患者。').icd_sets, 'C34');
  t.notMatch(mapLimit('x', '限对奈诺沙星呈现敏感的流感嗜血杆菌所致的成人(≥18岁)社区获得性肺炎。').icd_sets, 'J10');
  t.equal(mapLimit('x', '限既往接受含铂化疗治疗失败的复发或转移性宫颈癌患者。').icd_sets, 'C53,D06');
  t.match(mapLimit('x', '限放化疗。').icd_sets, /^C,Z510,Z511,Z512$/);
});

t.test('ages and visit type', async (t) => {
  t.same(pick(mapLimit('x', '限3-12岁特发性或先天性肺动脉高压患者。')), ['3', '12', '']);
  t.same(pick(mapLimit('x', '限成人2型糖尿病患者。')), ['18', '', '']);
  t.same(pick(mapLimit('x', '限法布雷病患者的长期酶替代治疗，适用于成人、儿童和青少年。')), ['', '', ''], 'children admitted');
  t.same(pick(mapLimit('x', '限：1.12岁及以上患者难治性特应性皮炎；2.类风湿关节炎成人患者。')), ['12', '', ''], 'the loosest bound');
  t.same(pick(mapLimit('x', '限：1.儿童甲(A)型血友病；2.成人甲(A)型血友病限出血时使用。')), ['', '', ''], 'one alternative without a bound');
  t.same(pick(mapLimit('x', '限有明确的肝硬化诊断证据的患者。需经营养风险筛查,且不能经饮食补充足够营养的住院患者方予支付。')), ['', '', '2']);
  t.same(pick(mapLimit('x', '限缺血性心脑血管疾病急性期住院患者，支付不超过14天。')), ['', '', '2']);
  t.same(pick(mapLimit('x', '限缺血性心脑血管疾病急性期住院患者；限耳部血流及神经障碍患者。')), ['', '', ''], '住院 for one alternative only');
});

t.test('the tables: 110 + 510 rows, every limit kept verbatim, dates from index.csv', async (t) => {
  const second = drugSecondLine(DIR_2026);
  const ind = drugIndication(DIR_2026);
  t.equal(second.rows.length, 110);
  t.equal(ind.rows.length, 510);
  t.ok(
    [...second.rows, ...ind.rows].every((r) => r.limit_text.startsWith('限') || r.limit_text.startsWith('适用于')),
    'texts as published',
  );
  t.same([...new Set(second.rows.map((r) => r.effective_from))], ['2026-04-21']);
  t.same([...new Set(ind.rows.map((r) => r.effective_from))].sort(), ['2026-05-23', '2026-06-01', '2026-06-09', '2026-06-16', '2026-06-22', '2026-06-29']);
  t.ok(
    [...second.rows, ...ind.rows].every((r) => (r.kind === 'diagnosis') === (r.icd_sets !== '')),
    'a diagnosis row has sets, a reminder none',
  );
});

t.test('the dictionary: every prefix is an ICD-10 code prefix, every entry says where it comes from', async (t) => {
  for (const d of TERMS) {
    t.ok(
      d.icd.every((p) => /^[A-Z][0-9A-Z]{0,4}$/.test(p)),
      d.terms[0],
    );
    t.ok(d.source.length > 3, `${d.terms[0]} has a source`);
  }
  const names = TERMS.flatMap((d) => d.terms);
  t.equal(new Set(names).size, names.length, 'no name in two entries');
});

function pick(r: Record<string, string>): string[] {
  return [r.min_age, r.max_age, r.visit_type];
}
