/**
 * Every error the service answers with: a stable code, its HTTP status, and a Chinese message
 * for the people who read HIS logs. This file is the single mapping from code to status
 * (a refused rulebook bundle's status is refined by its first refusal reason, here too).
 */
import type { Refusal, RefusalReason } from '@preaudit/rulebook-bundle';

/** Stable error codes (they appear in the `x-pa-error` header, /v1 error bodies, the trail and metrics). */
export const ErrorCode = {
  badJson: 'PA_BAD_JSON',
  badInput: 'PA_BAD_INPUT',
  unknownInfno: 'PA_UNKNOWN_INFNO',
  reasonRequired: 'PA_REASON_REQUIRED',
  bodyTooLarge: 'PA_BODY_TOO_LARGE',
  unsupportedMediaType: 'PA_UNSUPPORTED_MEDIA_TYPE',
  unauthorized: 'PA_UNAUTHORIZED',
  forbidden: 'PA_FORBIDDEN',
  notFound: 'PA_NOT_FOUND',
  unavailable: 'PA_UNAVAILABLE',
  engineFailure: 'PA_ENGINE_FAILURE',
  rulebookRefused: 'PA_RULEBOOK_REFUSED',
  rulebookConflict: 'PA_RULEBOOK_CONFLICT',
  reviewConflict: 'PA_REVIEW_CONFLICT',
  internal: 'PA_INTERNAL',
} as const;

/** One of the codes above. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one mapping from error code to HTTP status. */
const HTTP_STATUS: Record<ErrorCodeValue, number> = {
  PA_BAD_JSON: 400,
  PA_BAD_INPUT: 400,
  PA_UNKNOWN_INFNO: 400,
  PA_REASON_REQUIRED: 400,
  PA_BODY_TOO_LARGE: 413,
  PA_UNSUPPORTED_MEDIA_TYPE: 415,
  PA_UNAUTHORIZED: 401,
  PA_FORBIDDEN: 403,
  PA_NOT_FOUND: 404,
  PA_UNAVAILABLE: 503,
  PA_ENGINE_FAILURE: 422,
  PA_RULEBOOK_REFUSED: 422,
  PA_RULEBOOK_CONFLICT: 409,
  PA_REVIEW_CONFLICT: 409,
  PA_INTERNAL: 500,
};

/**
 * PA_RULEBOOK_REFUSED answers with the status of the earliest admission check that failed:
 * a bundle that is not one is the caller's syntax (400), an untrusted signature is refused
 * trust (403), a version not newer conflicts with what is stored (409), the rest is content
 * that cannot be processed (422).
 */
const REFUSAL_STATUS: Record<RefusalReason, number> = {
  malformed_bundle: 400,
  bad_signature: 403,
  tampered_file: 422,
  schema_error: 422,
  failing_case: 422,
  version_not_newer: 409,
};

/** Short Chinese titles shown before the detail in err_msg. */
const TITLE: Record<ErrorCodeValue, string> = {
  PA_BAD_JSON: '报文不是合法的 JSON',
  PA_BAD_INPUT: '入参错误',
  PA_UNKNOWN_INFNO: '不支持的交易编号',
  PA_REASON_REQUIRED: '缺少继续执行原因',
  PA_BODY_TOO_LARGE: '报文超过大小限制',
  PA_UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  PA_UNAUTHORIZED: '未认证',
  PA_FORBIDDEN: '无权访问',
  PA_NOT_FOUND: '未找到',
  PA_UNAVAILABLE: '服务暂不可用',
  PA_ENGINE_FAILURE: '审核引擎异常',
  PA_RULEBOOK_REFUSED: '规则包被拒绝',
  PA_RULEBOOK_CONFLICT: '规则库版本冲突',
  PA_REVIEW_CONFLICT: '审核状态冲突',
  PA_INTERNAL: '服务内部错误',
};

/** A problem with one field, named by its path from the top of the body (e.g. `input.data.patient_dtos[0].gend`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error with a stable code; thrown or returned by handlers and turned into a reply by the error handler. */
export class PreauditError extends Error {
  /** Stable code. */
  readonly code: ErrorCodeValue;
  /** HTTP status from HTTP_STATUS. */
  readonly statusCode: number;
  /** Fields at fault, when the input is. */
  readonly fields: FieldProblem[];
  /** Why a rulebook bundle was refused (PA_RULEBOOK_REFUSED): every reason, answered in the body. */
  readonly refusals?: readonly Refusal[];

  /**
   * `cause`: the error behind this one (a driver's, a library's). It is logged, never answered:
   * its text may name hosts, tables, SQL or values.
   */
  constructor(code: ErrorCodeValue, detail?: string, fields: FieldProblem[] = [], cause?: unknown, refusals?: readonly Refusal[]) {
    super(detail ? `${TITLE[code]}: ${detail}` : TITLE[code], cause === undefined ? undefined : { cause });
    this.name = 'PreauditError';
    this.code = code;
    this.statusCode = refusals?.length ? REFUSAL_STATUS[refusals[0].reason] : HTTP_STATUS[code];
    this.fields = fields;
    if (refusals) this.refusals = refusals;
  }
}

/** A refused rulebook bundle: every reason, the status that of the first (see REFUSAL_STATUS). */
export function rulebookRefused(refusals: readonly Refusal[], detail: string): PreauditError {
  return new PreauditError(ErrorCode.rulebookRefused, detail, [], undefined, refusals);
}

/** Bad input naming every bad field (the first few go into the message). */
export function badInput(fields: FieldProblem[], code: ErrorCodeValue = ErrorCode.badInput): PreauditError {
  const shown = fields
    .slice(0, 5)
    .map((f) => `${f.field} ${f.message}`)
    .join('; ');
  const more = fields.length > 5 ? ` (另有 ${fields.length - 5} 处)` : '';
  return new PreauditError(code, shown + more, fields);
}

/**
 * Maps any error (ours, Fastify's, a parser's) to a PreauditError, so every reply carries a stable
 * code. Only Fastify's own messages (fixed texts about the request) are passed on; any other
 * error's text stays in the log (as `cause`) and the reply carries the generic title.
 */
export function toPreauditError(err: unknown): PreauditError {
  if (err instanceof PreauditError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; validation?: AjvLikeError[]; validationContext?: string };
  // An `if` error only says that its `then` failed; the `then` errors name the field.
  if (Array.isArray(e.validation)) return badInput(e.validation.filter((v) => v.keyword !== 'if').map((v) => fromAjv(v, e.validationContext)));
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PreauditError(ErrorCode.badJson, e.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PreauditError(ErrorCode.bodyTooLarge);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PreauditError(ErrorCode.unsupportedMediaType, e.message);
  }
  // The body parser's JSON errors (status 400) describe the caller's own bytes.
  if (err instanceof SyntaxError && e.statusCode === 400) return new PreauditError(ErrorCode.badJson, e.message);
  const fastify = typeof e.code === 'string' && e.code.startsWith('FST_');
  if (typeof e.statusCode === 'number' && e.statusCode === 413) return new PreauditError(ErrorCode.bodyTooLarge, undefined, [], err);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new PreauditError(ErrorCode.badInput, fastify ? e.message : undefined, [], err);
  }
  return new PreauditError(ErrorCode.internal, undefined, [], err);
}

/** The parts of an Ajv error we read. */
interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/input/data/patient_dtos/0/gend` → `input.data.patient_dtos[0].gend`. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out ? `.${key}` : key;
  }
  return out;
}

function fromAjv(v: AjvLikeError, context?: string): FieldProblem {
  let field = pointerToPath(v.instancePath ?? '');
  const params = v.params ?? {};
  let message = v.message ?? 'is invalid';
  if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
    field = field ? `${field}.${params.missingProperty}` : params.missingProperty;
    message = '缺少必填字段';
  } else if (v.keyword === 'type') {
    message = `类型错误，应为 ${String(params.type)}`;
  } else if (v.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `取值应为 ${params.allowedValues.join('/')}`;
  } else if (v.keyword === 'const') {
    message = `取值应为 ${JSON.stringify(params.allowedValue)}`;
  } else if (v.keyword === 'format') {
    message = params.format === 'date' ? '日期格式应为 yyyy-MM-dd' : `格式应为 ${String(params.format)}`;
  }
  if (!field) field = context === 'querystring' ? 'query' : (context ?? 'body');
  else if (context === 'querystring') field = `query.${field}`;
  return { field, message };
}
