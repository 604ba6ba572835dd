/**
 * National 3101/3102 (明细审核事前/事中分析服务) input model. Field names are the NHSA ones,
 * verbatim, so a HIS payload maps onto these types with no renaming.
 * Numbers may arrive as strings and are coerced by `normalizeCheckData`.
 */
/** 诊断信息 Diagnosis of an encounter (fsi_diagnose_dtos[]). */
export interface DiagnoseDto {
    /** 诊断标识 Diagnosis id. */
    dise_id?: string;
    /** 出入诊断类别 In/out diagnosis type (1 入院, 2 出院). */
    inout_dise_type?: string;
    /** 主诊断标志 Main diagnosis flag (1 yes, 0 no). */
    maindise_flag?: string;
    /** 诊断排序号 Diagnosis order number. */
    dias_srt_no?: number;
    /** 诊断编码 Diagnosis code (ICD-10 national edition). */
    dise_codg?: string;
    /** 诊断名称 Diagnosis name. */
    dise_name?: string;
    /** 诊断日期 Diagnosis date (yyyy-MM-dd[ HH:mm:ss]). */
    dise_date?: string;
}
/** 处方（医嘱）信息 One order / fee line (fsi_order_dtos[]). */
export interface OrderDto {
    /** 处方(医嘱)标识 Order id, unique within the request. */
    rx_id: string;
    /** 处方号 Prescription number. */
    rxno?: string;
    /** 组编号 Group number. */
    grpno?: string;
    /** 是否为长期医嘱 Long-term order flag (1 long, 0 temporary). */
    long_drord_flag?: string;
    /** 目录类别 Catalogue type: 101 西药中成药, 102 中药饮片, 201 医疗服务项目, 301 医用耗材. */
    hilist_type?: string;
    /** 收费类别 Charge type. */
    chrg_type?: string;
    /** 医嘱行为 Order behaviour. */
    drord_bhvr?: string;
    /** 医保目录代码 National insurance catalogue code (the code rules match on). */
    hilist_code?: string;
    /** 医保目录名称 National catalogue name. */
    hilist_name?: string;
    /** 医保目录(药品)剂型 Dosage form. */
    hilist_dosform?: string;
    /** 医保目录等级 Catalogue level: 01 甲, 02 乙, 03 丙. */
    hilist_lv?: string;
    /** 医保目录价格 Standard (catalogue) price. */
    hilist_pric?: number;
    /** 一级医院目录价格 Catalogue price in tier-1 hospitals. */
    lv1_hosp_item_pric?: number;
    /** 二级医院目录价格 Catalogue price in tier-2 hospitals. */
    lv2_hosp_item_pric?: number;
    /** 三级医院目录价格 Catalogue price in tier-3 hospitals. */
    lv3_hosp_item_pric?: number;
    /** 医保目录备注 Catalogue remark. */
    hilist_memo?: string;
    /** 医院目录代码 The hospital's own item code (对照 maps it to hilist_code). */
    hosplist_code?: string;
    /** 医院目录名称 The hospital's own item name. */
    hosplist_name?: string;
    /** 医院目录(药品)剂型 The hospital's dosage form. */
    hosplist_dosform?: string;
    /** 数量 Quantity. */
    cnt?: number;
    /** 单价 Unit price charged. */
    pric?: number;
    /** 总费用 Total amount of the line. */
    sumamt?: number;
    /** 自费金额 Own-pay amount. */
    ownpay_amt?: number;
    /** 自付金额 Self-pay amount. */
    selfpay_amt?: number;
    /** 规格 Specification. */
    spec?: string;
    /** 数量单位 Unit of quantity. */
    spec_unt?: string;
    /** 医嘱开始日期 Order start (yyyy-MM-dd[ HH:mm:ss]). */
    drord_begn_date?: string;
    /** 医嘱停止日期 Order stop (yyyy-MM-dd[ HH:mm:ss]). */
    drord_stop_date?: string;
    /** 下达医嘱的科室标识 Ordering department code. */
    drord_dept_codg?: string;
    /** 下达医嘱科室名称 Ordering department name. */
    drord_dept_name?: string;
    /** 开处方(医嘱)医生标识 Ordering doctor code. */
    drord_dr_codg?: string;
    /** 开处方(医嘱)医生姓名 Ordering doctor name. */
    drord_dr_name?: string;
    /** 开处方(医嘱)医职称 Ordering doctor's title. */
    drord_dr_profttl?: string;
    /**
     * 是否当前处方(医嘱) "1" = the order being checked now; "0" = history, context only. Missing or
     * "" = current. `normalizeCheckData` turns 1/true into "1" and 0/false into "0" and refuses
     * any other value, naming the field.
     */
    curr_drord_flag?: string;
}
/** 手术操作信息 Operation of an encounter (fsi_operation_dtos[]). */
export interface OperationDto {
    /** 手术操作ID Operation id. */
    setl_list_oprn_id?: string;
    /** 手术操作代码 Operation code. */
    oprn_code?: string;
    /** 手术操作名称 Operation name. */
    oprn_name?: string;
    /** 主手术操作标志 Main operation flag. */
    main_oprn_flag?: string;
    /** 手术操作日期 Operation date. */
    oprn_date?: string;
    /** 麻醉方式 Anaesthesia method. */
    anst_way?: string;
    /** 术者医师姓名 Surgeon name. */
    oper_dr_name?: string;
    /** 术者医师代码 Surgeon code. */
    oper_dr_code?: string;
    /** 麻醉医师姓名 Anaesthetist name. */
    anst_dr_name?: string;
    /** 麻醉医师代码 Anaesthetist code. */
    anst_dr_code?: string;
}
/** 就诊信息 One encounter (fsi_encounter_dtos[]). */
export interface EncounterDto {
    /** 就诊标识 Encounter id (mdtrt_id). */
    mdtrt_id: string;
    /** 医疗服务机构标识 Institution id. */
    medins_id?: string;
    /** 医疗机构名称 Institution name. */
    medins_name?: string;
    /** 医疗机构行政区划编码 Institution's administrative division. */
    medins_admdvs?: string;
    /** 医疗服务机构类型 Institution type. */
    medins_type?: string;
    /**
     * 医疗机构等级 Hospital level: 01–04,12 → tier 3; 05–07,13 → tier 2; 08–10,14 → tier 1; 11 → tier 0.
     * Read only through that table: any other value ("1", "3") is an unknown level.
     */
    medins_lv?: string;
    /** 病区标识 Ward area code. */
    wardarea_codg?: string;
    /** 病房号 Ward number. */
    wardno?: string;
    /** 病床号 Bed number. */
    bedno?: string;
    /** 入院日期 Admission date. */
    adm_date?: string;
    /** 出院日期 Discharge date. */
    dscg_date?: string;
    /** 主诊断编码 Main discharge diagnosis code. */
    dscg_main_dise_codg?: string;
    /** 主诊断名称 Main discharge diagnosis name. */
    dscg_main_dise_name?: string;
    /** 医师标识 Attending doctor code. */
    dr_codg?: string;
    /** 入院科室标识 Admission department code. */
    adm_dept_codg?: string;
    /** 入院科室名称 Admission department name. */
    adm_dept_name?: string;
    /** 出院科室标识 Discharge department code. */
    dscg_dept_codg?: string;
    /** 出院科室名称 Discharge department name. */
    dscg_dept_name?: string;
    /** 就诊类型 Visit type: 1 门诊, 2 住院, 3 购药, 4 其他. */
    med_mdtrt_type?: string;
    /** 医疗类别 Medical type: 11 普通门诊, 13 急诊, 14x 门诊慢特病, 21 普通住院, 28 日间手术, 41 药店购药. */
    med_type?: string;
    /** 生育状态 Maternity status: 0 其他, 1 妊娠期, 2 哺乳期. */
    matn_stas?: string;
    /** 总费用 Total medical fee. */
    medfee_sumamt?: number;
    /** 自费金额 Own-pay amount. */
    ownpay_amt?: number;
    /** 自付金额 Self-pay amount. */
    selfpay_amt?: number;
    /** 个人账户支付金额 Personal account payment. */
    acct_payamt?: number;
    /** 医疗救助支付金额 Medical assistance payment. */
    ma_amt?: number;
    /** 统筹金支付金额 Pooled fund payment. */
    hifp_payamt?: number;
    /** 结算总次数 Settlement count. */
    setl_totlnum?: number;
    /** 险种 Insurance type: 310 职工基本医疗保险, 340 离休, 390/391 城乡居民, 392 大病, 510 生育保险. */
    insutype?: string;
    /** 报销标志 Reimbursement flag. */
    reim_flag?: string;
    /** 异地结算标志 Out-of-area settlement flag. */
    out_setl_flag?: string;
    /** 诊断信息 Diagnoses. */
    fsi_diagnose_dtos?: DiagnoseDto[];
    /** 处方（医嘱）信息 Orders and fee lines. */
    fsi_order_dtos?: OrderDto[];
    /** 手术操作信息 Operations. */
    fsi_operation_dtos?: OperationDto[];
}
/** 参保人信息 One patient (patient_dtos[]). */
export interface PatientDto {
    /** 参保人标识 Patient id. */
    patn_id: string;
    /** 姓名 Name (never logged). */
    patn_name?: string;
    /** 性别 Sex: 1 男, 2 女, 0 未知, 9 未说明. */
    gend?: string;
    /** 出生日期 Birth date (yyyy-MM-dd). */
    brdy?: string;
    /** 统筹区编码 Pooling area. */
    poolarea?: string;
    /** 当前就诊标识 The encounter being checked now. */
    curr_mdtrt_id?: string;
    /** 就诊信息 Encounters (the current one and history). */
    fsi_encounter_dtos?: EncounterDto[];
    /** HIS 数据 Free-form HIS data. */
    fsi_his_data_dto?: unknown;
}
/** 3101/3102 `input.data`: what is audited. */
export interface CheckData {
    /** 调用服务系统标识 Calling system code. */
    syscode?: string;
    /** 任务ID Task id, echoed in results. */
    task_id?: string;
    /** 触发场景 Trigger scene(s), comma-joined: 1–5 事前, 6–10 事中. */
    trig_scen?: string;
    /** 规则ID集合 Restrict to these rule ids (comma-joined or array). */
    rule_ids?: string | string[];
    /** 参保人信息 Patients. */
    patient_dtos: PatientDto[];
}
/** The national envelope around `input.data`. */
export interface NhsaEnvelope<D = CheckData> {
    /** 交易编号 Interface number: 3101, 3102, 3103 (legacy 3660, 3661). */
    infno: string;
    /** 发送方报文ID Message id. */
    msgid?: string;
    /** 就医地医保区划 Visit area. */
    mdtrtarea_admvs?: string;
    /** 参保地医保区划 Insurance area. */
    insuplc_admdvs?: string;
    /** 接收方系统代码 Receiving system code. */
    recer_sys_code?: string;
    /** 设备编号 Device number. */
    dev_no?: string;
    /** 设备安全信息 Device safety info. */
    dev_safe_info?: string;
    /** 数字签名信息 Signature info. */
    cainfo?: string;
    /** 签名类型 Signature type. */
    signtype?: string;
    /** 接口版本号 Interface version, "V1.0". */
    infver?: string;
    /** 经办人类别 Operator type. */
    opter_type?: string;
    /** 经办人 Operator. */
    opter?: string;
    /** 经办人姓名 Operator name. */
    opter_name?: string;
    /** 交易时间 Call time (yyyy-MM-dd HH:mm:ss). */
    inf_time?: string;
    /** 定点医药机构编号 Institution code. */
    fixmedins_code?: string;
    /** 定点医药机构名称 Institution name. */
    fixmedins_name?: string;
    /** 交易签到流水号 Sign-in serial number. */
    sign_no?: string;
    /** 交易输入 Input. */
    input: {
        data: D;
    };
}
//# sourceMappingURL=request.d.ts.map