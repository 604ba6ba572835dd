/**
 * 中药饮片配伍禁忌: the classical 十八反 and 十九畏 as a pair table. NHSA publishes no knowledge
 * points for this rule; the pairs are the classical ones, as the 中华人民共和国药典（2020年版）一部
 * repeats them in each herb's 【注意】 (「不宜与藜芦同用」, 「不宜与郁金同用」 …):
 * - 十八反: 张从正《儒门事亲》「本草明言十八反，半蒌贝蔹及攻乌，藻戟遂芫俱战草，诸参辛芍叛藜芦」;
 * - 十九畏: 刘纯《医经小学》「硫黄原是火中精，朴硝一见便相争 …」.
 * Each side names the herb and its processed or sub-species forms (法半夏 is 半夏; 川贝母, 浙贝母
 * are 贝母) matched inside order names, minus names that contain it but are another herb (白附子 is
 * not 附子, 土贝母 is not 贝母); national T-codes are attached where the vendored batch-11 files
 * list the herb (人参片, 红参, 丁香, 肉桂, 川贝母, 西洋参 …).
 */
import type { KnowledgeTable } from './tables.js';
import { vendoredHerbCodes } from './herbs-and-internet.js';

interface SideDef {
  label: string;
  names: string[];
  exclude?: string[];
}
interface PairDef {
  kind: '十八反' | '十九畏';
  a: SideDef;
  b: SideDef;
  source: string;
}

const WUTOU: SideDef = { label: '乌头', names: ['乌头', '川乌', '草乌', '附子', '附片'], exclude: ['白附子'] };
const GANCAO: SideDef = { label: '甘草', names: ['甘草'] };
const LILU: SideDef = { label: '藜芦', names: ['藜芦'] };
const RENSHEN: SideDef = { label: '人参', names: ['人参', '红参', '生晒参', '野山参', '移山参', '白糖参'] };

const FAN = '十八反（《儒门事亲》）；药典2020一部【注意】';
const WEI = '十九畏（《医经小学》）；药典2020一部【注意】';

/** The pairs, in the order of the two verses. */
const PAIRS: PairDef[] = [
  { kind: '十八反', a: WUTOU, b: { label: '半夏', names: ['半夏'] }, source: FAN },
  { kind: '十八反', a: WUTOU, b: { label: '瓜蒌', names: ['瓜蒌', '栝楼', '天花粉'] }, source: FAN },
  { kind: '十八反', a: WUTOU, b: { label: '贝母', names: ['贝母'], exclude: ['土贝母'] }, source: FAN },
  { kind: '十八反', a: WUTOU, b: { label: '白蔹', names: ['白蔹'] }, source: FAN },
  { kind: '十八反', a: WUTOU, b: { label: '白及', names: ['白及', '白芨'] }, source: FAN },
  { kind: '十八反', a: GANCAO, b: { label: '海藻', names: ['海藻'] }, source: FAN },
  { kind: '十八反', a: GANCAO, b: { label: '大戟', names: ['大戟'] }, source: FAN },
  { kind: '十八反', a: GANCAO, b: { label: '甘遂', names: ['甘遂'] }, source: FAN },
  { kind: '十八反', a: GANCAO, b: { label: '芫花', names: ['芫花'] }, source: FAN },
  { kind: '十八反', a: LILU, b: RENSHEN, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '西洋参', names: ['西洋参'] }, source: '药典2020一部 西洋参【注意】不宜与藜芦同用' },
  { kind: '十八反', a: LILU, b: { label: '党参', names: ['党参'] }, source: '药典2020一部 党参【注意】不宜与藜芦同用' },
  { kind: '十八反', a: LILU, b: { label: '沙参', names: ['沙参'] }, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '丹参', names: ['丹参'] }, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '玄参', names: ['玄参', '元参'] }, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '苦参', names: ['苦参'] }, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '细辛', names: ['细辛'] }, source: FAN },
  { kind: '十八反', a: LILU, b: { label: '芍药', names: ['芍药', '白芍', '赤芍'] }, source: FAN },
  { kind: '十九畏', a: { label: '硫黄', names: ['硫黄', '硫磺'] }, b: { label: '朴硝', names: ['朴硝', '芒硝', '玄明粉', '元明粉'] }, source: WEI },
  { kind: '十九畏', a: { label: '水银', names: ['水银'] }, b: { label: '砒霜', names: ['砒霜', '砒石', '信石'] }, source: WEI },
  { kind: '十九畏', a: { label: '狼毒', names: ['狼毒'] }, b: { label: '密陀僧', names: ['密陀僧'] }, source: WEI },
  { kind: '十九畏', a: { label: '巴豆', names: ['巴豆'] }, b: { label: '牵牛', names: ['牵牛', '黑丑', '白丑', '二丑'] }, source: WEI },
  { kind: '十九畏', a: { label: '丁香', names: ['丁香'] }, b: { label: '郁金', names: ['郁金'], exclude: ['郁金香'] }, source: WEI },
  { kind: '十九畏', a: { label: '川乌、草乌', names: ['川乌', '草乌'] }, b: { label: '犀角', names: ['犀角'] }, source: WEI },
  { kind: '十九畏', a: { label: '牙硝', names: ['牙硝', '芒硝', '玄明粉', '元明粉'] }, b: { label: '三棱', names: ['三棱'] }, source: WEI },
  { kind: '十九畏', a: { label: '官桂', names: ['官桂', '肉桂'] }, b: { label: '赤石脂', names: ['赤石脂'] }, source: WEI },
  { kind: '十九畏', a: RENSHEN, b: { label: '五灵脂', names: ['五灵脂'] }, source: WEI },
];

function inSide(side: SideDef, herb: string): boolean {
  return side.names.some((n) => herb.includes(n)) && !(side.exclude ?? []).some((x) => herb.includes(x));
}

/** The pair table, with the vendored T-codes of each side. */
export function herbIncompatibility(dir2026: string): KnowledgeTable {
  const herbs = vendoredHerbCodes(dir2026);
  const codesOf = (side: SideDef): string[] =>
    [...herbs]
      .filter(([name]) => inSide(side, name))
      .flatMap(([, c]) => c)
      .sort();
  const rows = PAIRS.map((p) => {
    const a = codesOf(p.a);
    const b = codesOf(p.b);
    const verb = p.kind === '十八反' ? '反' : '畏';
    return {
      name: `${p.a.label}${verb}${p.b.label}`,
      kind: p.kind,
      a_label: p.a.label,
      a_names: p.a.names.join('|'),
      a_exclude: (p.a.exclude ?? []).join('|'),
      a_codes: a.join('|'),
      b_label: p.b.label,
      b_names: p.b.names.join('|'),
      b_exclude: (p.b.exclude ?? []).join('|'),
      b_codes: b.join('|'),
      codes: [...a, ...b].sort().join('|'),
      source: p.source,
    };
  });
  return {
    id: 'herb_incompatibility',
    source: '十八反、十九畏（《儒门事亲》《医经小学》；中国药典2020年版一部【注意】）；T-codes from 2026/batch11_*_codes.csv',
    columns: ['name', 'kind', 'a_label', 'a_names', 'a_exclude', 'a_codes', 'b_label', 'b_names', 'b_exclude', 'b_codes', 'codes', 'source'],
    rows,
  };
}
