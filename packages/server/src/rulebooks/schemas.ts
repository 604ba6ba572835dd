/**
 * Schemas of the rulebook routes (OpenAPI is generated from them).
 */
import { errorSchema } from '../platform/schemas.js';

/** A stored version. */
export const versionSchema = {
  type: 'object',
  properties: {
    ref: { type: 'string', description: 'id@version, the :id of the other routes' },
    rulebook_id: { type: 'string' },
    version: { type: 'string' },
    name: { type: ['string', 'null'] },
    issuer: { type: ['string', 'null'] },
    effective_from: { type: 'string', description: 'wall clock, yyyy-MM-dd[ HH:mm:ss]' },
    effective_to: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['active', 'scheduled', 'pending', 'retired'] },
    source: { type: 'string', enum: ['builtin', 'upload', 'feed'] },
    loaded_by: { type: 'string' },
    loaded_role: { type: 'string' },
    loaded_at: { type: 'string' },
    key_id: { type: ['string', 'null'] },
    bundle_sha256: { type: ['string', 'null'] },
    activate_at: { type: ['string', 'null'], description: 'wall-clock moment a scheduled version activates' },
    activated_at: { type: ['string', 'null'] },
    retired_at: { type: ['string', 'null'] },
    rules: { type: 'integer' },
    codes: { type: 'integer' },
    cases_passed: { type: 'integer' },
  },
} as const;

/** One refusal reason. */
const refusalSchema = {
  type: 'object',
  properties: {
    reason: {
      type: 'string',
      enum: ['malformed_bundle', 'bad_signature', 'tampered_file', 'schema_error', 'failing_case', 'version_not_newer'],
    },
    message: { type: 'string' },
    field: { type: 'string' },
    rule_id: { type: 'string' },
  },
} as const;

/** Error body, with the refusals of an upload. */
export const rulebookErrorSchema = {
  ...errorSchema,
  properties: { ...errorSchema.properties, refusals: { type: 'array', items: refusalSchema } },
} as const;

/** :id */
export const refParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 3, maxLength: 120, description: 'id@version, e.g. nhsa-liangku@2025.8.0' } },
} as const;

/**
 * Body of PUT /v1/rulebooks: a signed bundle (see RULEBOOKS.md). Deliberately loose: the handler
 * checks the shape itself so a malformed bundle is refused (and audited) like any other refusal.
 */
export const bundleBodySchema = {
  type: 'object',
  description: 'a signed rulebook bundle: { format, manifest: { rulebook, packed_at, files }, files, signatures }',
  properties: {
    format: { type: 'string' },
    manifest: { type: 'object' },
    files: { type: 'object', additionalProperties: { type: 'string' } },
    signatures: { type: 'array' },
  },
} as const;

const ruleDiff = {
  type: 'object',
  properties: {
    rule_id: { type: 'string' },
    rule_name: { type: 'string' },
    baseline: { type: 'integer' },
    candidate: { type: 'integer' },
    new: { type: 'integer' },
    vanished: { type: 'integer' },
    new_amount: { type: 'number' },
    vanished_amount: { type: 'number' },
    amount_delta: { type: 'number' },
    examples: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Shadow run report. */
export const shadowReportSchema = {
  type: 'object',
  properties: {
    candidate: { type: 'string' },
    baseline: { type: 'string' },
    period: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
    checks: { type: 'integer' },
    checks_changed: { type: 'integer' },
    skipped: { type: 'integer' },
    truncated: { type: 'boolean' },
    totals: {
      type: 'object',
      properties: { new: { type: 'integer' }, vanished: { type: 'integer' }, new_amount: { type: 'number' }, vanished_amount: { type: 'number' } },
    },
    by_rule: { type: 'array', items: ruleDiff },
    by_department: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dept_codg: { type: 'string' },
          new: { type: 'integer' },
          vanished: { type: 'integer' },
          new_amount: { type: 'number' },
          vanished_amount: { type: 'number' },
        },
      },
    },
  },
} as const;

const fieldChange = {
  type: 'object',
  properties: { field: { type: 'string' }, label: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
} as const;
const ruleSummary = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } as const;

/** A rulebook diff (see ./diff.ts), plus `text`: the same in words (Chinese labels). */
export const diffSchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    identical: { type: 'boolean' },
    header: { type: 'array', items: fieldChange },
    rules_added: { type: 'array', items: ruleSummary },
    rules_removed: { type: 'array', items: ruleSummary },
    rules_changed: {
      type: 'array',
      items: { type: 'object', properties: { ...ruleSummary.properties, changes: { type: 'array', items: fieldChange } } },
    },
    knowledge: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          table: { type: 'string' },
          rules: { type: 'array', items: { type: 'string' } },
          status: { type: 'string', enum: ['added', 'removed', 'changed'] },
          added: { type: 'array', items: { type: 'string' } },
          removed: { type: 'array', items: { type: 'string' } },
          changed: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                point: { type: 'string' },
                codes_added: { type: 'array', items: { type: 'string' } },
                codes_removed: { type: 'array', items: { type: 'string' } },
                changes: { type: 'array', items: fieldChange },
              },
            },
          },
        },
      },
    },
    cases: {
      type: 'object',
      properties: {
        added: { type: 'array', items: { type: 'string' } },
        removed: { type: 'array', items: { type: 'string' } },
        changed: { type: 'array', items: { type: 'string' } },
      },
    },
    text: { type: 'string' },
  },
} as const;
