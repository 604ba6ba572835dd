/**
 * 药品限二线使用 (batch 09, 110 drugs) and 药品限适应症 (batches 12–17, 510 drugs): each row a drug,
 * its codes and the catalogue limit as free text (逻辑依据). The text becomes a predicate by
 * fixed, reviewable steps (README, "药品限适应症"):
 *
 * 1. Sentences after the first that do not start with 限 (or a numbered item) are qualifiers of
 *    every indication (「支付不超过14天」「需经营养风险筛查…」) and are not alternatives.
 * 2. The rest splits into alternatives at 「；」 and numbered items (1. 2. …); a piece ending in
 *    「：」 is a heading, not an alternative.
 * 3. Each alternative must name at least one dictionary disease (indication-terms.ts) and hold no
 *    blocker phrase; its prefixes join the row's ICD-10 sets. One alternative that fails makes the
 *    whole row a reminder (kind `reminder`, sev_deg 3): a patient could meet that alternative with
 *    any diagnosis, so a mismatch proves nothing.
 * 4. Ages: 「N岁及以上」「N岁及N岁以上」「≥N岁/周岁」「N岁以上」 → min N; 「N-M岁」 → N…M;
 *    「成人/成年」 → min 18 unless the alternative also admits 儿童/青少年 or names an age. The
 *    row's bound is the loosest over its alternatives, and only when every alternative has one.
 * 5. 「住院患者方予支付」「住院方可支付」, or 「住院患者」 in every alternative → visit type 2 (住院).
 * 6. Prior drugs (二线): PRIOR below, national code prefixes (western codes carry the ATC level-4
 *    class after the X: XA10… 降糖药), reviewed per drug.
 */
import { DRUG_CODE } from './source.js';
import { readBatch } from './batch-source.js';
import type { KnowledgeTable } from './tables.js';
import { BLOCKERS, MASKS, TERMS } from './indication-terms.js';

/** Indication batches (药品限适应症) in publication order. */
const INDICATION_BATCHES = ['batch12', 'batch13', 'batch14', 'batch15', 'batch16', 'batch17'] as const;

/**
 * Required earlier drugs of 二线 limits, by point name: national code prefixes and why. An
 * earlier order (any encounter in the request or the service's history) with one of them is the
 * evidence the rule asks for, and silences the reminder; its absence only reminds, since a
 * hospital's history rarely holds every earlier prescription.
 */
const PRIOR: Readonly<Record<string, { codes: string[]; why: string }>> = {
  甲苯磺酸艾多沙班片: { codes: ['XB01AA'], why: '华法林：ATC B01AA 维生素K拮抗剂' },
  德谷门冬双胰岛素注射液: { codes: ['XA10'], why: '其他胰岛素或口服药：ATC A10 糖尿病用药' },
  依柯胰岛素注射液: { codes: ['XA10'], why: '其他胰岛素或口服药：ATC A10 糖尿病用药' },
  度拉糖肽注射液: { codes: ['XA10'], why: '二甲双胍等口服降糖药或胰岛素：ATC A10' },
  利司那肽注射液: { codes: ['XA10'], why: '二甲双胍等口服降糖药或胰岛素：ATC A10' },
  聚乙二醇洛塞那肽注射液: { codes: ['XA10'], why: '二甲双胍等口服降糖药或胰岛素：ATC A10' },
  托莱西单抗注射液: { codes: ['XC10AA'], why: '他汀类：ATC C10AA HMG-CoA 还原酶抑制剂' },
  盐酸伊立替康脂质体注射液: { codes: ['XL01BC'], why: '吉西他滨：ATC L01BC 嘧啶类似物' },
  '盐酸伊立替康脂质体注射液(Ⅱ)': { codes: ['XL01BC'], why: '吉西他滨：ATC L01BC 嘧啶类似物' },
  甲氧聚二醇重组人促红素注射液: { codes: ['XB03XA'], why: '红细胞生成刺激剂：ATC B03XA' },
  注射用罗普司亭: { codes: ['XH02AB', 'XJ06B'], why: '皮质类固醇、免疫球蛋白：ATC H02AB、J06B' },
  注射用罗普司亭N01: { codes: ['XH02AB', 'XJ06B'], why: '皮质类固醇、免疫球蛋白：ATC H02AB、J06B' },
  '棕榈帕利哌酮酯注射液(6M)': { codes: ['XN05AX'], why: '棕榈帕利哌酮酯注射液(3M)：ATC N05AX（帕利哌酮）' },
  '棕榈帕利哌酮酯注射液(3M)': { codes: ['XN05AX'], why: '棕榈酸帕利哌酮注射液(1个月剂型)：ATC N05AX（帕利哌酮）' },
};

/** Dictionary names, longest first, so a longer name claims its text before a name it contains. */
const NAMES: Array<{ name: string; def: (typeof TERMS)[number] }> = TERMS.flatMap((def) => def.terms.map((name) => ({ name, def }))).sort(
  (a, b) => b.name.length - a.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
);

/** What one alternative maps to. */
interface Alternative {
  text: string;
  terms: string[];
  prefixes: string[];
  blocker?: string;
  minAge?: number;
  maxAge?: number;
}

function ageOf(piece: string): { min?: number; max?: number } {
  const range = /(\d+)\s*[-–～~至]\s*(\d+)\s*岁/.exec(piece);
  if (range && !/以下/.test(piece.slice(range.index, range.index + range[0].length + 2))) return { min: Number(range[1]), max: Number(range[2]) };
  const min = /(?:≥\s*(\d+)\s*(?:周岁|岁))|(?:(\d+)\s*岁及(?:\d+\s*岁)?以上)|(?:(\d+)\s*岁以上)/.exec(piece);
  if (min) return { min: Number(min[1] ?? min[2] ?? min[3]) };
  if (/成人|成年/.test(piece) && !/儿童|青少年|岁|月龄|日龄/.test(piece)) return { min: 18 };
  return {};
}

function mapPiece(text: string): Alternative {
  const alt: Alternative = { text, terms: [], prefixes: [] };
  const blocker = BLOCKERS.find((b) => b.pattern.test(text));
  if (blocker) alt.blocker = blocker.why;
  const taken = new Array<boolean>(text.length).fill(false);
  for (const m of MASKS) for (let at = text.indexOf(m); at >= 0; at = text.indexOf(m, at + 1)) for (let i = at; i < at + m.length; i++) taken[i] = true;
  const fallback: Alternative = { text, terms: [], prefixes: [] };
  for (const { name, def } of NAMES) {
    const into = def.fallback ? fallback : alt;
    let at = text.indexOf(name);
    while (at >= 0) {
      let free = true;
      for (let i = at; i < at + name.length; i++)
        if (taken[i]) {
          free = false;
          break;
        }
      if (free) {
        for (let i = at; i < at + name.length; i++) taken[i] = true;
        if (!into.terms.includes(name)) into.terms.push(name);
        for (const p of def.icd) if (!into.prefixes.includes(p)) into.prefixes.push(p);
      }
      at = text.indexOf(name, at + 1);
    }
  }
  if (alt.terms.length === 0) {
    alt.terms = fallback.terms;
    alt.prefixes = fallback.prefixes;
  }
  const age = ageOf(text);
  alt.minAge = age.min;
  alt.maxAge = age.max;
  return alt;
}

/** The alternatives of a limit text (steps 1–2 above). */
export function alternatives(limit: string): Piece[] {
  const sentences = limit
    .split('。')
    .map((s) => s.trim())
    .filter(Boolean);
  const kept = sentences.filter((s, i) => i === 0 || /^(限|\d+[.．、])/.test(s));
  const pieces: Piece[] = [];
  for (const s of kept) {
    let heading = '';
    for (const part of s.split(/[；;]|(?<=[：:，,。\s])\d+[.．、](?!\d)/)) {
      const p = part
        .trim()
        .replace(/^\d+[.．、](?!\d)\s*/, '')
        .replace(/^限[：:]\s*/, '')
        .trim();
      if (!p || p === '限') continue;
      // 「…患者：1.… 2.…」: the heading says whose alternatives follow (a heading ends its part,
      // or is the text before the first colon of an unnumbered part).
      if (/[：:]$/.test(p)) {
        heading = p;
        continue;
      }
      const colon = p.search(/[：:]/);
      if (colon >= 0 && !/^\d+[.．、]/.test(part.trim())) {
        heading = p.slice(0, colon + 1);
        pieces.push({ text: p.slice(colon + 1).trim(), heading });
        continue;
      }
      pieces.push({ text: p, heading });
    }
  }
  return pieces;
}

/** An alternative's text and the heading it sits under (its terms apply when the piece names none). */
interface Piece {
  text: string;
  heading: string;
}

/** One limit text → the knowledge row's predicate columns. */
export function mapLimit(name: string, limit: string): Record<string, string> {
  const alts: Alternative[] = [];
  for (const piece of alternatives(limit)) {
    let alt = mapPiece(piece.text);
    const head = piece.heading ? mapPiece(piece.heading) : undefined;
    if (head?.blocker && !alt.blocker) alt.blocker = head.blocker;
    // A piece that names no disease inherits its heading's (「缺铁患者：…无法口服补铁时」), or,
    // when it only adds a combination partner (「与氟维司群联合用于…」), the previous alternative's.
    if (alt.terms.length === 0 && !alt.blocker) {
      const from = head && head.terms.length > 0 ? head : /^(与|联合)/.test(piece.text) ? alts[alts.length - 1] : undefined;
      if (from && from.terms.length > 0 && !from.blocker)
        alt = { ...alt, terms: [...from.terms], prefixes: [...from.prefixes], minAge: alt.minAge ?? from.minAge, maxAge: alt.maxAge ?? from.maxAge };
    }
    alts.push(alt);
  }
  const failed = alts.filter((a) => a.blocker || a.terms.length === 0);
  const prior = PRIOR[name];
  // 住院 for all: said once for the whole limit, or by every alternative (「…急性期住院患者」).
  const inpatient = /住院患者方予支付|住院方可支付|住院方予支付/.test(limit) || (alts.length > 0 && alts.every((a) => /住院患者/.test(a.text)));
  const visit = inpatient ? '2' : '';
  const common = { visit_type: visit, prior_codes: prior ? prior.codes.join('|') : '' };
  if (alts.length === 0 || failed.length > 0) {
    const why = alts.length === 0 ? '未写明适应症' : failed.map((a) => `「${a.text}」${a.blocker ?? '未含可编码的疾病名'}`).join('；');
    return {
      kind: 'reminder',
      icd_sets: '',
      terms: alts
        .filter((a) => a.terms.length)
        .map((a) => a.terms.join('、'))
        .join('；'),
      min_age: '',
      max_age: '',
      ...common,
      mapping_note: `提醒：${why}${prior ? `；既往用药：${prior.why}` : ''}`,
    };
  }
  const mins = alts.map((a) => a.minAge);
  const maxs = alts.map((a) => a.maxAge);
  const minAge = mins.every((m) => m !== undefined) ? Math.min(...mins) : undefined;
  const maxAge = maxs.every((m) => m !== undefined) ? Math.max(...maxs) : undefined;
  return {
    kind: 'diagnosis',
    icd_sets: alts.map((a) => [...a.prefixes].sort().join(',')).join(';'),
    terms: alts.map((a) => a.terms.join('、')).join('；'),
    min_age: minAge === undefined ? '' : String(minAge),
    max_age: maxAge === undefined ? '' : String(maxAge),
    ...common,
    mapping_note: `${alts.length}项适应症均按诊断判断${prior ? `；既往用药：${prior.why}` : ''}`,
  };
}

/** One 2026 batch file pair as knowledge rows (codes checked against 代码数量). */
function batchRows(dir: string, base: string, logic: string): Array<Record<string, string>> {
  return readBatch(dir, base, logic, DRUG_CODE).map((p) => ({
    name: p.name,
    codes: p.codes,
    limit_text: p.text,
    ...mapLimit(p.name, p.text),
    effective_from: p.effective_from,
    effective_to: '',
  }));
}

/** Columns of both tables: the verbatim limit beside its predicate, for the insurance office to audit. */
const INDICATION_COLUMNS = [
  'name',
  'codes',
  'limit_text',
  'kind',
  'icd_sets',
  'terms',
  'min_age',
  'max_age',
  'visit_type',
  'prior_codes',
  'mapping_note',
  'effective_from',
  'effective_to',
];

/** batch09 药品限二线使用. */
export function drugSecondLine(dir: string): KnowledgeTable {
  const base = 'batch09_drug_second_line';
  return {
    id: 'drug_second_line',
    source: `2026/${base}_rules.csv + ${base}_codes.csv; build/indication-terms.ts`,
    columns: INDICATION_COLUMNS,
    rows: batchRows(dir, base, '使用了该药品，但没有一线药品使用无效或不能耐受的证据。'),
  };
}

/** batch12–17 药品限适应症. */
export function drugIndication(dir: string): KnowledgeTable {
  const rows = INDICATION_BATCHES.flatMap((b) => batchRows(dir, `${b}_drug_indication`, '使用药品的疾病诊断不符合限定支付适应症'));
  return {
    id: 'drug_indication',
    source: `2026/batch12…17_drug_indication_rules.csv + _codes.csv; build/indication-terms.ts`,
    columns: INDICATION_COLUMNS,
    rows,
  };
}

/** The two tables, unsorted (build/tables.ts sorts and checks them). */
export function tablesIndications(dir2026: string): KnowledgeTable[] {
  return [drugSecondLine(dir2026), drugIndication(dir2026)];
}
