/**
 * The hospital's own layer (`app.layer`): see ./store.ts. Every reply of a request that used a
 * layer carries its name in `x-layer-version` (beside `x-rulebook-version`): `effective()` notes
 * it in the request's async context, as the rulebooks plugin does for the rulebook.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fp from 'fastify-plugin';
import { LayerStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The hospital's layer: versions, exemptions, the compiled layer of the request path. */
    layer: LayerStore;
  }
}

/** Response header naming the layer a reply was computed with. */
const LAYER_VERSION_HEADER = 'x-layer-version';

export default fp(
  async (app) => {
    const used = new AsyncLocalStorage<{ ref?: string }>();
    const store = await LayerStore.open({
      db: app.db,
      now: app.config.now,
      trail: (entry) => app.trail.append(entry),
      rulebooks: app.rulebooks,
      log: app.log,
      checkLimits: app.config.checkLimits,
      onActive: (ref) => {
        const ctx = used.getStore();
        if (ctx && ctx.ref === undefined) ctx.ref = ref;
      },
    });
    app.decorate('layer', store);
    app.decorateRequest('layerUsed', null);
    app.addHook('preHandler', (request, _reply, done) => {
      const ctx: { ref?: string } = {};
      (request as unknown as { layerUsed: typeof ctx }).layerUsed = ctx;
      used.run(ctx, done);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const ref = (request as unknown as { layerUsed: { ref?: string } | null }).layerUsed?.ref;
      if (ref) reply.header(LAYER_VERSION_HEADER, ref);
      return payload;
    });
    app.beforeStorageClose(() => store.close());
  },
  { name: 'layer', dependencies: ['storage', 'trail', 'rulebooks'] },
);
