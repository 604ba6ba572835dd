/** Settings of console users and sessions (AppOptions `users`), with their defaults. */

/** What `buildApp({ users })` may set. */
export interface UsersOptions {
  /** Absolute lifetime of a session, ms (default 12 h). */
  sessionTtlMs?: number;
  /** A session unused this long ends, ms (default 30 min). */
  sessionIdleMs?: number;
  /** Failed logins within `failureWindowMs` that lock the account (default 5). */
  maxFailures?: number;
  /** Window in which failures are counted, ms (default 15 min). */
  failureWindowMs?: number;
  /** How long a locked account stays locked, ms (default 15 min). */
  lockMs?: number;
  /** How often CLI changes are copied into the trail, ms (default 30 s). */
  eventPollMs?: number;
}

/** Every setting filled in. */
export type ResolvedUsersOptions = Required<UsersOptions>;

export function resolveUsersOptions(o: UsersOptions = {}): ResolvedUsersOptions {
  const pos = (v: number | undefined, d: number) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : d);
  return {
    sessionTtlMs: pos(o.sessionTtlMs, 12 * 3600_000),
    sessionIdleMs: pos(o.sessionIdleMs, 30 * 60_000),
    maxFailures: pos(o.maxFailures, 5),
    failureWindowMs: pos(o.failureWindowMs, 15 * 60_000),
    lockMs: pos(o.lockMs, 15 * 60_000),
    eventPollMs: pos(o.eventPollMs, 30_000),
  };
}
