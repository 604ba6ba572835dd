/**
 * Query strings and path parameters go into SQL WHERE clauses (report filters, job and rulebook
 * ids). PostgreSQL refuses a NUL in text and the driver error became a 500; a 100 kB filter value
 * is no filter anyone means. Every string in `query` and `params` is checked here, once, before
 * validation: a NUL, a lone surrogate or more than `MAX_QUERY_VALUE` characters → 400 naming it.
 */
import fp from 'fastify-plugin';
import { textProblem } from '@preaudit/core-rules';
import { badInput, type FieldProblem } from './errors.js';

/** Longest query-string or path-parameter value, in characters (codes and ids are far shorter). */
const MAX_QUERY_VALUE = 256;

function problems(where: 'query' | 'params', values: unknown): FieldProblem[] {
  if (typeof values !== 'object' || values === null) return [];
  const out: FieldProblem[] = [];
  for (const [name, raw] of Object.entries(values)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value !== 'string') continue;
      const field = `${where}.${name.slice(0, 40)}`;
      const bad = textProblem(value);
      if (bad) out.push({ field, message: bad });
      else if (value.length > MAX_QUERY_VALUE) out.push({ field, message: `长度超过 ${MAX_QUERY_VALUE}` });
    }
  }
  return out;
}

export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      const found = [...problems('params', request.params), ...problems('query', request.query)];
      if (found.length > 0) throw badInput(found);
    });
  },
  { name: 'query-guard' },
);
