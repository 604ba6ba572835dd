/**
 * Canonical JSON: RFC 8785, the JSON Canonicalization Scheme (JCS), by the `canonicalize`
 * package. A signature covers these bytes, so the same manifest signs and verifies the same
 * way whatever order its keys were written in, and a bureau signing from another language
 * has a named standard (and libraries) to produce the same bytes.
 */
import canonicalize from 'canonicalize';

/** Serialises `value` by RFC 8785: object keys sorted by UTF-16 code units, no insignificant whitespace, ES number form. */
export function canonicalJson(value: unknown): string {
  // undefined has no JSON form; as null the output is always valid JSON (rule params may be absent).
  return canonicalize(value) ?? 'null';
}
