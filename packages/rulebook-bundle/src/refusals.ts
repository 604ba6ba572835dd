/**
 * Why a rulebook bundle is refused. Each reason has a stable code, a Chinese label for the
 * people who read the refusal (a bureau officer, the hospital's insurance office) and the HTTP
 * status the service answers with. This is the one place those mappings live.
 */

/** Stable refusal codes, in the order the checks run. */
export type RefusalReason =
  | 'malformed_bundle'
  | 'bad_signature'
  | 'tampered_file'
  | 'schema_error'
  | 'failing_case'
  | 'version_not_newer';

/** One reason a bundle was refused, with where the problem is when that is known. */
export interface Refusal {
  /** Stable code. */
  reason: RefusalReason;
  /** What is wrong, in plain words (Chinese where shown to users). */
  message: string;
  /** Path of the bad field or file (rules[3].params.max_age, knowledge/x.csv, signatures[0]). */
  field?: string;
  /** The rule concerned, when there is one. */
  rule_id?: string;
}

/** Label and HTTP status of each reason. */
export const REFUSAL_INFO: Record<RefusalReason, { label: string; status: number }> = {
  malformed_bundle: { label: '规则包格式错误', status: 400 },
  bad_signature: { label: '签名无效或签名人不受信任', status: 403 },
  tampered_file: { label: '文件被篡改或缺失', status: 422 },
  schema_error: { label: '规则库内容不符合格式', status: 422 },
  failing_case: { label: '规则库自带测试用例未通过', status: 422 },
  version_not_newer: { label: '版本号不高于已有版本', status: 409 },
};

/** The HTTP status for a list of refusals: that of the first (earliest) check that failed. */
export function refusalStatus(refusals: readonly Refusal[]): number {
  return refusals.length ? REFUSAL_INFO[refusals[0].reason].status : 422;
}

/** Thrown where a refusal has to cross an API that cannot return it (the CLI, the store). */
export class RulebookRefusedError extends Error {
  /** Every reason found. */
  readonly refusals: Refusal[];
  /** HTTP status for the reply. */
  readonly statusCode: number;
  constructor(refusals: Refusal[]) {
    super(refusals.map((r) => `${REFUSAL_INFO[r.reason].label}: ${r.field ? `${r.field}: ` : ''}${r.message}`).join('; '));
    this.name = 'RulebookRefusedError';
    this.refusals = refusals;
    this.statusCode = refusalStatus(refusals);
  }
}
