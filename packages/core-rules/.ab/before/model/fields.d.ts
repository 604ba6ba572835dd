/**
 * The national 3101/3102 input fields, declared once (DOMAIN.md, "Input `input.data`"). The
 * normaliser's kinds, the JSON Schema of the body and the HIS view contract are derived from
 * this table; the TypeScript types in request.ts are written by hand for their JSDoc, and
 * fields-agree.ts makes the build fail when they and this table part ways.
 */
/** Where a field lives in `input.data`. */
export type FieldLevel = 'data' | 'patient' | 'encounter' | 'diagnosis' | 'order' | 'operation';
/**
 * How a value is read: `string` text (numbers and booleans become text); `number` a finite
 * number (numeric strings accepted); `date` `yyyy-MM-dd[ HH:mm:ss]`; `current-flag` 1/0 in
 * their string and boolean forms (DOMAIN.md); `list` a comma-joined string or an array, kept as
 * sent; `any` kept as sent (free-form HIS data).
 */
export type FieldKind = 'string' | 'number' | 'date' | 'current-flag' | 'list' | 'any';
/** One national field. */
export interface FieldDef {
    /** National name, verbatim (snake_case). */
    readonly name: string;
    readonly level: FieldLevel;
    readonly kind: FieldKind;
    /** Official Chinese name. */
    readonly zh: string;
    /** English meaning. */
    readonly en: string;
    /** Values or format, appended to the Chinese name in the JSON Schema description (see describeField). */
    readonly note?: string;
    /** The request is refused without it. */
    readonly required?: true;
    /** A HIS view must expose it even though the interface does not require it (the adapter needs it). */
    readonly viewRequired?: true;
    /** Names or places a person: never stored or logged (the service's de-identification). */
    readonly personal?: true;
    /** Not part of the HIS view contract (it belongs to the request, not to HIS records). */
    readonly notInView?: true;
}
/** A nested list of records: `parent[name]` holds `child` records. */
export interface ListDef {
    readonly name: string;
    readonly parent: FieldLevel;
    readonly child: FieldLevel;
    readonly zh: string;
    readonly en: string;
    /** Whether the JSON Schema of the list carries its description (as published today). */
    readonly described: boolean;
}
/** Every national field of 3101/3102 `input.data`, in documentation order per level. */
export declare const NATIONAL_FIELDS: readonly [{
    readonly name: "syscode";
    readonly level: "data";
    readonly kind: "string";
    readonly zh: "调用服务系统标识";
    readonly en: "Calling system code";
    readonly notInView: true;
}, {
    readonly name: "task_id";
    readonly level: "data";
    readonly kind: "string";
    readonly zh: "任务ID";
    readonly en: "Task id, echoed in results";
    readonly notInView: true;
}, {
    readonly name: "trig_scen";
    readonly level: "data";
    readonly kind: "string";
    readonly zh: "触发场景";
    readonly en: "Trigger scene(s), comma-joined: 1–5 事前, 6–10 事中";
    readonly note: ": 1–5 事前, 6–10 事中; comma-joined allowed";
    readonly notInView: true;
}, {
    readonly name: "rule_ids";
    readonly level: "data";
    readonly kind: "list";
    readonly zh: "规则ID集合";
    readonly en: "Restrict to these rule ids (comma-joined or array)";
    readonly note: "(comma-joined or array)";
    readonly notInView: true;
}, {
    readonly name: "patn_id";
    readonly level: "patient";
    readonly kind: "string";
    readonly zh: "参保人标识";
    readonly en: "Patient id";
    readonly required: true;
}, {
    readonly name: "patn_name";
    readonly level: "patient";
    readonly kind: "string";
    readonly zh: "姓名";
    readonly en: "Name (never logged)";
    readonly note: "(never stored or logged)";
    readonly personal: true;
}, {
    readonly name: "gend";
    readonly level: "patient";
    readonly kind: "string";
    readonly zh: "性别";
    readonly en: "Sex: 1 男, 2 女, 0 未知, 9 未说明";
    readonly note: "1 男, 2 女";
}, {
    readonly name: "brdy";
    readonly level: "patient";
    readonly kind: "date";
    readonly zh: "出生日期";
    readonly en: "Birth date";
    readonly note: "yyyy-MM-dd";
}, {
    readonly name: "poolarea";
    readonly level: "patient";
    readonly kind: "string";
    readonly zh: "统筹区编码";
    readonly en: "Pooling area";
}, {
    readonly name: "curr_mdtrt_id";
    readonly level: "patient";
    readonly kind: "string";
    readonly zh: "当前就诊标识";
    readonly en: "The encounter being checked now";
    readonly notInView: true;
}, {
    readonly name: "fsi_his_data_dto";
    readonly level: "patient";
    readonly kind: "any";
    readonly zh: "HIS 数据";
    readonly en: "Free-form HIS data";
    readonly personal: true;
    readonly notInView: true;
}, {
    readonly name: "mdtrt_id";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "就诊标识";
    readonly en: "Encounter id";
    readonly required: true;
}, {
    readonly name: "medins_id";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗服务机构标识";
    readonly en: "Institution id";
}, {
    readonly name: "medins_name";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗机构名称";
    readonly en: "Institution name";
}, {
    readonly name: "medins_admdvs";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗机构行政区划编码";
    readonly en: "Institution's administrative division";
}, {
    readonly name: "medins_type";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗服务机构类型";
    readonly en: "Institution type";
}, {
    readonly name: "medins_lv";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗机构等级";
    readonly en: "Hospital level (national table 01–14)";
    readonly note: "01–14";
}, {
    readonly name: "wardarea_codg";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "病区标识";
    readonly en: "Ward area code";
}, {
    readonly name: "wardno";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "病房号";
    readonly en: "Ward number";
    readonly personal: true;
}, {
    readonly name: "bedno";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "病床号";
    readonly en: "Bed number";
    readonly personal: true;
}, {
    readonly name: "adm_date";
    readonly level: "encounter";
    readonly kind: "date";
    readonly zh: "入院日期";
    readonly en: "Admission date";
    readonly viewRequired: true;
}, {
    readonly name: "dscg_date";
    readonly level: "encounter";
    readonly kind: "date";
    readonly zh: "出院日期";
    readonly en: "Discharge date";
}, {
    readonly name: "dscg_main_dise_codg";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "主诊断编码";
    readonly en: "Main discharge diagnosis code";
}, {
    readonly name: "dscg_main_dise_name";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "主诊断名称";
    readonly en: "Main discharge diagnosis name";
}, {
    readonly name: "dr_codg";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医师标识";
    readonly en: "Attending doctor code";
}, {
    readonly name: "adm_dept_codg";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "入院科室标识";
    readonly en: "Admission department code";
}, {
    readonly name: "adm_dept_name";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "入院科室名称";
    readonly en: "Admission department name";
}, {
    readonly name: "dscg_dept_codg";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "出院科室标识";
    readonly en: "Discharge department code";
}, {
    readonly name: "dscg_dept_name";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "出院科室名称";
    readonly en: "Discharge department name";
}, {
    readonly name: "med_mdtrt_type";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "就诊类型";
    readonly en: "Visit type";
    readonly note: "1 门诊, 2 住院, 3 购药, 4 其他";
}, {
    readonly name: "med_type";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "医疗类别";
    readonly en: "Medical type";
}, {
    readonly name: "matn_stas";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "生育状态";
    readonly en: "Maternity status";
}, {
    readonly name: "medfee_sumamt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "总费用";
    readonly en: "Total medical fee";
}, {
    readonly name: "ownpay_amt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "自费金额";
    readonly en: "Own-pay amount";
}, {
    readonly name: "selfpay_amt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "自付金额";
    readonly en: "Self-pay amount";
}, {
    readonly name: "acct_payamt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "个人账户支付金额";
    readonly en: "Personal account payment";
}, {
    readonly name: "ma_amt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "医疗救助支付金额";
    readonly en: "Medical assistance payment";
}, {
    readonly name: "hifp_payamt";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "统筹金支付金额";
    readonly en: "Pooled fund payment";
}, {
    readonly name: "setl_totlnum";
    readonly level: "encounter";
    readonly kind: "number";
    readonly zh: "结算总次数";
    readonly en: "Settlement count";
}, {
    readonly name: "insutype";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "险种";
    readonly en: "Insurance type";
    readonly note: "310, 340, 390, 391, 392, 510";
}, {
    readonly name: "reim_flag";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "报销标志";
    readonly en: "Reimbursement flag";
}, {
    readonly name: "out_setl_flag";
    readonly level: "encounter";
    readonly kind: "string";
    readonly zh: "异地结算标志";
    readonly en: "Out-of-area settlement flag";
}, {
    readonly name: "dise_id";
    readonly level: "diagnosis";
    readonly kind: "string";
    readonly zh: "诊断标识";
    readonly en: "Diagnosis id";
}, {
    readonly name: "inout_dise_type";
    readonly level: "diagnosis";
    readonly kind: "string";
    readonly zh: "出入诊断类别";
    readonly en: "In/out diagnosis type (1 入院, 2 出院)";
}, {
    readonly name: "maindise_flag";
    readonly level: "diagnosis";
    readonly kind: "string";
    readonly zh: "主诊断标志";
    readonly en: "Main diagnosis flag (1 yes, 0 no)";
}, {
    readonly name: "dias_srt_no";
    readonly level: "diagnosis";
    readonly kind: "number";
    readonly zh: "诊断排序号";
    readonly en: "Diagnosis order number";
}, {
    readonly name: "dise_codg";
    readonly level: "diagnosis";
    readonly kind: "string";
    readonly zh: "诊断编码";
    readonly en: "Diagnosis code (ICD-10 national edition)";
}, {
    readonly name: "dise_name";
    readonly level: "diagnosis";
    readonly kind: "string";
    readonly zh: "诊断名称";
    readonly en: "Diagnosis name";
}, {
    readonly name: "dise_date";
    readonly level: "diagnosis";
    readonly kind: "date";
    readonly zh: "诊断日期";
    readonly en: "Diagnosis date";
}, {
    readonly name: "rx_id";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "处方(医嘱)标识";
    readonly en: "Order id, unique within the request";
    readonly required: true;
}, {
    readonly name: "rxno";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "处方号";
    readonly en: "Prescription number";
}, {
    readonly name: "grpno";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "组编号";
    readonly en: "Group number";
}, {
    readonly name: "long_drord_flag";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "是否为长期医嘱";
    readonly en: "Long-term order flag (1 long, 0 temporary)";
    readonly note: "1/0";
}, {
    readonly name: "hilist_type";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "目录类别";
    readonly en: "Catalogue type";
    readonly note: "101 西药中成药, 102 中药饮片, 201 医疗服务项目, 301 医用耗材";
}, {
    readonly name: "chrg_type";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "收费类别";
    readonly en: "Charge type";
}, {
    readonly name: "drord_bhvr";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医嘱行为";
    readonly en: "Order behaviour";
}, {
    readonly name: "hilist_code";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医保目录代码";
    readonly en: "National insurance catalogue code (the code rules match on)";
    readonly note: "(national code)";
}, {
    readonly name: "hilist_name";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医保目录名称";
    readonly en: "National catalogue name";
}, {
    readonly name: "hilist_dosform";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医保目录(药品)剂型";
    readonly en: "Dosage form";
}, {
    readonly name: "hilist_lv";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医保目录等级";
    readonly en: "Catalogue level";
    readonly note: "01 甲, 02 乙, 03 丙";
}, {
    readonly name: "hilist_pric";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "医保目录价格";
    readonly en: "Standard (catalogue) price";
}, {
    readonly name: "lv1_hosp_item_pric";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "一级医院目录价格";
    readonly en: "Catalogue price in tier-1 hospitals";
}, {
    readonly name: "lv2_hosp_item_pric";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "二级医院目录价格";
    readonly en: "Catalogue price in tier-2 hospitals";
}, {
    readonly name: "lv3_hosp_item_pric";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "三级医院目录价格";
    readonly en: "Catalogue price in tier-3 hospitals";
}, {
    readonly name: "hilist_memo";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医保目录备注";
    readonly en: "Catalogue remark";
}, {
    readonly name: "hosplist_code";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医院目录代码";
    readonly en: "The hospital's own item code";
}, {
    readonly name: "hosplist_name";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医院目录名称";
    readonly en: "The hospital's own item name";
}, {
    readonly name: "hosplist_dosform";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "医院目录(药品)剂型";
    readonly en: "The hospital's dosage form";
}, {
    readonly name: "cnt";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "数量";
    readonly en: "Quantity";
}, {
    readonly name: "pric";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "单价";
    readonly en: "Unit price charged";
}, {
    readonly name: "sumamt";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "总费用";
    readonly en: "Total amount of the line";
}, {
    readonly name: "ownpay_amt";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "自费金额";
    readonly en: "Own-pay amount";
}, {
    readonly name: "selfpay_amt";
    readonly level: "order";
    readonly kind: "number";
    readonly zh: "自付金额";
    readonly en: "Self-pay amount";
}, {
    readonly name: "spec";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "规格";
    readonly en: "Specification";
}, {
    readonly name: "spec_unt";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "数量单位";
    readonly en: "Unit of quantity";
}, {
    readonly name: "drord_begn_date";
    readonly level: "order";
    readonly kind: "date";
    readonly zh: "医嘱开始日期";
    readonly en: "Order start";
    readonly note: "yyyy-MM-dd[ HH:mm:ss]";
}, {
    readonly name: "drord_stop_date";
    readonly level: "order";
    readonly kind: "date";
    readonly zh: "医嘱停止日期";
    readonly en: "Order stop";
}, {
    readonly name: "drord_dept_codg";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "下达医嘱的科室标识";
    readonly en: "Ordering department code";
}, {
    readonly name: "drord_dept_name";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "下达医嘱科室名称";
    readonly en: "Ordering department name";
}, {
    readonly name: "drord_dr_codg";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "开处方(医嘱)医生标识";
    readonly en: "Ordering doctor code";
}, {
    readonly name: "drord_dr_name";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "开处方(医嘱)医生姓名";
    readonly en: "Ordering doctor name";
    readonly personal: true;
}, {
    readonly name: "drord_dr_profttl";
    readonly level: "order";
    readonly kind: "string";
    readonly zh: "开处方(医嘱)医职称";
    readonly en: "Ordering doctor's title";
}, {
    readonly name: "curr_drord_flag";
    readonly level: "order";
    readonly kind: "current-flag";
    readonly zh: "是否当前处方(医嘱)";
    readonly en: "Current order (1) or history (0)";
    readonly note: "1 当前, 0 历史";
}, {
    readonly name: "setl_list_oprn_id";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "手术操作ID";
    readonly en: "Operation id";
}, {
    readonly name: "oprn_code";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "手术操作代码";
    readonly en: "Operation code";
}, {
    readonly name: "oprn_name";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "手术操作名称";
    readonly en: "Operation name";
}, {
    readonly name: "main_oprn_flag";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "主手术操作标志";
    readonly en: "Main operation flag";
}, {
    readonly name: "oprn_date";
    readonly level: "operation";
    readonly kind: "date";
    readonly zh: "手术操作日期";
    readonly en: "Operation date";
}, {
    readonly name: "anst_way";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "麻醉方式";
    readonly en: "Anaesthesia method";
}, {
    readonly name: "oper_dr_name";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "术者医师姓名";
    readonly en: "Surgeon name";
    readonly personal: true;
}, {
    readonly name: "oper_dr_code";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "术者医师代码";
    readonly en: "Surgeon code";
}, {
    readonly name: "anst_dr_name";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "麻醉医师姓名";
    readonly en: "Anaesthetist name";
    readonly personal: true;
}, {
    readonly name: "anst_dr_code";
    readonly level: "operation";
    readonly kind: "string";
    readonly zh: "麻醉医师代码";
    readonly en: "Anaesthetist code";
}];
/** The nested lists of `input.data`: which level holds which records. */
export declare const NATIONAL_LISTS: readonly [{
    readonly name: "patient_dtos";
    readonly parent: "data";
    readonly child: "patient";
    readonly zh: "参保人信息";
    readonly en: "Patients";
    readonly described: true;
}, {
    readonly name: "fsi_encounter_dtos";
    readonly parent: "patient";
    readonly child: "encounter";
    readonly zh: "就诊信息";
    readonly en: "Encounters (the current one and history)";
    readonly described: false;
}, {
    readonly name: "fsi_diagnose_dtos";
    readonly parent: "encounter";
    readonly child: "diagnosis";
    readonly zh: "诊断信息";
    readonly en: "Diagnoses";
    readonly described: true;
}, {
    readonly name: "fsi_order_dtos";
    readonly parent: "encounter";
    readonly child: "order";
    readonly zh: "处方（医嘱）信息";
    readonly en: "Orders and fee lines";
    readonly described: true;
}, {
    readonly name: "fsi_operation_dtos";
    readonly parent: "encounter";
    readonly child: "operation";
    readonly zh: "手术操作信息";
    readonly en: "Operations";
    readonly described: true;
}];
/** A national field of one level, by type. */
export type NationalField = (typeof NATIONAL_FIELDS)[number];
/** The fields of one level, in table order. */
export declare function fieldsOf(level: FieldLevel): readonly FieldDef[];
/** The lists a level holds. */
export declare function listsOf(level: FieldLevel): readonly ListDef[];
/** Fields that are required at a level (the request is refused without them), with the lists that are. */
export declare function requiredAt(level: FieldLevel): string[];
/** The JSON Schema description of a field: its Chinese name and its note. */
export declare function describeField(f: FieldDef): string;
//# sourceMappingURL=fields.d.ts.map