/**
 * The rulebooks (`app.rulebooks`): the versioned store of ./store.ts. Handlers call
 * `active()` once per request and use that reference throughout, so a switch never shows a
 * request half of each. Every reply of a request that read the rulebook carries the version it
 * used in `x-rulebook-version` (id@version): `active()` notes it in the request's async context.
 * With `rulebookFeed` configured, the bureau's feed is polled (pull mode).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fp from 'fastify-plugin';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';
import { FeedPoller } from './feed-poller.js';
import { parseTrustedKeys, compareVersions } from '@preaudit/rulebook-bundle';
import { RulebookStore } from './store.js';
import { ClusterSync } from './cluster-sync.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The rulebook store: active(), versions(), submit, activate, rollback, shadow. */
    rulebooks: RulebookStore;
    /** The feed poller in pull mode (undefined without a feed). */
    rulebookFeed?: FeedPoller;
  }
}

/** Summary of a rulebook for /health and logs. */
export interface RulebookInfo {
  id: string;
  version: string;
  name: string;
  issuer: string;
  rules: number;
  codes: number;
}

/** Summary of a compiled rulebook. */
export function rulebookInfo(rb: CompiledRulebook): RulebookInfo {
  return {
    id: rb.id,
    version: rb.version,
    name: rb.name ?? rb.id,
    issuer: rb.issuer ?? '',
    rules: rb.rules.length,
    codes: rb.codeCount ?? 0,
  };
}

/** Response header naming the rulebook version a reply was computed with. */
const RULEBOOK_VERSION_HEADER = 'x-rulebook-version';

export default fp(
  async (app) => {
    const { config } = app;
    const builtin = config.rulebook ?? loadRulebookDir(config.rulebookDir);
    const used = new AsyncLocalStorage<{ ref?: string }>();
    // Other instances on the same database: follow their switches (NOTIFY on PostgreSQL, and a poll).
    const cluster = new ClusterSync({ db: app.db, log: app.log, sync: () => app.rulebooks.sync(), intervalMs: config.rulebookSyncMs });
    const store = await RulebookStore.open(
      {
        db: app.db,
        now: config.now,
        trustedKeys: parseTrustedKeys(config.trustedKeys),
        trail: (entry) => app.trail.append(entry),
        log: app.log,
        checkLimits: config.checkLimits,
        onActive: (ref) => {
          const ctx = used.getStore();
          if (ctx && ctx.ref === undefined) ctx.ref = ref;
        },
        onChange: () => cluster.notify(),
      },
      builtin,
    );
    app.decorate('rulebooks', store);
    app.addHook('onReady', async () => {
      await cluster.start();
    });
    const info = rulebookInfo(store.active());
    app.log.info({ rulebook: store.activeRef(), rules: info.rules, codes: info.codes, trusted_keys: config.trustedKeys.length }, 'rulebook active');

    // preHandler (not onRequest): body parsing may leave the async context; the handler runs after this.
    app.decorateRequest('rulebookUsed', null);
    app.addHook('preHandler', (request, _reply, done) => {
      const ctx: { ref?: string } = {};
      (request as unknown as { rulebookUsed: typeof ctx }).rulebookUsed = ctx;
      used.run(ctx, done);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const ref = (request as unknown as { rulebookUsed: { ref?: string } | null }).rulebookUsed?.ref;
      if (ref) reply.header(RULEBOOK_VERSION_HEADER, ref);
      return payload;
    });

    let poller: FeedPoller | undefined;
    if (config.rulebookFeed) {
      const feed = config.rulebookFeed;
      poller = new FeedPoller({
        source: feed.source,
        intervalMs: feed.intervalMs,
        maxBackoffMs: feed.maxBackoffMs,
        timeoutMs: feed.timeoutMs,
        allowedOrigins: feed.allowedOrigins,
        maxFeedBytes: feed.maxFeedBytes,
        maxBundleBytes: feed.maxBundleBytes ?? config.rulebookBodyLimit,
        log: app.log,
        // Only what the store would accept: unknown and newer than every version of that rulebook.
        wants: (entry) => !store.versions().some((v) => v.rulebook_id === entry.id && compareVersions(v.version, entry.version) >= 0),
        submit: (text) => store.submit(text, { actor: 'feed', role: 'system', route: feed.source.slice(0, 200) }, { source: 'feed' }),
      });
      app.decorate('rulebookFeed', poller);
      app.addHook('onReady', async () => {
        if (feed.autoStart !== false) poller!.start();
      });
    }
    app.beforeStorageClose(async () => {
      await poller?.stop();
      await cluster.stop();
      await store.close();
    });
  },
  { name: 'rulebooks', dependencies: ['storage', 'trail'] },
);
