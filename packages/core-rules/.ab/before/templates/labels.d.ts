/** Chinese labels of national codes, for messages. */
/** 性别 gend → label. */
export declare const SEX_LABEL: Record<string, string>;
/** 就诊类型 med_mdtrt_type → label. */
export declare const VISIT_LABEL: Record<string, string>;
/** 险种 insutype → label. */
export declare const INSUTYPE_LABEL: Record<string, string>;
/** 医疗机构等级 medins_lv → tier (3 三级, 2 二级, 1 一级, 0 无等级). */
export declare const HOSPITAL_TIER: Record<string, number>;
/** Tier → label. */
export declare const TIER_LABEL: string[];
/**
 * Tier of a medins_lv code, read only through {@link HOSPITAL_TIER}; undefined when the code is
 * not in it. No padding: "1" is not "01" (三级特等) — a HIS that drops the zero may mean a
 * tier-1 hospital, so guessing would fire the level rule on the wrong hospitals.
 */
export declare function tierOf(medinsLv: string | undefined): number | undefined;
//# sourceMappingURL=labels.d.ts.map