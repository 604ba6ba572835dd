/**
 * Schemas shared by the JSON (non-national) routes.
 */

/** The JSON error body (see outcomes.ts for the codes). */
export const errorSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'stable error code, e.g. PA_BAD_INPUT' },
    error: { type: 'string' },
    fields: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;
