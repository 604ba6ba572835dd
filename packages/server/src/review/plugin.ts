/**
 * The review queue's service (`app.review`): keeps `review_items` up to date with the finding
 * tables (store.ts, ReviewSync) — at start, every 30 s in the background, and before each read
 * of the queue (a read waits at most `readWaitMs` for a sync under way, then answers from what
 * is copied). The routes are in routes.ts.
 */
import fp from 'fastify-plugin';
import { ReviewSync } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The review queue. */
    review: ReviewService;
  }
}

/** See the file comment. */
export interface ReviewService {
  /** The copy from the finding tables. */
  readonly sync: ReviewSync;
  /** Syncs before a read: waits for the sync at most `readWaitMs` (it goes on behind). */
  fresh(): Promise<void>;
}

/** How long a read waits for the sync (ms). */
const READ_WAIT_MS = 2000;
/** Background sync interval (ms). */
const INTERVAL_MS = 30_000;

export default fp(
  async (app) => {
    const sync = new ReviewSync(app.db);
    const run = () =>
      sync.sync().catch((err: unknown) => {
        app.log.error({ err }, 'review queue sync failed');
        return 0;
      });
    const service: ReviewService = {
      sync,
      async fresh() {
        let timer: NodeJS.Timeout | undefined;
        const wait = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, READ_WAIT_MS);
          timer.unref();
        });
        try {
          await Promise.race([run(), wait]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
    app.decorate('review', service);
    let interval: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      void run();
      interval = setInterval(() => void run(), INTERVAL_MS);
      interval.unref();
    });
    app.beforeStorageClose(async () => {
      clearInterval(interval);
      await run();
    });
  },
  { name: 'review', dependencies: ['storage'] },
);
