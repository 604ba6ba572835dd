/** Which pages each console role may open; the menu and the router guard both read this table. */

export type UserRole = 'reviewer' | 'head' | 'dept-head' | 'bureau' | 'admin';

/** The session as GET /v1/session describes it (console-auth contract). */
export interface SessionView {
  authMode: 'session' | 'key' | 'none';
  loginRequired: boolean;
  identity: { actor: string; role: string; userRole?: UserRole; departments?: string[] };
  user: { username: string; displayName: string; userRole: UserRole; departments: string[] } | null;
  permissions: { mayUnmask: boolean; finalDecision: boolean; review: boolean; manageUsers: boolean; rulebooks: boolean; departmentScope: string[] | null };
  csrfToken: string | null;
  expiresAt: string | null;
}

/** Chinese names of the roles. */
export const ROLE_NAMES: Readonly<Record<UserRole, string>> = Object.freeze({
  reviewer: '医保办审核员',
  head: '医保办主任',
  'dept-head': '科室主任',
  bureau: '医保局',
  admin: '系统管理员',
});

export interface PageDef {
  name: string;
  path: string;
  title: string;
  icon: string;
  roles: readonly UserRole[];
}

/** The pages in menu order, with the roles the service lets call their APIs. */
export const PAGES: readonly PageDef[] = Object.freeze([
  { name: 'overview', path: '/overview', title: '总览', icon: 'DataAnalysis', roles: ['reviewer', 'head', 'dept-head', 'admin'] },
  { name: 'review', path: '/review', title: '疑点审核', icon: 'DocumentChecked', roles: ['reviewer', 'head', 'dept-head', 'bureau', 'admin'] },
  { name: 'drilldown', path: '/drilldown', title: '科室 / 医生', icon: 'OfficeBuilding', roles: ['reviewer', 'head', 'dept-head', 'admin'] },
  { name: 'jobs', path: '/jobs', title: '审核任务', icon: 'Timer', roles: ['reviewer', 'head', 'admin'] },
  { name: 'rulebooks', path: '/rulebooks', title: '规则库', icon: 'Collection', roles: ['reviewer', 'head', 'bureau', 'admin'] },
  { name: 'compliance', path: '/compliance', title: '遵从率', icon: 'TrendCharts', roles: ['reviewer', 'head', 'dept-head', 'admin'] },
]);

/**
 * The console role of a session: a user's role; with keys or in keyless dev mode (no users),
 * the service role decides (admin / none → everything).
 */
export function consoleRole(session: SessionView | null): UserRole | null {
  if (!session) return null;
  if (session.user) return session.user.userRole;
  if (session.identity.userRole) return session.identity.userRole;
  const role = session.identity.role;
  if (role === 'admin' || role === 'none') return 'admin';
  if (role === 'insurance-office') return 'reviewer';
  if (role === 'department') return 'dept-head';
  if (role === 'bureau') return 'bureau';
  return null;
}

/** The pages a role may open. */
export function pagesFor(role: UserRole | null): PageDef[] {
  return role ? PAGES.filter((p) => p.roles.includes(role)) : [];
}
