/**
 * Request types from route schemas: with `app.withTypeProvider<SchemaTypes>()`, a route's
 * `request.body`, `request.query`, `request.params` and `request.headers` have the types its
 * JSON Schemas describe (json-schema-to-ts), so handlers need no `as …` casts and a schema
 * change that breaks a handler fails the build.
 *
 * Why json-schema-to-ts rather than TypeBox: the schemas already exist as plain `as const`
 * JSON Schema (shared with the OpenAPI document, the storage allow-list and core-rules' derived
 * input.data schema), so types are inferred from them as they are, with no second schema
 * language and no runtime code. Replies are left untyped on purpose (`serializer: unknown`):
 * several routes answer files (CSV, XLSX) or adapter interfaces that the serializer, not the
 * compiler, shapes (fast-json-stringify drops what the response schema does not declare), which
 * is why this is not `@fastify/type-provider-json-schema-to-ts` (it types replies too).
 */
import type { FastifyTypeProvider } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** Fastify type provider: request parts typed from their schemas, replies unchecked. */
export interface SchemaTypes extends FastifyTypeProvider {
  validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  serializer: unknown;
}
