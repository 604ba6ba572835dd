/**
 * Why a rulebook bundle is refused. Each reason has a stable code and a Chinese label for the
 * people who read the refusal (a bureau officer, the hospital's insurance office). The HTTP
 * status a service answers with is the service's (packages/server, platform/errors.ts).
 */

/** Stable refusal codes, in the order the checks run. */
export type RefusalReason = 'malformed_bundle' | 'bad_signature' | 'tampered_file' | 'schema_error' | 'failing_case' | 'version_not_newer';

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

/** Label of each reason. */
export const REFUSAL_INFO: Record<RefusalReason, { label: string }> = {
  malformed_bundle: { label: '规则包格式错误' },
  bad_signature: { label: '签名无效或签名人不受信任' },
  tampered_file: { label: '文件被篡改或缺失' },
  schema_error: { label: '规则库内容不符合格式' },
  failing_case: { label: '规则库自带测试用例未通过' },
  version_not_newer: { label: '版本号不高于已有版本' },
};
