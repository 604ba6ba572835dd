/**
 * Analytics (`app.analytics`): the day summaries the console's pages read (rollup.ts), one per
 * service instance so summing is serialised.
 */
import fp from 'fastify-plugin';
import { Rollup } from './rollup.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Day summaries of checks, findings and feedback. */
    analytics: { rollup: Rollup };
  }
}

export default fp(
  async (app) => {
    app.decorate('analytics', { rollup: new Rollup(app.db, { now: app.config.now }) });
  },
  { name: 'analytics', dependencies: ['storage'] },
);
