/**
 * The browser suite's world: a generated hospital (his-fixtures, SQLite HIS views), the real
 * service (buildApp on a real SQLite file, listening on a loopback port) with console users of
 * every role, real-time checks posted through /nhsa/3101, and Debian's chromium driven by
 * playwright-core. Nothing is mocked.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '@preaudit/server';
import { withHospital, type TestHospital } from '@preaudit/his-fixtures/testing';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'Preaudit-e2e-2026';
const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..', '..', '..');
const SCREENSHOTS = path.join(REPO, 'docs', 'screenshots');

/** The console users the suite logs in as (username → role, departments). */
export const USERS = {
  admin: { userRole: 'admin', displayName: '系统管理员' },
  wang: { userRole: 'reviewer', displayName: '王审核' },
  zhou: { userRole: 'head', displayName: '周主任' },
  li: { userRole: 'dept-head', displayName: '李主任（急诊科）', departments: ['A03'] },
  ju: { userRole: 'bureau', displayName: '医保局张科长' },
} as const;
export type UserName = keyof typeof USERS;

/**
 * The service's decorations the suite uses (the server's .d.ts files do not carry its plugins'
 * module augmentations to other packages).
 */
export type ServiceApp = FastifyInstance & {
  db: Knex;
  users: { create(input: { username: string; password: string; userRole: string; displayName?: string; departments?: string[] }, actor: string): Promise<unknown> };
  trail: { flush(): Promise<void> };
  checkStore: { flush(): Promise<void> };
};

export interface World {
  app: ServiceApp;
  base: string;
  hospital: TestHospital;
  browser: Browser;
  close(): Promise<void>;
}

/** Fails with a clear message when the browser is missing, rather than skipping anything. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The console's browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei (.ci/run installs them). No browser test was skipped; this suite fails until it is installed.`,
    );
  }
}

/** A 3101 envelope from the repository's example, for one patient, department and doctor. */
function envelope3101(i: number, dept: { code: string; name: string }, doctor: { code: string; name: string }, day: string): Record<string, any> {
  const e = JSON.parse(readFileSync(path.join(REPO, 'examples', '3101-outpatient-violations.json'), 'utf8'));
  e.msgid = `H33010000001${day.replace(/-/g, '')}0930${String(100000 + i).slice(-6)}`;
  e.inf_time = `${day} 09:30:00`;
  const data = e.input.data;
  data.task_id = `E2E-${i}`;
  const patient = data.patient_dtos[0];
  patient.patn_id = `P3301000${String(10000 + i)}`;
  const enc = patient.fsi_encounter_dtos[1];
  enc.mdtrt_id = `MZ-E2E-${i}`;
  patient.curr_mdtrt_id = enc.mdtrt_id;
  enc.adm_date = day;
  enc.adm_dept_codg = dept.code;
  enc.adm_dept_name = dept.name;
  // A few orders per check keeps the queue small enough to read and still varied.
  enc.fsi_order_dtos = enc.fsi_order_dtos.slice(0, 3 + (i % 4)).map((o: Record<string, unknown>) => ({
    ...o,
    drord_begn_date: `${day} 09:0${i % 10}:00`,
    drord_dept_codg: dept.code,
    drord_dept_name: dept.name,
    drord_dr_codg: doctor.code,
    drord_dr_name: doctor.name,
  }));
  return e;
}

const DEPARTMENTS = [
  { code: 'A03', name: '急诊科' },
  { code: 'A01', name: '内科' },
  { code: 'A02', name: '外科' },
];
const DOCTORS = [
  { code: 'D0123', name: '王医生' },
  { code: 'D0456', name: '赵医生' },
  { code: 'D0789', name: '钱医生' },
];

/** yyyy-MM-dd, `daysAgo` days before today (local time). */
export function dayAgo(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Starts everything; `close()` stops it and removes the files. */
export async function startWorld(): Promise<World> {
  requireChromium();
  let release!: () => void;
  let hospitalDone!: Promise<void>;
  const hospital = await new Promise<TestHospital>((resolve, reject) => {
    hospitalDone = withHospital({ name: 'sqlite', client: 'better-sqlite3' }, { orderLines: 1500, seed: 14 }, (h) => {
      resolve(h);
      return new Promise<void>((r) => (release = r));
    }).catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'preaudit-console-e2e-'));
  const app = (await buildApp({
    databaseUrl: `sqlite:${path.join(dir, 'preaudit.db')}`,
    logger: false,
    auditJobs: { sources: { his: hospital.config }, pageSize: 10 },
  })) as ServiceApp;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  for (const [username, u] of Object.entries(USERS)) {
    await app.users.create({ username, password: PASSWORD, ...u, departments: 'departments' in u ? [...u.departments] : [] }, 'e2e-setup');
  }
  // Real-time checks over the last three weeks, through the national door the HIS uses.
  for (let i = 0; i < 18; i++) {
    const res = await fetch(`${base}/nhsa/3101`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope3101(i, DEPARTMENTS[i % 3], DOCTORS[(i + Math.floor(i / 3)) % 3], dayAgo(1 + (i % 20)))),
    });
    const reply = (await res.json()) as { infcode: number; output: { result: Array<{ jr_id: string }> } };
    if (reply.infcode !== 0) throw new Error(`3101 refused: ${JSON.stringify(reply)}`);
    // Doctors answered some reminders: 返回修改 for the first finding, 继续执行 with a reason for the second.
    if (i % 2 === 0 && reply.output.result.length >= 2) {
      const fb = JSON.parse(readFileSync(path.join(REPO, 'examples', '3103-feedback.json'), 'utf8'));
      fb.msgid = `H33010000001${dayAgo(0).replace(/-/g, '')}0935${String(200000 + i).slice(-6)}`;
      fb.input.data.warns = [
        { warn_rslt_id: reply.output.result[0].jr_id, dspo_way: '2', dspo_way_rea: '' },
        { warn_rslt_id: reply.output.result[1].jr_id, dspo_way: '1', dspo_way_rea: i % 4 === 0 ? '患者病情需要，已告知自费' : '已签署知情同意书' },
      ];
      const r = await fetch(`${base}/nhsa/3103`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fb) });
      if (!r.ok) throw new Error(`3103 refused: ${await r.text()}`);
    }
  }
  await app.checkStore.flush();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    app,
    base,
    hospital,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      release();
      await hospitalDone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context at 1366×768 (the screens hospitals use), Chinese locale. */
export async function newPage(world: World): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: world.base, acceptDownloads: true });
  const page = await context.newPage();
  return { context, page };
}

/** Logs in through the login page and waits for the shell. */
export async function login(world: World, user: UserName): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await newPage(world);
  await page.goto('/console/login');
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=who]').waitFor();
  return { context, page };
}

/** Saves a screenshot of the page to docs/screenshots/<name>.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // let charts finish their entry animation
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
