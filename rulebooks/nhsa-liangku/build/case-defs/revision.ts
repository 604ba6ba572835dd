/**
 * Cases for the 2026-01-28 revision of eight drug rules: a claim with a service date before the
 * revision is judged by the published point (its codes), one from that day by the revision row;
 * rows new in the revision (limit read from their text) fire from that day only; 药品限儿童使用
 * (GZ10000101007000) is a rule the revision adds, its points partly moved from 药品儿童专用.
 * The service date is the order's drord_begn_date, else the encounter's adm_date.
 */
import type { EncounterDto, OrderDto, PatientDto, RuleCase } from '@preaudit/core-rules';
import { encounter, fires, kase, order, patient, quiet, request, table } from '../case-kit.js';

const REVISION = '2026-01-28';
const BEFORE = '2026-01-27 09:00:00';
const AFTER = '2026-02-10 09:00:00';

/**
 * A code of point `name` in `id` that is listed (in force) on `date` or not, checked against the
 * built table, so a case cannot silently lose its meaning when the sources change. `which`
 * picks a code only the published point has ('removed') or only the revision row ('added').
 */
function revisedCode(id: string, name: string, which: 'removed' | 'added'): string {
  const rows = table(id).filter((r) => r.name === name);
  const old = rows.find((r) => r.effective_from === '' && r.effective_to === REVISION);
  const neu = rows.find((r) => r.effective_from === REVISION);
  if (!old || !neu) throw new Error(`${id}: "${name}" is not a point replaced by the revision`);
  const oc = old.codes.split('|');
  const nc = neu.codes.split('|');
  const pick = which === 'removed' ? oc.filter((c) => !nc.includes(c)) : nc.filter((c) => !oc.includes(c));
  // The code must not be listed by another point of the table on the other side of the date.
  const elsewhere = (c: string) => table(id).some((r) => r !== old && r !== neu && r.codes.split('|').includes(c));
  const c = pick.find((x) => !elsewhere(x));
  if (!c) throw new Error(`${id}: "${name}" has no ${which} code`);
  return c;
}

/** A code of a point the revision adds (effective_from = revision day, replacing nothing). */
function newRowCode(id: string, name: string): string {
  const row = table(id).find((r) => r.name === name && r.effective_from === REVISION && !r.revision.includes('取代'));
  if (!row) throw new Error(`${id}: "${name}" is not a row new in the revision`);
  return row.codes.split('|')[0];
}

/** A code of the revision row of `name` (whatever it replaced). */
function revisionRowCode(id: string, name: string, k = 0): string {
  const row = table(id).find((r) => r.name === name && r.effective_from === REVISION);
  if (!row) throw new Error(`${id}: "${name}" has no revision row`);
  return row.codes.split('|')[k];
}

/** A code listed both by the published point `name` of `oldId` and by its revision row in `newId`. */
function sharedCode(oldId: string, newId: string, name: string): string {
  const old = table(oldId).find((r) => r.name === name && r.effective_from === '')!;
  const neu = table(newId).find((r) => r.name === name && r.effective_from === REVISION)!;
  const c = old?.codes.split('|').find((x) => neu?.codes.split('|').includes(x));
  if (!c) throw new Error(`"${name}": no code shared by ${oldId} and ${newId}`);
  return c;
}

interface One {
  name: string;
  rule: string;
  code: string;
  item: string;
  /** Order begin; undefined = no order date (the encounter's adm_date is the service date). */
  begin: string | undefined;
  fire: boolean;
  pat?: Partial<PatientDto>;
  enc?: Partial<EncounterDto>;
  /** Other rules that must stay quiet / must fire. */
  alsoQuiet?: string[];
  alsoFires?: string[];
  orderExtra?: Partial<OrderDto>;
}

function one(c: One): RuleCase {
  const adm = (c.begin ?? c.enc?.adm_date ?? AFTER).slice(0, 10);
  const o = order('R1', c.code, c.item, c.begin ?? '', c.orderExtra);
  if (c.begin === undefined) delete o.drord_begn_date;
  const p = patient([encounter('M1', adm, [o], c.enc)], c.pat);
  const quietRules = [...(c.fire ? [] : [c.rule]), ...(c.alsoQuiet ?? [])];
  const fireRules = [...(c.fire ? [c.rule] : []), ...(c.alsoFires ?? [])];
  return kase({
    name: c.name,
    now: '2026-11-30 10:00:00',
    request: request(p),
    ...(fireRules.length ? { expect: fireRules.map((r) => fires(r, 'R1')) } : {}),
    ...(quietRules.length ? { expect_not: quietRules.map((r) => quiet(r)) } : {}),
  });
}

/** Four cases on one replaced point: its dropped code and its added code, before and after. */
function beforeAfter(rule: string, id: string, name: string, violating: Omit<One, 'name' | 'rule' | 'code' | 'item' | 'begin' | 'fire'>): RuleCase[] {
  const removed = revisedCode(id, name, 'removed');
  const added = revisedCode(id, name, 'added');
  const base = { ...violating, rule, item: name };
  return [
    one({ ...base, name: `修订前（${BEFORE.slice(0, 10)}）按原知识点：「${name}」原编码${removed}违规`, code: removed, begin: BEFORE, fire: true }),
    one({ ...base, name: `修订后（${AFTER.slice(0, 10)}）原知识点失效：「${name}」已删除的编码${removed}不再判断`, code: removed, begin: AFTER, fire: false }),
    one({ ...base, name: `修订前「${name}」新增编码${added}尚未生效`, code: added, begin: BEFORE, fire: false }),
    one({ ...base, name: `修订当日起按修订知识点：「${name}」新增编码${added}违规`, code: added, begin: `${REVISION} 00:00:00`, fire: true }),
    one({
      ...base,
      name: `无医嘱日期时按入院日期：入院${BEFORE.slice(0, 10)}，「${name}」新增编码${added}按原知识点不判断`,
      code: added,
      begin: undefined,
      enc: { ...violating.enc, adm_date: BEFORE.slice(0, 10) },
      fire: false,
    }),
  ];
}

const SEX = 'GZ10000301004000';
const CHILD_ONLY = 'GZ10000301002000';
const CHILD_PAY = 'GZ10000101007000';
const INJURY = 'GZ10000101001000';
const MATERNITY = 'GZ10000101002000';
const VISIT = 'NHSA2025-YPXJYFS';
const TIER = 'GZ10000101012000';
const DAYS = 'GZ10000101010000';

const MAN = { gend: '1' };
const WOMAN = { gend: '2' };
const ADULT = { brdy: '1980-01-01' };

/** 药品区分性别使用 */
export const revisionSex: RuleCase[] = [
  ...beforeAfter(SEX, 'drug_gender', '女金丸', { pat: MAN }),
  one({
    name: '修订新增知识点：女性患者用尼拉帕利阿比特龙片（逻辑依据：前列腺癌 → 限男性）',
    rule: SEX,
    code: newRowCode('drug_gender', '尼拉帕利阿比特龙片'),
    item: '尼拉帕利阿比特龙片',
    begin: AFTER,
    fire: true,
    pat: WOMAN,
  }),
  one({
    name: '修订新增知识点在修订前不适用：女性患者2026-01-27用尼拉帕利阿比特龙片',
    rule: SEX,
    code: newRowCode('drug_gender', '尼拉帕利阿比特龙片'),
    item: '尼拉帕利阿比特龙片',
    begin: BEFORE,
    fire: false,
    pat: WOMAN,
  }),
  one({
    name: '修订新增知识点：男性患者用氘恩扎鲁胺软胶囊，合规',
    rule: SEX,
    code: newRowCode('drug_gender', '氘恩扎鲁胺软胶囊'),
    item: '氘恩扎鲁胺软胶囊',
    begin: AFTER,
    fire: false,
    pat: MAN,
  }),
];

const BOSENTAN = revisionRowCode('drug_children_payment', '波生坦分散片');
const MIDAZOLAM = sharedCode('drug_children_only', 'drug_children_payment', '咪达唑仑口服溶液');
const EUPEI = newRowCode('drug_children_payment', '怡培生长激素注射液');
const CHLORAL = newRowCode('drug_children_payment', '水合氯醛糖浆');
const JINPEI = newRowCode('drug_children_payment', '金培生长激素注射液');

/** 药品儿童专用 */
export const revisionChildOnly: RuleCase[] = [
  ...beforeAfter(CHILD_ONLY, 'drug_children_only', '小儿七星茶颗粒', { pat: ADULT }),
  one({
    name: '修订前成人用咪达唑仑口服溶液：按药品儿童专用（第一批）判断',
    rule: CHILD_ONLY,
    code: MIDAZOLAM,
    item: '咪达唑仑口服溶液',
    begin: BEFORE,
    fire: true,
    pat: ADULT,
    alsoQuiet: [CHILD_PAY],
  }),
  one({
    name: '修订后咪达唑仑口服溶液移入药品限儿童使用，不再按药品儿童专用判断',
    rule: CHILD_ONLY,
    code: MIDAZOLAM,
    item: '咪达唑仑口服溶液',
    begin: AFTER,
    fire: false,
    pat: ADULT,
    alsoFires: [CHILD_PAY],
  }),
];

/** 药品限儿童使用 (new with the revision) */
export const childPayment: RuleCase[] = [
  one({
    name: '成人2026-02-10用波生坦分散片（限儿童，原第一批知识点移入）',
    rule: CHILD_PAY,
    code: BOSENTAN,
    item: '波生坦分散片',
    begin: AFTER,
    fire: true,
    pat: ADULT,
    alsoQuiet: [CHILD_ONLY],
  }),
  one({
    name: '2岁儿童用怡培生长激素注射液（逻辑依据：限3岁及以上儿童）',
    rule: CHILD_PAY,
    code: EUPEI,
    item: '怡培生长激素注射液',
    begin: AFTER,
    fire: true,
    pat: { brdy: '2024-01-01' },
  }),
  one({ name: '成人用水合氯醛糖浆（逻辑依据：限儿童检查、操作前的镇静）', rule: CHILD_PAY, code: CHLORAL, item: '水合氯醛糖浆', begin: AFTER, fire: true, pat: ADULT }),
  one({ name: '满18周岁当日用金培生长激素注射液：已非儿童', rule: CHILD_PAY, code: JINPEI, item: '金培生长激素注射液', begin: AFTER, fire: true, pat: { brdy: '2008-02-10' } }),
  one({ name: '规则修订前不适用：成人2026-01-27用水合氯醛糖浆', rule: CHILD_PAY, code: CHLORAL, item: '水合氯醛糖浆', begin: BEFORE, fire: false, pat: ADULT }),
  one({ name: '满3周岁当日用怡培生长激素注射液：合规', rule: CHILD_PAY, code: EUPEI, item: '怡培生长激素注射液', begin: AFTER, fire: false, pat: { brdy: '2023-02-10' } }),
  one({ name: '5岁儿童用水合氯醛糖浆：合规', rule: CHILD_PAY, code: CHLORAL, item: '水合氯醛糖浆', begin: AFTER, fire: false, pat: { brdy: '2021-01-01' } }),
  one({ name: '17岁用金培生长激素注射液：合规', rule: CHILD_PAY, code: JINPEI, item: '金培生长激素注射液', begin: AFTER, fire: false, pat: { brdy: '2008-06-01' } }),
];

/** 药品限工伤保险 (medical insurance 310 may not pay) */
export const revisionInjury: RuleCase[] = beforeAfter(INJURY, 'drug_insurance_injury', '注射用胸腺法新', { enc: { insutype: '310' } });

const CARBOPROST_NEW = revisedCode('drug_insurance_maternity', '卡前列素氨丁三醇注射液', 'added');

/** 药品限生育保险 */
export const revisionMaternity: RuleCase[] = [
  one({
    name: '修订前卡前列素氨丁三醇注射液新增编码尚未生效（职工医保）',
    rule: MATERNITY,
    code: CARBOPROST_NEW,
    item: '卡前列素氨丁三醇注射液',
    begin: BEFORE,
    fire: false,
    enc: { insutype: '310' },
  }),
  one({
    name: '修订后卡前列素氨丁三醇注射液新增编码：职工医保支付违规',
    rule: MATERNITY,
    code: CARBOPROST_NEW,
    item: '卡前列素氨丁三醇注射液',
    begin: AFTER,
    fire: true,
    enc: { insutype: '310' },
  }),
  one({
    name: '修订后卡前列素氨丁三醇注射液新增编码：生育保险支付合规',
    rule: MATERNITY,
    code: CARBOPROST_NEW,
    item: '卡前列素氨丁三醇注射液',
    begin: AFTER,
    fire: false,
    enc: { insutype: '510' },
  }),
];

/** 药品限就医方式 (outpatient = med_mdtrt_type 1 offends) */
export const revisionVisit: RuleCase[] = [
  ...beforeAfter(VISIT, 'drug_visit_type', '中/长链脂肪乳注射液(C6-24)', { enc: { med_mdtrt_type: '1' } }),
  one({
    name: '修订后门诊用银杏内酯注射液（原第五批知识点，逻辑依据：住院方可支付）',
    rule: VISIT,
    code: revisionRowCode('drug_visit_type', '银杏内酯注射液'),
    item: '银杏内酯注射液',
    begin: AFTER,
    fire: true,
    enc: { med_mdtrt_type: '1' },
  }),
  one({
    name: '修订前门诊用银杏内酯注射液：限就医方式尚无此知识点',
    rule: VISIT,
    code: revisionRowCode('drug_visit_type', '银杏内酯注射液'),
    item: '银杏内酯注射液',
    begin: BEFORE,
    fire: false,
    enc: { med_mdtrt_type: '1' },
  }),
  one({
    name: '修订后住院用银杏内酯注射液：合规',
    rule: VISIT,
    code: revisionRowCode('drug_visit_type', '银杏内酯注射液'),
    item: '银杏内酯注射液',
    begin: AFTER,
    fire: false,
    enc: { med_mdtrt_type: '2' },
  }),
];

const BUXIZHU = newRowCode('drug_hospital_tier', '布西珠单抗注射液');

/** 药品限医疗机构级别 */
export const revisionTier: RuleCase[] = [
  ...beforeAfter(TIER, 'drug_hospital_tier', '丹参注射液', { enc: { medins_lv: '08' } }),
  one({
    name: '修订新增知识点：一级医院(08)用布西珠单抗注射液（逻辑依据：二级及以上眼科专科医院）',
    rule: TIER,
    code: BUXIZHU,
    item: '布西珠单抗注射液',
    begin: AFTER,
    fire: true,
    enc: { medins_lv: '08' },
  }),
  one({ name: '修订新增知识点：二级医院(05)用布西珠单抗注射液，合规', rule: TIER, code: BUXIZHU, item: '布西珠单抗注射液', begin: AFTER, fire: false, enc: { medins_lv: '05' } }),
  one({ name: '修订前一级医院用布西珠单抗注射液：知识点尚未生效', rule: TIER, code: BUXIZHU, item: '布西珠单抗注射液', begin: BEFORE, fire: false, enc: { medins_lv: '08' } }),
];

/** 药品限支付疗程: one order covering 15 days (限14天) starting before / after the revision. */
export const revisionDays: RuleCase[] = (() => {
  const name = '吡拉西坦注射液';
  const removed = revisedCode('drug_payable_days', name, 'removed');
  const added = revisedCode('drug_payable_days', name, 'added');
  const span = (begin: string) => {
    const d = new Date(`${begin}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 14);
    return `${d.toISOString().slice(0, 10)} 09:00:00`;
  };
  const c = (title: string, code: string, begin: string, fire: boolean) =>
    one({ name: title, rule: DAYS, code, item: name, begin: `${begin} 09:00:00`, fire, orderExtra: { drord_stop_date: span(begin) } });
  return [
    c(`修订前开始的15天疗程：「${name}」原编码${removed}超14天`, removed, '2026-01-01', true),
    c(`修订后开始的15天疗程：「${name}」已删除的编码${removed}不再判断`, removed, '2026-02-01', false),
    c(`修订前开始的15天疗程：「${name}」新增编码${added}尚未生效`, added, '2026-01-01', false),
    c(`修订后开始的15天疗程：「${name}」新增编码${added}超14天`, added, '2026-02-01', true),
  ];
})();
