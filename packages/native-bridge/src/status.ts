/**
 * The bridge's status codes, as `include/preaudit.h` defines them.
 * Non-negative: the order may go on (0 clean, 1 findings, 2 audit skipped by fail-open).
 */
export const PaStatus = {
  /** audited, no findings */
  OK: 0,
  /** audited, output.result lists findings to show the doctor */
  FINDINGS: 1,
  /** fail-open: the audit was not done; the reply lets the order through */
  SKIPPED: 2,
  /** bad argument: NULL, unknown infno, request not JSON */
  EINVAL: -1,
  /** pa_init / INIT not called */
  ENOTINIT: -2,
  /** bad configuration */
  ECONFIG: -3,
  /** text not valid in the configured encoding */
  EENCODING: -4,
  /** reply larger than the caller's buffer */
  EBUFSIZE: -5,
  /** out of memory */
  ENOMEM: -6,
  /** service unreachable */
  ECONNECT: -10,
  /** no complete reply within timeout_ms */
  ETIMEOUT: -11,
  /** reply not HTTP, not JSON, or too large */
  EPROTOCOL: -12,
  /** the service answered an error (HTTP >= 400 or infcode != 0) */
  ESERVICE: -13,
} as const;

/** One of the values of {@link PaStatus}. */
export type PaStatusCode = (typeof PaStatus)[keyof typeof PaStatus];

const NAMES = new Map<number, string>(Object.entries(PaStatus).map(([name, code]) => [code, `PA_${name}`]));

/** The header's name of a status code ("PA_SKIPPED"), or "PA_<code>" for an unknown one. */
export function statusName(code: number): string {
  return NAMES.get(code) ?? `PA_${code}`;
}
