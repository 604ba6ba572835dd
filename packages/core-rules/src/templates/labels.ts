/** Chinese labels of national codes, for messages. */

/** A lookup table without a prototype: codes come from the input, and `constructor` must find nothing. */
function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** 性别 gend → label. */
export const SEX_LABEL: Record<string, string> = table({ '1': '男', '2': '女', '0': '未知', '9': '未说明' });

/** 就诊类型 med_mdtrt_type → label. */
export const VISIT_LABEL: Record<string, string> = table({ '1': '门诊', '2': '住院', '3': '购药', '4': '其他' });

/** 险种 insutype → label. */
export const INSUTYPE_LABEL: Record<string, string> = table({
  '310': '职工基本医疗保险',
  '340': '离休人员医疗保障',
  '390': '城乡居民基本医疗保险',
  '391': '城乡居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '510': '生育保险',
});

/** 医疗机构等级 medins_lv → tier (3 三级, 2 二级, 1 一级, 0 无等级). */
const HOSPITAL_TIER: Record<string, number> = table({
  '01': 3,
  '02': 3,
  '03': 3,
  '04': 3,
  '12': 3,
  '05': 2,
  '06': 2,
  '07': 2,
  '13': 2,
  '08': 1,
  '09': 1,
  '10': 1,
  '14': 1,
  '11': 0,
});

/** Tier → label. */
export const TIER_LABEL = ['无等级', '一级', '二级', '三级'];

/**
 * Tier of a medins_lv code, read only through {@link HOSPITAL_TIER}; undefined when the code is
 * not in it. No padding: "1" is not "01" (三级特等) — a HIS that drops the zero may mean a
 * tier-1 hospital, so guessing would fire the level rule on the wrong hospitals.
 */
export function tierOf(medinsLv: string | undefined): number | undefined {
  if (!medinsLv) return undefined;
  return HOSPITAL_TIER[medinsLv];
}
