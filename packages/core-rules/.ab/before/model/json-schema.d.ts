/**
 * JSON Schemas of 3101/3102 `input.data`, built from the national field table (fields.ts), for
 * the service's OpenAPI document and its storage allow-list. They describe rather than enforce:
 * numbers may come as strings and nothing is required here, because `normalizeCheckData` does
 * the strict checking and names every bad field.
 */
import { type FieldLevel } from './fields.js';
/** A JSON Schema node as built here (plain data, safe to freeze or spread). */
export type JsonSchemaNode = Record<string, unknown>;
/** The object schema of one level: its fields, then its lists with their records' schemas. */
export declare function recordJsonSchema(level: FieldLevel): JsonSchemaNode;
/** fsi_order_dtos[] (what the service calls orderSchema). */
export declare function orderJsonSchema(): JsonSchemaNode;
/** fsi_encounter_dtos[] with its diagnoses, orders and operations (encounterSchema). */
export declare function encounterJsonSchema(): JsonSchemaNode;
/** 3101/3102 `input.data` (checkDataSchema). */
export declare function checkDataJsonSchema(): JsonSchemaNode;
//# sourceMappingURL=json-schema.d.ts.map