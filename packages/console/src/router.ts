/** Routes and the guard: not logged in → 登录; a page the role may not open → 无权访问. */
import { createRouter, createWebHistory, type RouteRecordRaw, type RouteRecordSingleView } from 'vue-router';
import { PAGES, pagesFor } from './roles.js';
import { currentRole, loadSession, session } from './session.js';

const components: Record<string, RouteRecordSingleView['component']> = {
  overview: () => import('./pages/OverviewPage.vue'),
  review: () => import('./pages/ReviewPage.vue'),
  drilldown: () => import('./pages/DrilldownPage.vue'),
  jobs: () => import('./pages/JobsPage.vue'),
  rulebooks: () => import('./pages/RulebooksPage.vue'),
  compliance: () => import('./pages/CompliancePage.vue'),
};

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/forbidden', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue') },
  ...PAGES.map((p) => ({ path: p.path, name: p.name, component: components[p.name], meta: { roles: p.roles, title: p.title } })),
  { path: '/', name: 'home', redirect: () => pagesFor(currentRole())[0]?.path ?? '/login' },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory('/console/'), routes });

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession();
  if (to.meta.public) return true;
  const role = currentRole();
  if (!role) return { name: 'login', query: { next: to.fullPath } };
  const roles = to.meta.roles as readonly string[] | undefined;
  if (roles && !roles.includes(role)) return { name: 'forbidden', query: { page: typeof to.meta.title === 'string' ? to.meta.title : to.path } };
  return true;
});
