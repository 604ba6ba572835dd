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
export const NATIONAL_FIELDS = [
  // input.data
  { name: 'syscode', level: 'data', kind: 'string', zh: '调用服务系统标识', en: 'Calling system code', notInView: true },
  { name: 'task_id', level: 'data', kind: 'string', zh: '任务ID', en: 'Task id, echoed in results', notInView: true },
  {
    name: 'trig_scen',
    level: 'data',
    kind: 'string',
    zh: '触发场景',
    en: 'Trigger scene(s), comma-joined: 1–5 事前, 6–10 事中',
    note: ': 1–5 事前, 6–10 事中; comma-joined allowed',
    notInView: true,
  },
  { name: 'rule_ids', level: 'data', kind: 'list', zh: '规则ID集合', en: 'Restrict to these rule ids (comma-joined or array)', note: '(comma-joined or array)', notInView: true },
  // 参保人信息
  { name: 'patn_id', level: 'patient', kind: 'string', zh: '参保人标识', en: 'Patient id', required: true },
  { name: 'patn_name', level: 'patient', kind: 'string', zh: '姓名', en: 'Name (never logged)', note: '(never stored or logged)', personal: true },
  { name: 'gend', level: 'patient', kind: 'string', zh: '性别', en: 'Sex: 1 男, 2 女, 0 未知, 9 未说明', note: '1 男, 2 女' },
  { name: 'brdy', level: 'patient', kind: 'date', zh: '出生日期', en: 'Birth date', note: 'yyyy-MM-dd' },
  { name: 'poolarea', level: 'patient', kind: 'string', zh: '统筹区编码', en: 'Pooling area' },
  { name: 'curr_mdtrt_id', level: 'patient', kind: 'string', zh: '当前就诊标识', en: 'The encounter being checked now', notInView: true },
  { name: 'fsi_his_data_dto', level: 'patient', kind: 'any', zh: 'HIS 数据', en: 'Free-form HIS data', personal: true, notInView: true },
  // 就诊信息
  { name: 'mdtrt_id', level: 'encounter', kind: 'string', zh: '就诊标识', en: 'Encounter id', required: true },
  { name: 'medins_id', level: 'encounter', kind: 'string', zh: '医疗服务机构标识', en: 'Institution id' },
  { name: 'medins_name', level: 'encounter', kind: 'string', zh: '医疗机构名称', en: 'Institution name' },
  { name: 'medins_admdvs', level: 'encounter', kind: 'string', zh: '医疗机构行政区划编码', en: "Institution's administrative division" },
  { name: 'medins_type', level: 'encounter', kind: 'string', zh: '医疗服务机构类型', en: 'Institution type' },
  { name: 'medins_lv', level: 'encounter', kind: 'string', zh: '医疗机构等级', en: 'Hospital level (national table 01–14)', note: '01–14' },
  { name: 'wardarea_codg', level: 'encounter', kind: 'string', zh: '病区标识', en: 'Ward area code' },
  { name: 'wardno', level: 'encounter', kind: 'string', zh: '病房号', en: 'Ward number', personal: true },
  { name: 'bedno', level: 'encounter', kind: 'string', zh: '病床号', en: 'Bed number', personal: true },
  { name: 'adm_date', level: 'encounter', kind: 'date', zh: '入院日期', en: 'Admission date', viewRequired: true },
  { name: 'dscg_date', level: 'encounter', kind: 'date', zh: '出院日期', en: 'Discharge date' },
  { name: 'dscg_main_dise_codg', level: 'encounter', kind: 'string', zh: '主诊断编码', en: 'Main discharge diagnosis code' },
  { name: 'dscg_main_dise_name', level: 'encounter', kind: 'string', zh: '主诊断名称', en: 'Main discharge diagnosis name' },
  { name: 'dr_codg', level: 'encounter', kind: 'string', zh: '医师标识', en: 'Attending doctor code' },
  { name: 'adm_dept_codg', level: 'encounter', kind: 'string', zh: '入院科室标识', en: 'Admission department code' },
  { name: 'adm_dept_name', level: 'encounter', kind: 'string', zh: '入院科室名称', en: 'Admission department name' },
  { name: 'dscg_dept_codg', level: 'encounter', kind: 'string', zh: '出院科室标识', en: 'Discharge department code' },
  { name: 'dscg_dept_name', level: 'encounter', kind: 'string', zh: '出院科室名称', en: 'Discharge department name' },
  { name: 'med_mdtrt_type', level: 'encounter', kind: 'string', zh: '就诊类型', en: 'Visit type', note: '1 门诊, 2 住院, 3 购药, 4 其他' },
  { name: 'med_type', level: 'encounter', kind: 'string', zh: '医疗类别', en: 'Medical type' },
  { name: 'matn_stas', level: 'encounter', kind: 'string', zh: '生育状态', en: 'Maternity status' },
  { name: 'medfee_sumamt', level: 'encounter', kind: 'number', zh: '总费用', en: 'Total medical fee' },
  { name: 'ownpay_amt', level: 'encounter', kind: 'number', zh: '自费金额', en: 'Own-pay amount' },
  { name: 'selfpay_amt', level: 'encounter', kind: 'number', zh: '自付金额', en: 'Self-pay amount' },
  { name: 'acct_payamt', level: 'encounter', kind: 'number', zh: '个人账户支付金额', en: 'Personal account payment' },
  { name: 'ma_amt', level: 'encounter', kind: 'number', zh: '医疗救助支付金额', en: 'Medical assistance payment' },
  { name: 'hifp_payamt', level: 'encounter', kind: 'number', zh: '统筹金支付金额', en: 'Pooled fund payment' },
  { name: 'setl_totlnum', level: 'encounter', kind: 'number', zh: '结算总次数', en: 'Settlement count' },
  { name: 'insutype', level: 'encounter', kind: 'string', zh: '险种', en: 'Insurance type', note: '310, 340, 390, 391, 392, 510' },
  { name: 'reim_flag', level: 'encounter', kind: 'string', zh: '报销标志', en: 'Reimbursement flag' },
  { name: 'out_setl_flag', level: 'encounter', kind: 'string', zh: '异地结算标志', en: 'Out-of-area settlement flag' },
  // 诊断信息
  { name: 'dise_id', level: 'diagnosis', kind: 'string', zh: '诊断标识', en: 'Diagnosis id' },
  { name: 'inout_dise_type', level: 'diagnosis', kind: 'string', zh: '出入诊断类别', en: 'In/out diagnosis type (1 入院, 2 出院)' },
  { name: 'maindise_flag', level: 'diagnosis', kind: 'string', zh: '主诊断标志', en: 'Main diagnosis flag (1 yes, 0 no)' },
  { name: 'dias_srt_no', level: 'diagnosis', kind: 'number', zh: '诊断排序号', en: 'Diagnosis order number' },
  { name: 'dise_codg', level: 'diagnosis', kind: 'string', zh: '诊断编码', en: 'Diagnosis code (ICD-10 national edition)' },
  { name: 'dise_name', level: 'diagnosis', kind: 'string', zh: '诊断名称', en: 'Diagnosis name' },
  { name: 'dise_date', level: 'diagnosis', kind: 'date', zh: '诊断日期', en: 'Diagnosis date' },
  // 处方（医嘱）信息
  { name: 'rx_id', level: 'order', kind: 'string', zh: '处方(医嘱)标识', en: 'Order id, unique within the request', required: true },
  { name: 'rxno', level: 'order', kind: 'string', zh: '处方号', en: 'Prescription number' },
  { name: 'grpno', level: 'order', kind: 'string', zh: '组编号', en: 'Group number' },
  { name: 'long_drord_flag', level: 'order', kind: 'string', zh: '是否为长期医嘱', en: 'Long-term order flag (1 long, 0 temporary)', note: '1/0' },
  { name: 'hilist_type', level: 'order', kind: 'string', zh: '目录类别', en: 'Catalogue type', note: '101 西药中成药, 102 中药饮片, 201 医疗服务项目, 301 医用耗材' },
  { name: 'chrg_type', level: 'order', kind: 'string', zh: '收费类别', en: 'Charge type' },
  { name: 'drord_bhvr', level: 'order', kind: 'string', zh: '医嘱行为', en: 'Order behaviour' },
  { name: 'hilist_code', level: 'order', kind: 'string', zh: '医保目录代码', en: 'National insurance catalogue code (the code rules match on)', note: '(national code)' },
  { name: 'hilist_name', level: 'order', kind: 'string', zh: '医保目录名称', en: 'National catalogue name' },
  { name: 'hilist_dosform', level: 'order', kind: 'string', zh: '医保目录(药品)剂型', en: 'Dosage form' },
  { name: 'hilist_lv', level: 'order', kind: 'string', zh: '医保目录等级', en: 'Catalogue level', note: '01 甲, 02 乙, 03 丙' },
  { name: 'hilist_pric', level: 'order', kind: 'number', zh: '医保目录价格', en: 'Standard (catalogue) price' },
  { name: 'lv1_hosp_item_pric', level: 'order', kind: 'number', zh: '一级医院目录价格', en: 'Catalogue price in tier-1 hospitals' },
  { name: 'lv2_hosp_item_pric', level: 'order', kind: 'number', zh: '二级医院目录价格', en: 'Catalogue price in tier-2 hospitals' },
  { name: 'lv3_hosp_item_pric', level: 'order', kind: 'number', zh: '三级医院目录价格', en: 'Catalogue price in tier-3 hospitals' },
  { name: 'hilist_memo', level: 'order', kind: 'string', zh: '医保目录备注', en: 'Catalogue remark' },
  { name: 'hosplist_code', level: 'order', kind: 'string', zh: '医院目录代码', en: "The hospital's own item code" },
  { name: 'hosplist_name', level: 'order', kind: 'string', zh: '医院目录名称', en: "The hospital's own item name" },
  { name: 'hosplist_dosform', level: 'order', kind: 'string', zh: '医院目录(药品)剂型', en: "The hospital's dosage form" },
  { name: 'cnt', level: 'order', kind: 'number', zh: '数量', en: 'Quantity' },
  { name: 'pric', level: 'order', kind: 'number', zh: '单价', en: 'Unit price charged' },
  { name: 'sumamt', level: 'order', kind: 'number', zh: '总费用', en: 'Total amount of the line' },
  { name: 'ownpay_amt', level: 'order', kind: 'number', zh: '自费金额', en: 'Own-pay amount' },
  { name: 'selfpay_amt', level: 'order', kind: 'number', zh: '自付金额', en: 'Self-pay amount' },
  { name: 'spec', level: 'order', kind: 'string', zh: '规格', en: 'Specification' },
  { name: 'spec_unt', level: 'order', kind: 'string', zh: '数量单位', en: 'Unit of quantity' },
  { name: 'drord_begn_date', level: 'order', kind: 'date', zh: '医嘱开始日期', en: 'Order start', note: 'yyyy-MM-dd[ HH:mm:ss]' },
  { name: 'drord_stop_date', level: 'order', kind: 'date', zh: '医嘱停止日期', en: 'Order stop' },
  { name: 'drord_dept_codg', level: 'order', kind: 'string', zh: '下达医嘱的科室标识', en: 'Ordering department code' },
  { name: 'drord_dept_name', level: 'order', kind: 'string', zh: '下达医嘱科室名称', en: 'Ordering department name' },
  { name: 'drord_dr_codg', level: 'order', kind: 'string', zh: '开处方(医嘱)医生标识', en: 'Ordering doctor code' },
  { name: 'drord_dr_name', level: 'order', kind: 'string', zh: '开处方(医嘱)医生姓名', en: 'Ordering doctor name', personal: true },
  { name: 'drord_dr_profttl', level: 'order', kind: 'string', zh: '开处方(医嘱)医职称', en: "Ordering doctor's title" },
  { name: 'curr_drord_flag', level: 'order', kind: 'current-flag', zh: '是否当前处方(医嘱)', en: 'Current order (1) or history (0)', note: '1 当前, 0 历史' },
  {
    name: 'hosp_appr_flag',
    level: 'order',
    kind: 'string',
    zh: '医院审批标志',
    en: 'Hospital approval of a restricted item (national fee-detail feedetail)',
    note: '1 已审批, 2 转自费',
  },
  // 手术操作信息
  { name: 'setl_list_oprn_id', level: 'operation', kind: 'string', zh: '手术操作ID', en: 'Operation id' },
  { name: 'oprn_code', level: 'operation', kind: 'string', zh: '手术操作代码', en: 'Operation code' },
  { name: 'oprn_name', level: 'operation', kind: 'string', zh: '手术操作名称', en: 'Operation name' },
  { name: 'main_oprn_flag', level: 'operation', kind: 'string', zh: '主手术操作标志', en: 'Main operation flag' },
  { name: 'oprn_date', level: 'operation', kind: 'date', zh: '手术操作日期', en: 'Operation date' },
  { name: 'anst_way', level: 'operation', kind: 'string', zh: '麻醉方式', en: 'Anaesthesia method' },
  { name: 'oper_dr_name', level: 'operation', kind: 'string', zh: '术者医师姓名', en: 'Surgeon name', personal: true },
  { name: 'oper_dr_code', level: 'operation', kind: 'string', zh: '术者医师代码', en: 'Surgeon code' },
  { name: 'anst_dr_name', level: 'operation', kind: 'string', zh: '麻醉医师姓名', en: 'Anaesthetist name', personal: true },
  { name: 'anst_dr_code', level: 'operation', kind: 'string', zh: '麻醉医师代码', en: 'Anaesthetist code' },
] as const satisfies readonly FieldDef[];

/** The nested lists of `input.data`: which level holds which records. */
export const NATIONAL_LISTS = [
  { name: 'patient_dtos', parent: 'data', child: 'patient', zh: '参保人信息', en: 'Patients', described: true },
  { name: 'fsi_encounter_dtos', parent: 'patient', child: 'encounter', zh: '就诊信息', en: 'Encounters (the current one and history)', described: false },
  { name: 'fsi_diagnose_dtos', parent: 'encounter', child: 'diagnosis', zh: '诊断信息', en: 'Diagnoses', described: true },
  { name: 'fsi_order_dtos', parent: 'encounter', child: 'order', zh: '处方（医嘱）信息', en: 'Orders and fee lines', described: true },
  { name: 'fsi_operation_dtos', parent: 'encounter', child: 'operation', zh: '手术操作信息', en: 'Operations', described: true },
] as const satisfies readonly ListDef[];

/** A national field of one level, by type. */
export type NationalField = (typeof NATIONAL_FIELDS)[number];

/** The fields of one level, in table order. */
export function fieldsOf(level: FieldLevel): readonly FieldDef[] {
  return NATIONAL_FIELDS.filter((f) => f.level === level);
}

/** The lists a level holds. */
export function listsOf(level: FieldLevel): readonly ListDef[] {
  return NATIONAL_LISTS.filter((l) => l.parent === level);
}

/** Fields that are required at a level (the request is refused without them), with the lists that are. */
export function requiredAt(level: FieldLevel): string[] {
  const out: string[] = fieldsOf(level)
    .filter((f) => f.required)
    .map((f) => f.name);
  // A request without patients has nothing to audit.
  if (level === 'data') out.push('patient_dtos');
  return out;
}

/** The JSON Schema description of a field: its Chinese name and its note. */
export function describeField(f: FieldDef): string {
  if (!f.note) return f.zh;
  return f.note.startsWith(':') ? `${f.zh}${f.note}` : `${f.zh} ${f.note}`;
}
