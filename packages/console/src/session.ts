/** The logged-in person, shared by the shell, the router guard and the pages. */
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from './api.js';
import { consoleRole, type SessionView, type UserRole } from './roles.js';

export const session = reactive<{ view: SessionView | null; loaded: boolean }>({ view: null, loaded: false });

/** The console role of the current session (null = must log in). */
export function currentRole(): UserRole | null {
  return consoleRole(session.view);
}

function keep(view: SessionView | null): void {
  session.view = view;
  session.loaded = true;
  setCsrfToken(view?.csrfToken ?? null);
}

/** A service without user accounts (no /v1/session route): keyless loopback mode, everything open. */
const OPEN: SessionView = {
  authMode: 'none',
  loginRequired: false,
  identity: { actor: 'anonymous', role: 'none' },
  user: null,
  permissions: { mayUnmask: true, finalDecision: true, review: true, manageUsers: false, rulebooks: true, departmentScope: null },
  csrfToken: null,
  expiresAt: null,
};

/** Asks the service who we are; 401 means "log in". */
export async function loadSession(): Promise<SessionView | null> {
  try {
    keep(await api<SessionView>('GET', '/v1/session'));
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 401 && err.status !== 404)) throw err;
    keep(err.status === 404 ? OPEN : null);
  }
  return session.view;
}

export async function login(username: string, password: string): Promise<SessionView> {
  const view = await api<SessionView>('POST', '/v1/session', { username, password });
  keep(view);
  return view;
}

export async function logout(): Promise<void> {
  try {
    await api('DELETE', '/v1/session');
  } finally {
    keep(null);
  }
}
