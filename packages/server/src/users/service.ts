/**
 * Console users and their sessions: login with lockout, session lookup (absolute and idle expiry),
 * logout, and user management. Used by the `users` plugin (routes, the auth hook) and by the CLI,
 * with explicit dependencies (a knex instance and a clock), not the Fastify app.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { USER_ROLE_AS, type Identity, type UserRole } from '../platform/auth.js';
import { badInput, ErrorCode, PreauditError, type FieldProblem } from '../platform/errors.js';
import type { Role } from '../options.js';
import { dummyHash, hashPassword, passwordProblems, verifyPassword } from './password.js';
import type { ResolvedUsersOptions } from './options.js';
import {
  countUsers,
  deleteSession,
  deleteUserSessions,
  findSession,
  findUser,
  findUserById,
  insertSession,
  insertUser,
  listUsers,
  purgeExpiredSessions,
  touchSession,
  updateUser,
  type UserRow,
} from './user-store.js';

/** Every user role, in a stable order. */
export const USER_ROLES: readonly UserRole[] = ['reviewer', 'head', 'dept-head', 'bureau', 'admin'];

/** Login names: letters (CJK too), digits, `.`, `_`, `-`; 2–64 characters; stored lower-case. */
const USERNAME = /^[\p{L}\p{N}._-]{2,64}$/u;
export const USERNAME_PATTERN = '^[\\p{L}\\p{N}._-]{2,64}$';

/** last_seen_at is written at most this often per session (ms), not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** A user as the API shows it. */
export interface UserView {
  username: string;
  displayName: string;
  userRole: UserRole;
  role: Role;
  departments: string[];
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A session found for a cookie. */
export interface ActiveSession {
  identity: Identity;
  user: UserRow;
  /** SHA-256 of the token (the row's key). */
  idHash: string;
  csrfToken: string;
  expiresAt: string;
}

/** What a login produced. Failures carry the reason for the trail only; the reply never tells them apart. */
export type LoginResult =
  | { ok: true; user: UserRow; token: string; session: ActiveSession }
  | { ok: false; reason: 'unknown' | 'bad-password' | 'disabled' | 'locked'; lockedNow?: boolean; lockedUntil?: string };

/** Fields a new user is created with. */
export interface NewUser {
  username: string;
  displayName?: string;
  userRole: string;
  departments?: string[];
  password: string;
}

/** Changes to a user. */
export interface UserPatch {
  displayName?: string;
  userRole?: string;
  departments?: string[];
  disabled?: boolean;
  unlock?: boolean;
}

/** The login name as stored: trimmed, NFC, lower-case. */
export function normaliseUsername(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The CSRF token of a session: derived from its secret token, so it is tied to the session and need not be stored. */
function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('preaudit-csrf').digest('base64url');
}

function departmentsOf(row: UserRow): string[] {
  if (!row.departments) return [];
  try {
    const d = JSON.parse(row.departments) as unknown;
    return Array.isArray(d) ? d.map(String) : [];
  } catch {
    return [];
  }
}

/** The caller a user is: actor = login name, the service role its user role acts as. */
function identityOf(row: UserRow): Identity {
  const role = USER_ROLE_AS[row.user_role];
  const identity: Identity = { actor: row.username, role, userRole: row.user_role };
  if (row.user_role === 'dept-head') identity.departments = Object.freeze(departmentsOf(row));
  return Object.freeze(identity);
}

export function userView(row: UserRow, now: Date): UserView {
  const locked = row.locked_until && row.locked_until > now.toISOString() ? row.locked_until : null;
  return {
    username: row.username,
    displayName: row.display_name,
    userRole: row.user_role,
    role: USER_ROLE_AS[row.user_role],
    departments: departmentsOf(row),
    disabled: !!row.disabled,
    lockedUntil: locked,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function notFound(username: string): PreauditError {
  return new PreauditError(ErrorCode.notFound, `用户 ${username} 不存在`);
}

/** See the file comment. */
export class UserService {
  private known = false;
  private checkedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    private readonly options: ResolvedUsersOptions,
  ) {}

  /**
   * Does any user exist? Users are never deleted, so once true it stays true; while false the
   * database is asked at most once a second (a user may be added by the CLI meanwhile).
   */
  async anyUsers(): Promise<boolean> {
    if (this.known) return true;
    const t = Date.now();
    if (t - this.checkedAt < 1000) return false;
    this.checkedAt = t;
    this.known = (await countUsers(this.db)) > 0;
    return this.known;
  }

  /** Checks a login; on success opens a session. Counts failures and locks the account after too many. */
  async login(usernameRaw: string, password: string, meta: { ip?: string; userAgent?: string } = {}): Promise<LoginResult> {
    const now = this.now();
    const nowIso = now.toISOString();
    const user = await findUser(this.db, normaliseUsername(usernameRaw));
    if (!user) {
      await verifyPassword(password, await dummyHash(this.options.passwordCost));
      return { ok: false, reason: 'unknown' };
    }
    if (user.locked_until && user.locked_until > nowIso) {
      await verifyPassword(password, await dummyHash(this.options.passwordCost));
      return { ok: false, reason: 'locked', lockedUntil: user.locked_until };
    }
    const ok = await verifyPassword(password, user.password_hash);
    if (!ok) return this.failed(user, now);
    if (user.disabled) return { ok: false, reason: 'disabled' };
    await updateUser(this.db, user.id, { failed_attempts: 0, first_failed_at: null, locked_until: null, last_login_at: nowIso });
    await purgeExpiredSessions(this.db, nowIso);
    const token = randomBytes(32).toString('base64url');
    const idHash = sha256(token);
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs).toISOString();
    await insertSession(this.db, {
      id_hash: idHash,
      user_id: user.id,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: expiresAt,
      idle_timeout_s: Math.ceil(this.options.sessionIdleMs / 1000),
      ip: meta.ip?.slice(0, 64) ?? null,
      user_agent: meta.userAgent?.slice(0, 200) ?? null,
    });
    const fresh = { ...user, last_login_at: nowIso, failed_attempts: 0, first_failed_at: null, locked_until: null };
    return { ok: true, user: fresh, token, session: { identity: identityOf(fresh), user: fresh, idHash, csrfToken: csrfTokenOf(token), expiresAt } };
  }

  /** Counts a failure in the current window (atomically), locking the account at the limit. */
  private async failed(user: UserRow, now: Date): Promise<LoginResult> {
    const nowIso = now.toISOString();
    const windowOpen = user.first_failed_at && now.getTime() - Date.parse(user.first_failed_at) < this.options.failureWindowMs;
    if (!windowOpen) await updateUser(this.db, user.id, { failed_attempts: 0, first_failed_at: nowIso });
    await this.db('users').where({ id: user.id }).increment('failed_attempts', 1);
    const after = await this.db('users').where({ id: user.id }).first<{ failed_attempts: number }>('failed_attempts');
    if (Number(after?.failed_attempts ?? 0) >= this.options.maxFailures) {
      const lockedUntil = new Date(now.getTime() + this.options.lockMs).toISOString();
      await updateUser(this.db, user.id, { failed_attempts: 0, first_failed_at: null, locked_until: lockedUntil });
      await deleteUserSessions(this.db, user.id);
      return { ok: false, reason: 'bad-password', lockedNow: true, lockedUntil };
    }
    return { ok: false, reason: 'bad-password' };
  }

  /** The live session of a cookie token, or undefined (unknown, expired, idle too long, user disabled). */
  async sessionFor(token: string): Promise<ActiveSession | undefined> {
    if (token.length < 16 || token.length > 128) return undefined;
    const idHash = sha256(token);
    const found = await findSession(this.db, idHash);
    if (!found) return undefined;
    const { session, user } = found;
    const now = this.now();
    const idleEnd = Date.parse(session.last_seen_at) + Number(session.idle_timeout_s) * 1000;
    if (session.expires_at <= now.toISOString() || idleEnd <= now.getTime() || user.disabled) {
      await deleteSession(this.db, idHash);
      return undefined;
    }
    if (now.getTime() - Date.parse(session.last_seen_at) >= TOUCH_EVERY_MS) await touchSession(this.db, idHash, now.toISOString());
    return { identity: identityOf(user), user, idHash, csrfToken: csrfTokenOf(token), expiresAt: session.expires_at };
  }

  /** Ends a session. */
  async logout(idHash: string): Promise<void> {
    await deleteSession(this.db, idHash);
  }

  async get(usernameRaw: string): Promise<UserRow | undefined> {
    return findUser(this.db, normaliseUsername(usernameRaw));
  }

  async list(opts: { q?: string; limit: number; offset: number }): Promise<{ total: number; rows: UserRow[] }> {
    return listUsers(this.db, opts);
  }

  /** Creates a user; throws 400 naming the field for bad input or a login name taken. */
  async create(input: NewUser, actor: string): Promise<UserRow> {
    const username = normaliseUsername(String(input.username ?? ''));
    const problems: FieldProblem[] = [];
    if (!USERNAME.test(username)) problems.push({ field: 'username', message: '登录名须为 2–64 个字母、数字或 . _ -' });
    const displayName = (input.displayName ?? username).trim();
    if (displayName.length < 1 || displayName.length > 100) problems.push({ field: 'displayName', message: '姓名须为 1–100 个字符' });
    const role = this.checkRole(input.userRole, problems);
    const departments = this.checkDepartments(role, input.departments, problems);
    problems.push(...passwordProblems(String(input.password ?? ''), username));
    if (problems.length) throw badInput(problems);
    if (await findUser(this.db, username)) throw badInput([{ field: 'username', message: '登录名已存在' }]);
    const nowIso = this.now().toISOString();
    const row: Omit<UserRow, 'id'> = {
      username,
      display_name: displayName,
      user_role: role!,
      departments: JSON.stringify(departments),
      password_hash: await hashPassword(input.password, this.options.passwordCost),
      disabled: false,
      failed_attempts: 0,
      first_failed_at: null,
      locked_until: null,
      last_login_at: null,
      password_changed_at: nowIso,
      created_by: actor,
      created_at: nowIso,
      updated_by: actor,
      updated_at: nowIso,
    };
    try {
      await insertUser(this.db, row);
    } catch (err) {
      // Two creations of the same name at once: the unique key decides.
      if (await findUser(this.db, username)) throw badInput([{ field: 'username', message: '登录名已存在' }]);
      throw err;
    }
    this.known = true;
    return (await findUser(this.db, username))!;
  }

  /** Changes name, role, departments, disabled or lock; a role change or disabling ends the user's sessions. */
  async update(usernameRaw: string, patch: UserPatch, actor: string): Promise<UserRow> {
    const user = await this.get(usernameRaw);
    if (!user) throw notFound(usernameRaw);
    const problems: FieldProblem[] = [];
    const changes: Partial<UserRow> = {};
    if (patch.displayName !== undefined) {
      const d = patch.displayName.trim();
      if (d.length < 1 || d.length > 100) problems.push({ field: 'displayName', message: '姓名须为 1–100 个字符' });
      changes.display_name = d;
    }
    const role = patch.userRole !== undefined ? this.checkRole(patch.userRole, problems) : user.user_role;
    if (patch.userRole !== undefined || patch.departments !== undefined) {
      const departments = this.checkDepartments(role, patch.departments ?? (role === 'dept-head' ? departmentsOf(user) : []), problems);
      if (role) changes.user_role = role;
      changes.departments = JSON.stringify(departments);
    }
    if (patch.disabled !== undefined) changes.disabled = patch.disabled;
    if (patch.unlock) Object.assign(changes, { locked_until: null, failed_attempts: 0, first_failed_at: null });
    if (problems.length) throw badInput(problems);
    const losesAdmin = user.user_role === 'admin' && !user.disabled && (changes.disabled === true || (changes.user_role !== undefined && changes.user_role !== 'admin'));
    if (losesAdmin && (await this.enabledAdmins()) <= 1) {
      throw badInput([{ field: changes.disabled ? 'disabled' : 'userRole', message: '至少须保留一个启用的管理员（admin）' }]);
    }
    Object.assign(changes, { updated_by: actor, updated_at: this.now().toISOString() });
    await updateUser(this.db, user.id, changes);
    if (changes.disabled || (changes.user_role && changes.user_role !== user.user_role) || changes.departments !== undefined) await deleteUserSessions(this.db, user.id);
    return (await findUserById(this.db, user.id))!;
  }

  /** Sets a new password (an admin's reset, or the CLI): unlocks the account and ends its sessions. */
  async resetPassword(usernameRaw: string, password: string, actor: string, field = 'password'): Promise<UserRow> {
    const user = await this.get(usernameRaw);
    if (!user) throw notFound(usernameRaw);
    const problems = passwordProblems(password, user.username, field);
    if (problems.length) throw badInput(problems);
    const nowIso = this.now().toISOString();
    await updateUser(this.db, user.id, {
      password_hash: await hashPassword(password, this.options.passwordCost),
      password_changed_at: nowIso,
      locked_until: null,
      failed_attempts: 0,
      first_failed_at: null,
      updated_by: actor,
      updated_at: nowIso,
    });
    await deleteUserSessions(this.db, user.id);
    return (await findUserById(this.db, user.id))!;
  }

  /** A user changes their own password: the current one must match; their other sessions end. */
  async changeOwnPassword(session: ActiveSession, current: string, next: string): Promise<void> {
    const user = await findUserById(this.db, session.user.id);
    if (!user || !(await verifyPassword(current, user.password_hash))) throw badInput([{ field: 'currentPassword', message: '当前密码不正确' }]);
    const problems = passwordProblems(next, user.username, 'newPassword');
    if (problems.length) throw badInput(problems);
    const nowIso = this.now().toISOString();
    await updateUser(this.db, user.id, {
      password_hash: await hashPassword(next, this.options.passwordCost),
      password_changed_at: nowIso,
      updated_by: user.username,
      updated_at: nowIso,
    });
    await deleteUserSessions(this.db, user.id, session.idHash);
  }

  private async enabledAdmins(): Promise<number> {
    const row = await this.db('users').where({ user_role: 'admin', disabled: false }).count<{ n: number | string }>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  private checkRole(value: unknown, problems: FieldProblem[]): UserRole | undefined {
    if (typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value)) return value as UserRole;
    problems.push({ field: 'userRole', message: `取值应为 ${USER_ROLES.join('/')}` });
    return undefined;
  }

  private checkDepartments(role: UserRole | undefined, value: unknown, problems: FieldProblem[]): string[] {
    const list = value === undefined || value === null ? [] : value;
    if (!Array.isArray(list) || list.some((d) => typeof d !== 'string' || d.trim() === '' || d.length > 64) || list.length > 500) {
      problems.push({ field: 'departments', message: '应为科室编码的数组（每个 1–64 个字符，最多 500 个）' });
      return [];
    }
    const codes = [...new Set(list.map((d: string) => d.trim()))];
    if (role === 'dept-head' && codes.length === 0) problems.push({ field: 'departments', message: '科室主任（dept-head）须至少指定一个科室编码' });
    if (role && role !== 'dept-head' && codes.length > 0) problems.push({ field: 'departments', message: '只有科室主任（dept-head）按科室限定' });
    return role === 'dept-head' ? codes : [];
  }
}
