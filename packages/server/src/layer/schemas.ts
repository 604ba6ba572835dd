/**
 * Schemas of the layer routes (OpenAPI is generated from them).
 */
import { errorSchema } from '../platform/schemas.js';
import { shadowReportSchema } from '../rulebooks/schemas.js';

export { errorSchema, shadowReportSchema };

/** A stored layer version. */
export const layerVersionSchema = {
  type: 'object',
  properties: {
    ref: { type: 'string', description: 'layer id@version, the :ref of the other routes' },
    layer_id: { type: 'string' },
    version: { type: 'string' },
    name: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['draft', 'tested', 'active', 'retired'] },
    source: { type: 'string', enum: ['upload', 'import'] },
    file_sha256: { type: 'string' },
    created_by: { type: 'string' },
    created_role: { type: 'string' },
    created_at: { type: 'string' },
    tested_against: { type: ['string', 'null'], description: 'rulebook id@version its cases last ran on' },
    tested_at: { type: ['string', 'null'] },
    tested_by: { type: ['string', 'null'] },
    cases_passed: { type: 'integer' },
    cases_failed: { type: 'integer' },
    activated_at: { type: ['string', 'null'] },
    retired_at: { type: ['string', 'null'] },
    local_rules: { type: 'integer' },
    overrides: { type: 'integer' },
    exemptions: { type: 'integer' },
  },
} as const;

/** A conflict between a layer and the active rulebook. */
export const conflictSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['rule-missing', 'params-changed', 'id-collision', 'exemption-rule-missing', 'base-changed'] },
    field: { type: 'string' },
    rule_id: { type: 'string' },
    message: { type: 'string' },
    was: {},
    now: {},
  },
} as const;

/** :ref */
export const refParams = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string', minLength: 3, maxLength: 120, pattern: '^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$', description: 'layer id@version, e.g. h0001-local@1.2.0' } },
} as const;

/** :id of an exemption */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

/** A layer file: validated by the engine (every problem named by its path under `file.`). */
export const layerFileSchema = {
  type: 'object',
  description: 'a layer file { format: "preaudit-layer/1", id, version, name?, base: { id, version }, knowledge?, rules?, cases?, overrides?, exemptions? }',
  required: ['format', 'id', 'version'],
  properties: {
    format: { type: 'string', const: 'preaudit-layer/1' },
    id: { type: 'string', minLength: 1, maxLength: 64 },
    version: { type: 'string', minLength: 1, maxLength: 40 },
    name: { type: 'string', maxLength: 200 },
    base: { type: 'object' },
    knowledge: { type: 'object' },
    rules: { type: 'array', maxItems: 10000 },
    cases: { type: 'array', maxItems: 10000 },
    overrides: { type: 'array', maxItems: 10000 },
    exemptions: { type: 'array', maxItems: 100000 },
  },
} as const;

const scopeField = (description: string, maxLength = 64) => ({ type: ['string', 'null'], maxLength, description }) as const;

/** Body of an exemption or an exemption request. */
export const exemptionBodySchema = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  // A misspelt scope field must be refused, not dropped: the exemption would cover more than meant.
  propertyNames: { enum: ['rule_id', 'dept_codg', 'dr_codg', 'patient_id', 'hilist_code', 'diagnosis_prefix', 'insutype', 'reason', 'valid_from', 'valid_to', 'cap'] },
  properties: {
    rule_id: scopeField('规则 rule id (national or local)'),
    dept_codg: scopeField('科室 department code (a department may only name its own)'),
    dr_codg: scopeField('医师 doctor code'),
    patient_id: scopeField('患者 patn_id as the HIS sends it (stored as a key and masked, never as is)'),
    hilist_code: scopeField('医保目录编码 drug/item code of the offending order'),
    diagnosis_prefix: scopeField('诊断编码前缀 ICD-10 prefix, e.g. C34', 32),
    insutype: scopeField('险种 insurance type, e.g. 310', 16),
    reason: { type: 'string', minLength: 1, maxLength: 2000, description: '原因 (特殊病种备案号 …)' },
    valid_from: { type: ['string', 'null'], maxLength: 30, description: 'in force from (yyyy-MM-dd[ HH:mm:ss], inclusive)' },
    valid_to: { type: ['string', 'null'], maxLength: 30, description: 'expiry (exclusive)' },
    cap: { type: ['integer', 'null'], minimum: 1, maximum: 1000000, description: 'most findings it may suppress' },
  },
} as const;

/** An exemption or request as answered. */
export const exemptionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['requested', 'approved', 'rejected', 'revoked'] },
    origin: { type: 'string', enum: ['request', 'direct', 'layer'] },
    layer_ref: { type: ['string', 'null'] },
    scope: {
      type: 'object',
      description: 'as the engine matches it: the patient as its key',
      properties: {
        rule_id: { type: ['string', 'array'], items: { type: 'string' } },
        dept_codg: { type: ['string', 'array'], items: { type: 'string' } },
        dr_codg: { type: ['string', 'array'], items: { type: 'string' } },
        patient: { type: ['string', 'array'], items: { type: 'string' } },
        hilist_code: { type: ['string', 'array'], items: { type: 'string' } },
        diagnosis_prefix: { type: ['string', 'array'], items: { type: 'string' } },
        insutype: { type: ['string', 'array'], items: { type: 'string' } },
      },
    },
    rule_id: { type: ['string', 'null'] },
    dept_codg: { type: ['string', 'null'] },
    patient_masked: { type: ['string', 'null'] },
    reason: { type: 'string' },
    valid_from: { type: ['string', 'null'] },
    valid_to: { type: ['string', 'null'] },
    cap: { type: ['integer', 'null'] },
    used: { type: 'integer' },
    requested_by: { type: 'string' },
    requested_role: { type: 'string' },
    requested_at: { type: 'string' },
    decided_by: { type: ['string', 'null'] },
    decided_at: { type: ['string', 'null'] },
    decision_reason: { type: ['string', 'null'] },
  },
} as const;

/** A Chinese diff between two layer versions. */
export const layerDiffSchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          section: { type: 'string' },
          id: { type: 'string' },
          fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, label: { type: 'string' }, from: {}, to: {} } } },
          text: { type: 'string' },
        },
      },
    },
    text: { type: 'string' },
  },
} as const;

const caseReport = {
  type: 'object',
  properties: {
    passed: { type: 'integer' },
    failed: { type: 'integer' },
    failures: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

/** What a test run reports. */
export const testReportSchema = {
  type: 'object',
  properties: {
    version: layerVersionSchema,
    rulebook: { type: 'string' },
    layer: caseReport,
    national: {
      type: 'object',
      properties: {
        ...caseReport.properties,
        cases: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, rule_ids: { type: 'array', items: { type: 'string' } }, passed: { type: 'boolean' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;
