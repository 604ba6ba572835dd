/**
 * Console users (`app.users`): the user service on the app's database and clock, cookie parsing
 * (@fastify/cookie) for the auth hook, and the copying of CLI user changes (`user_events`) into
 * the trail, at start and every `eventPollMs`. Registered before `auth`, which looks sessions up
 * through `app.users`.
 */
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import { resolveUsersOptions } from './options.js';
import { UserService, type ActiveSession } from './service.js';
import { markUserEventsRecorded, pendingUserEvents } from './user-store.js';

/** Name of the session cookie (HttpOnly) and of the CSRF cookie (readable by the console's script). */
export const SESSION_COOKIE = 'pa_session';
export const CSRF_COOKIE = 'pa_csrf';

declare module 'fastify' {
  interface FastifyInstance {
    /** Console users and sessions. */
    users: UserService;
  }
  interface FastifyRequest {
    /** The session a request was authenticated by (undefined for keys and anonymous callers). */
    userSession?: ActiveSession;
  }
}

export default fp(
  async (app) => {
    const options = resolveUsersOptions(app.config.users);
    await app.register(cookie, { hook: 'onRequest' });
    const service = new UserService(app.db, app.config.now, options);
    app.decorate('users', service);
    app.decorateRequest('userSession', undefined);

    // CLI changes are written to user_events (the CLI must not extend the trail's chain while the service does); copied here.
    let copying: Promise<void> | undefined;
    const copyEvents = async () => {
      if (!app.hasDecorator('trail')) return;
      const events = await pendingUserEvents(app.db);
      for (const e of events) {
        app.trail.append({
          actor: e.actor,
          role: 'cli',
          route: 'cli',
          action: e.action,
          ref: e.username,
          outcome: 'ok',
          detail: { at: e.time, ...(e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {}) },
        });
      }
      await markUserEventsRecorded(
        app.db,
        events.map((e) => e.id),
      );
    };
    const pump = () => {
      copying ??= copyEvents()
        .catch((err) => app.log.error({ err }, 'copying CLI user events into the trail failed'))
        .finally(() => {
          copying = undefined;
        });
      return copying;
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await pump();
      timer = setInterval(() => void pump(), options.eventPollMs);
      timer.unref();
    });
    app.beforeStorageClose(async () => {
      if (timer) clearInterval(timer);
      await copying;
    });
  },
  { name: 'users', dependencies: ['storage'] },
);
