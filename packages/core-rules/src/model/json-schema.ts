/**
 * JSON Schemas of 3101/3102 `input.data`, built from the national field table (fields.ts), for
 * the service's OpenAPI document and its storage allow-list. They describe rather than enforce:
 * numbers may come as strings and nothing is required here, because `normalizeCheckData` does
 * the strict checking and names every bad field.
 */
import { describeField, fieldsOf, listsOf, type FieldDef, type FieldLevel } from './fields.js';

/** A JSON Schema node as built here (plain data, safe to freeze or spread). */
export type JsonSchemaNode = Record<string, unknown>;

/** Descriptions of the record schemas that carry one (as the service has published them). */
const RECORD_DESCRIPTION: Partial<Record<FieldLevel, string>> = {
  data: '3101/3102 入参 data (camelCase keys of 3660/3661 accepted too)',
  encounter: '就诊信息 One encounter',
  order: '处方（医嘱）信息 One order / fee line',
};

function fieldSchema(f: FieldDef): JsonSchemaNode {
  const description = describeField(f);
  switch (f.kind) {
    case 'number':
      return { type: ['number', 'string'], description };
    case 'list':
      return { description, anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
    case 'any':
      return { description };
    default:
      return { type: 'string', description };
  }
}

/** The object schema of one level: its fields, then its lists with their records' schemas. */
export function recordJsonSchema(level: FieldLevel): JsonSchemaNode {
  const properties: Record<string, JsonSchemaNode> = {};
  for (const f of fieldsOf(level)) properties[f.name] = fieldSchema(f);
  for (const l of listsOf(level)) {
    properties[l.name] = { type: 'array', ...(l.described ? { description: l.zh } : {}), items: recordJsonSchema(l.child) };
  }
  const description = RECORD_DESCRIPTION[level];
  return { type: 'object', ...(description ? { description } : {}), properties };
}

/** fsi_order_dtos[] (what the service calls orderSchema). */
export function orderJsonSchema(): JsonSchemaNode {
  return recordJsonSchema('order');
}

/** fsi_encounter_dtos[] with its diagnoses, orders and operations (encounterSchema). */
export function encounterJsonSchema(): JsonSchemaNode {
  return recordJsonSchema('encounter');
}

/** 3101/3102 `input.data` (checkDataSchema). */
export function checkDataJsonSchema(): JsonSchemaNode {
  return recordJsonSchema('data');
}
