/**
 * JSON Schemas of the national interface. Fastify validates only the envelope (`…Validation`
 * schemas): `normalizeCheckData` does the strict checking of `input.data` and names every bad
 * field (numbers may come as strings, legacy 3660/3661 use camelCase keys), so validating the
 * deep schema as well would only double the work on the hot path. The deep schemas document
 * the body in the OpenAPI document (routes put them in `docBody`).
 */
import { checkDataJsonSchema } from '@preaudit/core-rules';

const str = (description: string) => ({ type: 'string', description }) as const;

/**
 * 3101/3102 `input.data`, derived from core-rules' national field table (model/fields.ts), so a
 * field the interface gains is declared once: the OpenAPI document, the storage allow-list
 * (masking.ts) and the normaliser read the same list.
 */
export const checkDataSchema = checkDataJsonSchema();

/** judge_result_detail_dtos[] */
const detailSchema = {
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
const feedbackDataSchema = {
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
