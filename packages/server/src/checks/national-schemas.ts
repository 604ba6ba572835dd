/**
 * JSON Schemas of the national interface. Fastify validates only the envelope (`…Validation`
 * schemas): `normalizeCheckData` does the strict checking of `input.data` and names every bad
 * field (numbers may come as strings, legacy 3660/3661 use camelCase keys), so validating the
 * deep schema as well would only double the work on the hot path. The deep schemas document
 * the body in the OpenAPI document (routes put them in `docBody`).
 */

const str = (description: string) => ({ type: 'string', description }) as const;
const num = (description: string) => ({ type: ['number', 'string'], description }) as const;

/** fsi_order_dtos[] */
export const orderSchema = {
  type: 'object',
  description: '处方（医嘱）信息 One order / fee line',
  properties: {
    rx_id: str('处方(医嘱)标识'),
    rxno: str('处方号'),
    grpno: str('组编号'),
    long_drord_flag: str('是否为长期医嘱 1/0'),
    hilist_type: str('目录类别 101 西药中成药, 102 中药饮片, 201 医疗服务项目, 301 医用耗材'),
    chrg_type: str('收费类别'),
    drord_bhvr: str('医嘱行为'),
    hilist_code: str('医保目录代码 (national code)'),
    hilist_name: str('医保目录名称'),
    hilist_dosform: str('医保目录(药品)剂型'),
    hilist_lv: str('医保目录等级 01 甲, 02 乙, 03 丙'),
    hilist_pric: num('医保目录价格'),
    lv1_hosp_item_pric: num('一级医院目录价格'),
    lv2_hosp_item_pric: num('二级医院目录价格'),
    lv3_hosp_item_pric: num('三级医院目录价格'),
    hilist_memo: str('医保目录备注'),
    hosplist_code: str('医院目录代码'),
    hosplist_name: str('医院目录名称'),
    hosplist_dosform: str('医院目录(药品)剂型'),
    cnt: num('数量'),
    pric: num('单价'),
    sumamt: num('总费用'),
    ownpay_amt: num('自费金额'),
    selfpay_amt: num('自付金额'),
    spec: str('规格'),
    spec_unt: str('数量单位'),
    drord_begn_date: str('医嘱开始日期 yyyy-MM-dd[ HH:mm:ss]'),
    drord_stop_date: str('医嘱停止日期'),
    drord_dept_codg: str('下达医嘱的科室标识'),
    drord_dept_name: str('下达医嘱科室名称'),
    drord_dr_codg: str('开处方(医嘱)医生标识'),
    drord_dr_name: str('开处方(医嘱)医生姓名'),
    drord_dr_profttl: str('开处方(医嘱)医职称'),
    curr_drord_flag: str('是否当前处方(医嘱) 1 当前, 0 历史'),
  },
} as const;

/** fsi_encounter_dtos[] */
export const encounterSchema = {
  type: 'object',
  description: '就诊信息 One encounter',
  properties: {
    mdtrt_id: str('就诊标识'),
    medins_id: str('医疗服务机构标识'),
    medins_name: str('医疗机构名称'),
    medins_admdvs: str('医疗机构行政区划编码'),
    medins_type: str('医疗服务机构类型'),
    medins_lv: str('医疗机构等级 01–14'),
    wardarea_codg: str('病区标识'),
    wardno: str('病房号'),
    bedno: str('病床号'),
    adm_date: str('入院日期'),
    dscg_date: str('出院日期'),
    dscg_main_dise_codg: str('主诊断编码'),
    dscg_main_dise_name: str('主诊断名称'),
    dr_codg: str('医师标识'),
    adm_dept_codg: str('入院科室标识'),
    adm_dept_name: str('入院科室名称'),
    dscg_dept_codg: str('出院科室标识'),
    dscg_dept_name: str('出院科室名称'),
    med_mdtrt_type: str('就诊类型 1 门诊, 2 住院, 3 购药, 4 其他'),
    med_type: str('医疗类别'),
    matn_stas: str('生育状态'),
    medfee_sumamt: num('总费用'),
    ownpay_amt: num('自费金额'),
    selfpay_amt: num('自付金额'),
    acct_payamt: num('个人账户支付金额'),
    ma_amt: num('医疗救助支付金额'),
    hifp_payamt: num('统筹金支付金额'),
    setl_totlnum: num('结算总次数'),
    insutype: str('险种 310, 340, 390, 391, 392, 510'),
    reim_flag: str('报销标志'),
    out_setl_flag: str('异地结算标志'),
    fsi_diagnose_dtos: {
      type: 'array',
      description: '诊断信息',
      items: {
        type: 'object',
        properties: {
          dise_id: str('诊断标识'),
          inout_dise_type: str('出入诊断类别'),
          maindise_flag: str('主诊断标志'),
          dias_srt_no: num('诊断排序号'),
          dise_codg: str('诊断编码'),
          dise_name: str('诊断名称'),
          dise_date: str('诊断日期'),
        },
      },
    },
    fsi_order_dtos: { type: 'array', description: '处方（医嘱）信息', items: orderSchema },
    fsi_operation_dtos: {
      type: 'array',
      description: '手术操作信息',
      items: {
        type: 'object',
        properties: {
          setl_list_oprn_id: str('手术操作ID'),
          oprn_code: str('手术操作代码'),
          oprn_name: str('手术操作名称'),
          main_oprn_flag: str('主手术操作标志'),
          oprn_date: str('手术操作日期'),
          anst_way: str('麻醉方式'),
          oper_dr_name: str('术者医师姓名'),
          oper_dr_code: str('术者医师代码'),
          anst_dr_name: str('麻醉医师姓名'),
          anst_dr_code: str('麻醉医师代码'),
        },
      },
    },
  },
} as const;

/** 3101/3102 `input.data`. */
export const checkDataSchema = {
  type: 'object',
  description: '3101/3102 入参 data (camelCase keys of 3660/3661 accepted too)',
  properties: {
    syscode: str('调用服务系统标识'),
    task_id: str('任务ID'),
    trig_scen: str('触发场景: 1–5 事前, 6–10 事中; comma-joined allowed'),
    rule_ids: { description: '规则ID集合 (comma-joined or array)', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    patient_dtos: {
      type: 'array',
      description: '参保人信息',
      items: {
        type: 'object',
        properties: {
          patn_id: str('参保人标识'),
          patn_name: str('姓名 (never stored or logged)'),
          gend: str('性别 1 男, 2 女'),
          brdy: str('出生日期 yyyy-MM-dd'),
          poolarea: str('统筹区编码'),
          curr_mdtrt_id: str('当前就诊标识'),
          fsi_encounter_dtos: { type: 'array', items: encounterSchema },
          fsi_his_data_dto: { description: 'HIS 数据' },
        },
      },
    },
  },
} as const;

/** judge_result_detail_dtos[] */
export const detailSchema = {
  type: 'object',
  properties: {
    jrd_id: str('违规明细标识'),
    patn_id: str('参保人标识'),
    mdtrt_id: str('就诊标识'),
    rx_id: str('处方(医嘱)标识'),
    vola_item_type: str('1 违规项, 2 涉及项'),
    vola_amt: { type: 'number', description: '违规金额' },
  },
} as const;

/** output.result[] */
export const resultSchema = {
  type: 'object',
  description: '违规结果 One violation',
  properties: {
    jr_id: str('违规标识 (3103 warn_rslt_id)'),
    rule_id: str('规则ID'),
    rule_name: str('规则名称'),
    vola_cont: str('违规内容'),
    patn_id: str('参保人标识'),
    mdtrt_id: str('就诊标识'),
    vola_amt: { type: 'number', description: '违规金额' },
    vola_amt_stas: str('违规金额计算状态'),
    sev_deg: str('严重程度 1 明确违规, 2 高度可疑, 3 轻度可疑'),
    vola_evid: str('违规依据'),
    vola_bhvr_type: str('违规行为类别'),
    task_id: str('任务ID'),
    judge_result_detail_dtos: { type: 'array', items: detailSchema },
  },
} as const;

const envelopeProperties = {
  infno: { type: 'string', description: '交易编号 3101, 3102, 3103 (legacy 3660, 3661)' },
  msgid: str('发送方报文ID'),
  mdtrtarea_admvs: str('就医地医保区划'),
  insuplc_admdvs: str('参保地医保区划'),
  recer_sys_code: str('接收方系统代码'),
  dev_no: str('设备编号'),
  dev_safe_info: str('设备安全信息'),
  cainfo: str('数字签名信息'),
  signtype: str('签名类型'),
  infver: str('接口版本号 V1.0'),
  opter_type: str('经办人类别'),
  opter: str('经办人'),
  opter_name: str('经办人姓名'),
  inf_time: str('交易时间'),
  fixmedins_code: str('定点医药机构编号'),
  fixmedins_name: str('定点医药机构名称'),
  sign_no: str('交易签到流水号'),
} as const;

/** The national envelope around `input.data` (3101/3102). */
export const checkEnvelopeSchema = {
  type: 'object',
  required: ['infno', 'input'],
  properties: {
    ...envelopeProperties,
    input: { type: 'object', required: ['data'], properties: { data: checkDataSchema } },
  },
} as const;

/** 3103 `input.data`. */
export const feedbackDataSchema = {
  type: 'object',
  description: '3103 事前事中服务反馈',
  properties: {
    warn_type: str('提醒类型 1 事前, 2 事中'),
    warns: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          warn_rslt_id: str('违规标识 (= jr_id)'),
          dspo_way: str('处理方式 1 继续执行, 2 返回修改'),
          dspo_way_rea: str('处理原因 (required when dspo_way = 1)'),
        },
      },
    },
  },
} as const;

/** 3103 envelope. */
export const feedbackEnvelopeSchema = {
  type: 'object',
  required: ['infno', 'input'],
  properties: {
    ...envelopeProperties,
    input: { type: 'object', required: ['data'], properties: { data: feedbackDataSchema } },
  },
} as const;

/** Any envelope (POST /nhsa dispatches on infno). */
export const anyEnvelopeSchema = {
  type: 'object',
  required: ['infno', 'input'],
  properties: { ...envelopeProperties, input: { type: 'object', required: ['data'], properties: { data: { type: 'object' } } } },
} as const;

/** The national reply. */
export const nationalReplySchema = {
  type: 'object',
  properties: {
    infcode: { type: 'integer', description: '0 成功, -1 失败' },
    err_msg: { type: 'string' },
    warn_msg: { type: 'string' },
    output: { type: 'object', properties: { result: { type: 'array', items: resultSchema } } },
  },
} as const;

const shallowEnvelope = (required: readonly string[] = []) =>
  ({
    type: 'object',
    required: ['infno', 'input'],
    properties: {
      infno: { type: 'string' },
      msgid: { type: 'string' },
      fixmedins_code: { type: 'string' },
      input: {
        type: 'object',
        required: ['data'],
        properties: { data: { type: 'object', ...(required.length > 0 ? { required } : {}) } },
      },
    },
  }) as const;

/** What Fastify validates of a 3101/3102/3660/3661 envelope. */
export const checkEnvelopeValidation = shallowEnvelope();

/** What Fastify validates of a 3103 envelope. */
export const feedbackEnvelopeValidation = shallowEnvelope();

/** What Fastify validates of any envelope (POST /nhsa). */
export const anyEnvelopeValidation = shallowEnvelope();

/** What Fastify validates of a /v1/check body. */
export const checkDataValidation = { type: 'object', required: ['patient_dtos'], properties: { patient_dtos: { type: 'array' } } } as const;
