/**
 * The documented view contract: what a hospital exposes so the adapter can read HIS/EMR data
 * without touching the HIS itself. One view per national entity, with the national (NHSA
 * 3101/3102) column names, plus a change timestamp (`updt_time`) for incremental 事中 reads.
 * A hospital that cannot rename its columns points a mapping file at its own views instead.
 */

/** How a column's value is normalised on the way in. */
export type ColumnKind = 'string' | 'number' | 'date';

/** One column of a contract view. */
export interface ContractColumn {
  /** National column name (the key in the canonical model). */
  name: string;
  /** Value kind: dates become `yyyy-MM-dd HH:mm:ss` strings, numbers become numbers. */
  kind: ColumnKind;
  /** Must exist in the view (mapped or under its national name). */
  required?: boolean;
  /** Chinese meaning, for documentation and error messages. */
  label: string;
  /**
   * The default code convention (hospital value → national value), applied beneath the mapping
   * file's own `values` for this column, which win where both name a value.
   */
  values?: Readonly<Record<string, string>>;
}

/** One contract view. */
export interface ContractView {
  /** Default view name when the mapping file names none. */
  defaultName: string;
  /** Chinese meaning. */
  label: string;
  /** The columns, in documentation order. */
  columns: ContractColumn[];
}

/** The entities a source exposes. */
export type ViewKey = 'encounters' | 'diagnoses' | 'orders' | 'operations' | 'code_map';

const s = (name: string, label: string, required = false): ContractColumn => ({ name, kind: 'string', label, required });
const n = (name: string, label: string): ContractColumn => ({ name, kind: 'number', label });
const d = (name: string, label: string, required = false): ContractColumn => ({ name, kind: 'date', label, required });

/**
 * How HIS views commonly spell a yes/no flag, in the national form: "1" yes, "0" no. The engine
 * accepts only 1/"1"/true and 0/"0"/false for `curr_drord_flag` (DOMAIN.md, "Boundaries and odd
 * values, settled") and refuses the rest, so a view sending Y/N, 是/否 or true/false text would
 * have every request refused. Booleans from a driver (a PostgreSQL boolean column) arrive as
 * "true"/"false" text here. Missing or empty stays missing (current, per DOMAIN.md).
 */
export const YES_NO_FLAG_VALUES: Readonly<Record<string, string>> = Object.freeze({
  Y: '1', y: '1', N: '0', n: '0',
  是: '1', 否: '0',
  true: '1', false: '0', TRUE: '1', FALSE: '0', True: '1', False: '0',
});

/** Encounter view: one row per encounter, with its patient's columns (就诊信息 + 参保人信息). */
const ENCOUNTERS: ContractView = {
  defaultName: 'pa_encounter',
  label: '就诊（含参保人）',
  columns: [
    s('patn_id', '参保人标识', true), s('patn_name', '姓名'), s('gend', '性别'), d('brdy', '出生日期'),
    s('poolarea', '统筹区编码'),
    s('mdtrt_id', '就诊标识', true), s('medins_id', '医疗服务机构标识'), s('medins_name', '医疗机构名称'),
    s('medins_admdvs', '医疗机构行政区划编码'), s('medins_type', '医疗服务机构类型'), s('medins_lv', '医疗机构等级'),
    s('wardarea_codg', '病区标识'), s('wardno', '病房号'), s('bedno', '病床号'),
    d('adm_date', '入院日期', true), d('dscg_date', '出院日期'),
    s('dscg_main_dise_codg', '主诊断编码'), s('dscg_main_dise_name', '主诊断名称'), s('dr_codg', '医师标识'),
    s('adm_dept_codg', '入院科室标识'), s('adm_dept_name', '入院科室名称'),
    s('dscg_dept_codg', '出院科室标识'), s('dscg_dept_name', '出院科室名称'),
    s('med_mdtrt_type', '就诊类型'), s('med_type', '医疗类别'), s('matn_stas', '生育状态'),
    n('medfee_sumamt', '总费用'), n('ownpay_amt', '自费金额'), n('selfpay_amt', '自付金额'),
    n('acct_payamt', '个人账户支付金额'), n('ma_amt', '医疗救助支付金额'), n('hifp_payamt', '统筹金支付金额'),
    n('setl_totlnum', '结算总次数'), s('insutype', '险种'), s('reim_flag', '报销标志'), s('out_setl_flag', '异地结算标志'),
    d('updt_time', '数据更新时间（增量读取水位）'),
  ],
};

/** Diagnosis view: one row per diagnosis (诊断信息). */
const DIAGNOSES: ContractView = {
  defaultName: 'pa_diagnose',
  label: '诊断',
  columns: [
    s('mdtrt_id', '就诊标识', true), s('dise_id', '诊断标识'), s('inout_dise_type', '出入诊断类别'),
    s('maindise_flag', '主诊断标志'), n('dias_srt_no', '诊断排序号'), s('dise_codg', '诊断编码'),
    s('dise_name', '诊断名称'), d('dise_date', '诊断日期'),
  ],
};

/** Order / fee-line view: one row per order (处方（医嘱）信息). */
const ORDERS: ContractView = {
  defaultName: 'pa_order',
  label: '医嘱（费用明细）',
  columns: [
    s('mdtrt_id', '就诊标识', true), s('rx_id', '处方(医嘱)标识', true), s('rxno', '处方号'), s('grpno', '组编号'),
    s('long_drord_flag', '是否为长期医嘱'), s('hilist_type', '目录类别'), s('chrg_type', '收费类别'),
    s('drord_bhvr', '医嘱行为'), s('hilist_code', '医保目录代码'), s('hilist_name', '医保目录名称'),
    s('hilist_dosform', '医保目录(药品)剂型'), s('hilist_lv', '医保目录等级'), n('hilist_pric', '医保目录价格'),
    n('lv1_hosp_item_pric', '一级医院目录价格'), n('lv2_hosp_item_pric', '二级医院目录价格'),
    n('lv3_hosp_item_pric', '三级医院目录价格'), s('hilist_memo', '医保目录备注'),
    s('hosplist_code', '医院目录代码'), s('hosplist_name', '医院目录名称'), s('hosplist_dosform', '医院目录(药品)剂型'),
    n('cnt', '数量'), n('pric', '单价'), n('sumamt', '总费用'), n('ownpay_amt', '自费金额'), n('selfpay_amt', '自付金额'),
    s('spec', '规格'), s('spec_unt', '数量单位'), d('drord_begn_date', '医嘱开始日期'), d('drord_stop_date', '医嘱停止日期'),
    s('drord_dept_codg', '下达医嘱的科室标识'), s('drord_dept_name', '下达医嘱科室名称'),
    s('drord_dr_codg', '开处方(医嘱)医生标识'), s('drord_dr_name', '开处方(医嘱)医生姓名'),
    s('drord_dr_profttl', '开处方(医嘱)医职称'), { ...s('curr_drord_flag', '是否当前处方(医嘱)'), values: YES_NO_FLAG_VALUES },
  ],
};

/** Operation view: one row per operation (手术操作信息). */
const OPERATIONS: ContractView = {
  defaultName: 'pa_operation',
  label: '手术操作',
  columns: [
    s('mdtrt_id', '就诊标识', true), s('setl_list_oprn_id', '手术操作ID'), s('oprn_code', '手术操作代码'),
    s('oprn_name', '手术操作名称'), s('main_oprn_flag', '主手术操作标志'), d('oprn_date', '手术操作日期'),
    s('anst_way', '麻醉方式'), s('oper_dr_name', '术者医师姓名'), s('oper_dr_code', '术者医师代码'),
    s('anst_dr_name', '麻醉医师姓名'), s('anst_dr_code', '麻醉医师代码'),
  ],
};

/** Code mapping (对照) view: hospital item code → national catalogue code. */
const CODE_MAP: ContractView = {
  defaultName: 'pa_code_map',
  label: '医保目录对照',
  columns: [
    s('hosplist_code', '医院目录代码', true), s('hilist_code', '医保目录代码', true), s('hilist_name', '医保目录名称'),
  ],
};

/** Every contract view by key. */
export const VIEW_CONTRACT: Readonly<Record<ViewKey, ContractView>> = {
  encounters: ENCOUNTERS,
  diagnoses: DIAGNOSES,
  orders: ORDERS,
  operations: OPERATIONS,
  code_map: CODE_MAP,
};

/** The view keys, in reading order. */
export const VIEW_KEYS: readonly ViewKey[] = ['encounters', 'diagnoses', 'orders', 'operations', 'code_map'];

/** Encounter columns that belong to the patient rather than the encounter. */
export const PATIENT_COLUMNS: readonly string[] = ['patn_id', 'patn_name', 'gend', 'brdy', 'poolarea'];

/** The change-timestamp column used as the incremental watermark. */
export const CHANGE_COLUMN = 'updt_time';

const byView = new Map<ViewKey, Map<string, ContractColumn>>(
  VIEW_KEYS.map((k) => [k, new Map(VIEW_CONTRACT[k].columns.map((c) => [c.name, c]))]),
);

/** The contract column `name` of view `view`, or undefined when the contract has no such column. */
export function contractColumn(view: ViewKey, name: string): ContractColumn | undefined {
  return byView.get(view)!.get(name);
}

/**
 * The code convention of one column: the contract's default (if any) under the mapping file's
 * own values; undefined when neither has one, so the row mapper keeps its fast path.
 */
export function conventionOf(column: ContractColumn, configured?: Record<string, string>): Record<string, string> | undefined {
  if (!column.values) return configured;
  return configured ? { ...column.values, ...configured } : { ...column.values };
}
