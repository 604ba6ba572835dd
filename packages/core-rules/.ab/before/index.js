/**
 * @preaudit/core-rules: the pure rules engine. Load a rulebook (rule base + knowledge base) as
 * data, compile it once, evaluate requests in the national 3101/3102 shape synchronously.
 * No I/O here; see `@preaudit/core-rules/node` for reading rulebook folders.
 */
export * from './model/request.js';
export * from './model/result.js';
export * from './rulebook/types.js';
export { normalizeCheckData, snakeKey, textProblem } from './model/normalize.js';
export { NATIONAL_FIELDS, NATIONAL_LISTS, fieldsOf, listsOf, requiredAt, describeField, } from './model/fields.js';
export { recordJsonSchema, orderJsonSchema, encounterJsonSchema, checkDataJsonSchema } from './model/json-schema.js';
export { buildViewContract, VIEW_KEYS, PATIENT_COLUMNS, CHANGE_COLUMN, } from './model/view-contract.js';
export { attributionOf } from './model/attribution.js';
export { parseDateTime, fullYears, dayOf, formatDay, toWallClock } from './model/dates.js';
export { loadRulebook, RULEBOOK_SCHEMA } from './rulebook/load.js';
export { runCases, judgeCase } from './rulebook/cases.js';
export { compileRulebook } from './evaluate/compile.js';
export { evaluate, phaseOfScenes, splitList, DEFAULT_MAX_INVOLVED, DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_CONDITION_BUDGET } from './evaluate/evaluate.js';
export { parseCsv, parseCsvObjects } from './knowledge/csv.js';
export { TIER_LABEL, tierOf, INSUTYPE_LABEL, VISIT_LABEL, SEX_LABEL } from './templates/labels.js';
export { TEMPLATES } from './templates/index.js';
//# sourceMappingURL=index.js.map