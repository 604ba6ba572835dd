/**
 * @preaudit/core-rules: the pure rules engine. Load a rulebook (rule base + knowledge base) as
 * data, compile it once, evaluate requests in the national 3101/3102 shape synchronously.
 * No I/O here; see `@preaudit/core-rules/node` for reading rulebook folders.
 */
export * from './model/request.js';
export * from './model/result.js';
export * from './rulebook/types.js';
export { normalizeCheckData, snakeKey, textProblem, type FieldError, type Normalized } from './model/normalize.js';
export {
  NATIONAL_FIELDS, NATIONAL_LISTS, fieldsOf, listsOf, requiredAt, describeField,
  type FieldDef, type ListDef, type FieldKind, type FieldLevel, type NationalField,
} from './model/fields.js';
export type { FieldTableAgreesWithTypes } from './model/fields-agree.js';
export { recordJsonSchema, orderJsonSchema, encounterJsonSchema, checkDataJsonSchema, type JsonSchemaNode } from './model/json-schema.js';
export {
  buildViewContract, VIEW_KEYS, PATIENT_COLUMNS, CHANGE_COLUMN,
  type ContractColumn, type ContractView, type ColumnKind, type ViewKey,
} from './model/view-contract.js';
export { attributionOf, type Attribution, type DepartmentSource } from './model/attribution.js';
export { parseDateTime, fullYears, dayOf, formatDay, toWallClock } from './model/dates.js';
export { loadRulebook, RULEBOOK_SCHEMA, type LoadedRulebook, type LoadResult } from './rulebook/load.js';
export { runCases, judgeCase, type CaseReport } from './rulebook/cases.js';
export { compileRulebook, type CompiledRulebook, type RuleInfo } from './evaluate/compile.js';
export { evaluate, phaseOfScenes, splitList, DEFAULT_MAX_INVOLVED, DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_CONDITION_BUDGET, type EvaluateOptions } from './evaluate/evaluate.js';
export { parseCsv, parseCsvObjects, parseCsvRecords, CsvSyntaxError, type CsvRecord, type ParseCsvOptions } from './knowledge/csv.js';
export { TIER_LABEL, tierOf, INSUTYPE_LABEL, VISIT_LABEL, SEX_LABEL } from './templates/labels.js';
export { TEMPLATES } from './templates/index.js';
