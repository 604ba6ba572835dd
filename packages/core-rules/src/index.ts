/**
 * @preaudit/core-rules: the pure rules engine. A rulebook (rule base + knowledge base) given as
 * data is compiled once (`compileRulebookFiles`: validate, compile rules; `indexRulebook`: the code
 * index), then requests in the national 3101/3102 shape are evaluated synchronously.
 * No I/O here; see `@preaudit/core-rules/node` for reading rulebook folders.
 */
export * from './model/request.js';
export * from './model/result.js';
export * from './rulebook/types.js';
export { normalizeCheckData, snakeKey, textProblem, type FieldError, type Normalized } from './model/normalize.js';
export {
  NATIONAL_FIELDS,
  NATIONAL_LISTS,
  fieldsOf,
  listsOf,
  requiredAt,
  describeField,
  type FieldDef,
  type ListDef,
  type FieldKind,
  type FieldLevel,
  type NationalField,
} from './model/fields.js';
export type { FieldTableAgreesWithTypes } from './model/fields-agree.js';
export { recordJsonSchema, orderJsonSchema, encounterJsonSchema, checkDataJsonSchema, type JsonSchemaNode } from './model/json-schema.js';
export { buildViewContract, VIEW_KEYS, PATIENT_COLUMNS, CHANGE_COLUMN, type ContractColumn, type ContractView, type ColumnKind, type ViewKey } from './model/view-contract.js';
export { attributionOf, type Attribution, type DepartmentSource } from './model/attribution.js';
export { parseDateTime, fullYears, dayOf, formatDay, toWallClock } from './model/dates.js';
export type { KnowledgeRow, KnowledgeTable } from './knowledge/types.js';
export { compileRulebookFiles, RULEBOOK_SCHEMA, type CompiledRules, type CompileResult } from './rulebook/compile-files.js';
export { runCases, judgeCase, latestDate, type CaseReport, type CaseEvaluator } from './rulebook/cases.js';
export { indexRulebook, type CompiledRulebook, type RuleInfo } from './evaluate/code-index.js';
export { evaluate, phaseOfScenes, splitList, DEFAULT_MAX_INVOLVED, DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_CONDITION_BUDGET, type EvaluateOptions } from './evaluate/evaluate.js';
export { parseCsv, parseCsvObjects, parseCsvRecords, CsvSyntaxError, type CsvRecord, type ParseCsvOptions } from './knowledge/csv.js';
export { TIER_LABEL, tierOf, INSUTYPE_LABEL, VISIT_LABEL, SEX_LABEL } from './templates/labels.js';
export { TEMPLATES } from './templates/index.js';
export { readText } from './templates/template.js';

/** The JSON Schema of rulebook.json, for other packages that check parts of it (rulebook bundles). */
export { default as rulebookJsonSchema } from './rulebook/rulebook.schema.json' with { type: 'json' };

/** The hospital's own layer above the bureau's rulebook: local rules, overrides, exemptions (issue 13). */
export * from './layer/index.js';
