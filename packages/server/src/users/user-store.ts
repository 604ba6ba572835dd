/**
 * Storage of console users, their sessions and CLI user events (migration 0006). Functions take
 * the knex instance explicitly; they validate nothing (users/service.ts does).
 */
import type { Knex } from 'knex';
import type { UserRole } from '../platform/auth.js';

/** A row of `users`. */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  user_role: UserRole;
  departments: string | null;
  password_hash: string;
  disabled: boolean | number;
  failed_attempts: number;
  first_failed_at: string | null;
  locked_until: string | null;
  last_login_at: string | null;
  password_changed_at: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

/** A row of `sessions`. */
export interface SessionRow {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  idle_timeout_s: number;
  ip: string | null;
  user_agent: string | null;
}

export async function countUsers(db: Knex): Promise<number> {
  const row = await db('users').count<{ n: number | string }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function findUser(db: Knex, username: string): Promise<UserRow | undefined> {
  return db('users').where({ username }).first<UserRow | undefined>();
}

export async function findUserById(db: Knex, id: number): Promise<UserRow | undefined> {
  return db('users').where({ id }).first<UserRow | undefined>();
}

/** A page of users by login name; `q` matches login or display name (substring). */
export async function listUsers(db: Knex, opts: { q?: string; limit: number; offset: number }): Promise<{ total: number; rows: UserRow[] }> {
  const base = db('users');
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base.where((w) => w.whereRaw("username like ? escape '\\'", [like]).orWhereRaw("display_name like ? escape '\\'", [like]));
  }
  const total = Number((await base.clone().count<{ n: number | string }>({ n: '*' }).first())?.n ?? 0);
  const rows = await base.clone().orderBy('username').limit(opts.limit).offset(opts.offset).select<UserRow[]>('*');
  return { total, rows };
}

export async function insertUser(db: Knex, row: Omit<UserRow, 'id'>): Promise<void> {
  await db('users').insert(row);
}

export async function updateUser(db: Knex, id: number, patch: Partial<Omit<UserRow, 'id' | 'username'>>): Promise<void> {
  await db('users').where({ id }).update(patch);
}

export async function insertSession(db: Knex, row: SessionRow): Promise<void> {
  await db('sessions').insert(row);
}

/** The session with this token hash and its user, or undefined. */
export async function findSession(db: Knex, idHash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const session = await db('sessions').where({ id_hash: idHash }).first<SessionRow | undefined>();
  if (!session) return undefined;
  const user = await findUserById(db, session.user_id);
  return user ? { session, user } : undefined;
}

export async function touchSession(db: Knex, idHash: string, lastSeen: string): Promise<void> {
  await db('sessions').where({ id_hash: idHash }).update({ last_seen_at: lastSeen });
}

export async function deleteSession(db: Knex, idHash: string): Promise<void> {
  await db('sessions').where({ id_hash: idHash }).delete();
}

/** Ends every session of a user (but `keep`, when given). */
export async function deleteUserSessions(db: Knex, userId: number, keep?: string): Promise<number> {
  const q = db('sessions').where({ user_id: userId });
  if (keep) q.whereNot({ id_hash: keep });
  return q.delete();
}

/** Deletes sessions past their absolute end. */
export async function purgeExpiredSessions(db: Knex, nowIso: string): Promise<number> {
  return db('sessions').where('expires_at', '<=', nowIso).delete();
}

/** A user change made outside the service (the CLI), waiting to be copied into the trail. */
export interface UserEventRow {
  id: number;
  time: string;
  actor: string;
  action: string;
  username: string;
  detail: string | null;
  recorded: boolean | number;
}

export async function insertUserEvent(db: Knex, e: Omit<UserEventRow, 'id' | 'recorded'>): Promise<void> {
  await db('user_events').insert({ ...e, recorded: false });
}

export async function pendingUserEvents(db: Knex, limit = 500): Promise<UserEventRow[]> {
  return db('user_events').where({ recorded: false }).orderBy('id').limit(limit).select<UserEventRow[]>('*');
}

export async function markUserEventsRecorded(db: Knex, ids: number[]): Promise<void> {
  if (ids.length) await db('user_events').whereIn('id', ids).update({ recorded: true });
}
