/**
 * The console in a real browser against the real service (see world.test-helper.ts). Each block logs in as
 * the role a person doing that task has, does the task through the pages, and checks the
 * outcome against the service (its API or its database). Screenshots go to docs/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dayAgo, login, newPage, shoot, startWorld, type World } from './world.test-helper.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** GET through the page's own session (the same cookie the console uses). */
async function apiGet<T = any>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

const menu = async (page: Page) => await page.locator('[data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')));

describe('logging in and roles', () => {
  it('refuses a wrong password with one message', async () => {
    const { context, page } = await newPage(world);
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login/);
    await shoot(page, '0-login');
    await page.locator('input[name=username]').fill('wang');
    await page.locator('input[name=password]').fill('wrong-password-1');
    await page.locator('[data-test=login-submit]').click();
    await expect.poll(() => page.locator('[data-test=login-error]').textContent()).toContain('用户名或密码错误');
    await context.close();
  });

  it('shows each role its own menu and refuses pages the role may not open', async () => {
    const expected: Record<string, string[]> = {
      wang: ['overview', 'review', 'drilldown', 'jobs', 'rulebooks', 'compliance'],
      li: ['overview', 'review', 'drilldown', 'compliance'],
      ju: ['review', 'rulebooks'],
    };
    for (const [user, pages] of Object.entries(expected)) {
      const { context, page } = await login(world, user as 'wang');
      expect(await menu(page)).toEqual(pages);
      await context.close();
    }
    const { context, page } = await login(world, 'li');
    await page.goto('/console/jobs');
    await page.locator('[data-test=forbidden]').waitFor();
    expect(await page.locator('[data-test=forbidden]').textContent()).toContain('审核任务');
    // The service refuses too, whatever the menu shows.
    const res = await page.request.get('/v1/audit-jobs');
    expect(res.status()).toBe(403);
    await context.close();
  });
});

describe('总览', () => {
  it('shows the numbers the overview API gives for the same period', async () => {
    const { context, page } = await login(world, 'zhou');
    await page.goto('/console/overview');
    await page.locator('[data-kpi=checks] .value').waitFor();
    const from = dayAgo(29);
    const to = dayAgo(0);
    const api = await apiGet(page, `/v1/overview?from=${from}&to=${to}&top=10`);
    expect(api.checks.checks).toBe(18);
    const text = async (k: string) => (await page.locator(`[data-kpi=${k}] .value`).textContent())?.trim();
    await expect.poll(() => text('checks')).toBe(api.checks.checks.toLocaleString('zh-CN'));
    expect(await text('findings')).toBe(api.findings.findings.toLocaleString('zh-CN'));
    expect(await text('modified')).toBe(String(api.findings.modified));
    expect(await text('continued')).toBe(String(api.findings.continued));
    expect(await text('vola_amt')).toBe(`¥${api.findings.vola_amt.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    expect(await text('compliance_rate')).toBe(`${(api.findings.compliance_rate * 100).toFixed(1)}%`);
    const rows = await page.locator('[data-test=top-departments] .el-table__body tr').count();
    expect(rows).toBe(api.top_departments.length);
    await shoot(page, '1-overview');
    await context.close();
  });
});

describe('疑点审核', () => {
  async function openFirst(page: Page, status: string): Promise<number> {
    await page.goto(`/console/review`);
    await page.locator('[data-test=queue] .el-table__body tr').first().waitFor();
    const items = await apiGet(page, `/v1/review/items?status=${status}&from=${dayAgo(89)}&to=${dayAgo(0)}&limit=1`);
    const id = items.items[0].id as number;
    await page.locator(`[data-open="${id}"]`).first().click();
    await page.locator('[data-test=item-status]').waitFor();
    return id;
  }
  async function act(page: Page, action: string, text?: { reason?: string; explanation?: string }) {
    await page.locator(`[data-action=${action}]`).click();
    const dialog = page.locator('[data-test=action-dialog]');
    await dialog.waitFor();
    if (text?.reason) await page.locator('textarea[data-test=reason]').fill(text.reason);
    if (text?.explanation) await page.locator('textarea[data-test=explanation]').fill(text.explanation);
    await page.locator('[data-test=action-ok]').click();
    await dialog.waitFor({ state: 'hidden' });
  }
  const statusOf = async (page: Page, id: number) => (await apiGet(page, `/v1/review/items/${id}`)).item.status;

  it('takes an item 待审 → 转科室说明 → 科室说明 → 终审, with its history, and others to 确认违规 and 排除', async () => {
    // The reviewer refers one item to its department.
    let { context, page } = await login(world, 'wang');
    const referred = await openFirst(page, 'pending');
    const item = (await apiGet(page, `/v1/review/items/${referred}`)).item;
    expect(await page.locator('[data-test=patient]').textContent()).not.toContain('P3301000');
    expect(await page.locator('[data-test=unmask]').count()).toBe(0); // a reviewer may not unmask
    await page.locator('[data-test=orders] .order-offending').first().waitFor();
    await shoot(page, '2-review-item');
    await act(page, 'refer');
    expect(await statusOf(page, referred)).toBe('referred');

    // Exclusion needs a reason: OK stays disabled until one is typed.
    const excluded = await openFirst(page, 'pending');
    await page.locator('[data-action=exclude]').click();
    expect(await page.locator('[data-test=action-ok]').isDisabled()).toBe(true);
    await page.locator('textarea[data-test=reason]').fill('经核实为医生录入错误，已退费');
    await page.locator('[data-test=action-ok]').click();
    await page.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' });
    expect(await statusOf(page, excluded)).toBe('excluded');

    const confirmed = await openFirst(page, 'pending');
    await act(page, 'confirm');
    expect(await statusOf(page, confirmed)).toBe('confirmed');
    await context.close();

    // The department head of that department explains.
    if (item.department === 'A03') {
      ({ context, page } = await login(world, 'li'));
      await page.goto('/console/review');
      await page.locator(`[data-open="${referred}"]`).first().click();
      await act(page, 'explain', { explanation: '患者为急诊抢救，按病情需要用药，附病历首页' });
      expect(await statusOf(page, referred)).toBe('explained');
      await context.close();
    } else {
      // Items outside A03 are explained by an admin on the department's behalf.
      ({ context, page } = await login(world, 'admin'));
      await page.goto('/console/review');
      await page.locator(`[data-open="${referred}"]`).first().click();
      await act(page, 'explain', { explanation: '患者为急诊抢救，按病情需要用药，附病历首页' });
      expect(await statusOf(page, referred)).toBe('explained');
      await context.close();
    }

    // The head gives the final decision and may ask to unmask the patient: the request lands in the
    // trail under the head's name (the service keeps masked ids only, and says so).
    ({ context, page } = await login(world, 'zhou'));
    await page.goto('/console/review');
    await page.locator(`[data-open="${referred}"]`).first().click();
    await page.locator('[data-test=unmask]').click();
    await expect.poll(() => page.locator('[data-test=unmask-note]').textContent()).toContain('脱敏');
    await world.app.trail.flush();
    const unmasks = await world.app.db('audit_log').where({ actor: 'zhou', action: 'review.unmask' }).count({ n: '*' });
    expect(Number(unmasks[0].n)).toBe(1);
    await act(page, 'finalize');
    expect(await statusOf(page, referred)).toBe('final');
    const history = await page.locator('[data-test=history] .el-timeline-item').allTextContents();
    expect(history.join('\n')).toMatch(/wang：转科室说明/);
    expect(history.join('\n')).toMatch(/科室说明/);
    expect(history.join('\n')).toMatch(/zhou：终审/);
    await shoot(page, '2-review-history');
    await context.close();
  });

  it('filters on the server and exports the filtered view and an appeal packet as XLSX', async () => {
    const { context, page } = await login(world, 'wang');
    await page.goto('/console/review');
    await page.locator('[data-test=queue] .el-table__body tr').first().waitFor();
    await page.locator('input[data-test=f-rule]').fill('GZ10000301004000');
    await page.locator('[data-test=search]').click();
    const api = await apiGet(page, `/v1/review/items?rule_id=GZ10000301004000&from=${dayAgo(89)}&to=${dayAgo(0)}&with_total=true&limit=20`);
    expect(api.total).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-test=total]').textContent()).toBe(`共 ${api.total} 条`);
    const names = await page.locator('[data-test=queue] .el-table__body tr td:nth-child(4)').allTextContents();
    expect(new Set(names.map((n) => n.trim()))).toEqual(new Set(['药品区分性别使用']));
    await shoot(page, '2-review-queue');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = readFileSync(await download.path());
    expect(file.subarray(0, 2).toString()).toBe('PK'); // an Office Open XML (zip) workbook

    await page.locator(`[data-open="${api.items[0].id}"]`).first().click();
    const [appeal] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=appeal]').click()]);
    expect(
      readFileSync(await appeal.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await context.close();
  });
});

describe('科室 / 医生', () => {
  it('drills department → doctor → encounter → orders', async () => {
    const { context, page } = await login(world, 'zhou');
    await page.goto('/console/drilldown');
    await page.locator('[data-drill="A03"]').click();
    const doctor = page.locator('[data-test=ranking] [data-drill]').first();
    await doctor.waitFor();
    await doctor.click();
    const check = page.locator('[data-test=encounters] [data-check]').first();
    await check.waitFor();
    await check.click();
    await page.locator('[data-test=check-orders] .el-table__body tr').first().waitFor();
    expect(await page.locator('[data-test=check-orders] .order-offending').count()).toBeGreaterThan(0);
    await shoot(page, '3-drilldown');
    await context.close();
  });
});

describe('审核任务', () => {
  it('runs a 事后 job to completion with live progress and downloads its XLSX', async () => {
    const { context, page } = await login(world, 'wang');
    const streams: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/events')) streams.push(`${r.status()} ${r.headers()['content-type']}`);
    });
    await page.goto('/console/jobs');
    await page.locator('[data-test=job-start]').waitFor();
    const { from, to } = world.hospital.summary;
    await page.locator('[data-test=job-phase] >> text=事后审核').click();
    const inputs = page.locator('[data-test=job-period] input');
    await inputs.nth(0).fill(from);
    await inputs.nth(1).fill(to);
    await inputs.nth(1).press('Enter');
    await page.locator('[data-test=job-start]').click();
    await page.locator('[data-test=jobs] [data-state=done]').first().waitFor({ timeout: 120_000 });
    expect(streams.some((s) => s.startsWith('200 text/event-stream'))).toBe(true);
    const jobs = await apiGet(page, '/v1/audit-jobs?limit=1');
    const job = jobs.items[0];
    expect(job).toMatchObject({ state: 'done', from, to, phase: '事后' });
    expect(await page.locator(`[data-progress="${job.id}"]`).textContent()).toContain(`${job.processed.toLocaleString('zh-CN')} / ${job.total.toLocaleString('zh-CN')}`);
    await shoot(page, '4-jobs');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-xlsx="${job.id}"]`).click()]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await context.close();
  });
});

describe('规则库', () => {
  it('lists versions and opens the Chinese diff', async () => {
    const { context, page } = await login(world, 'ju');
    await page.goto('/console/rulebooks');
    await expect.poll(() => page.locator('[data-test=active-ref]').textContent()).toMatch(/^nhsa-liangku@/);
    const active = await page.locator('[data-test=active-ref]').textContent();
    await page.locator(`[data-diff="${active}"]`).click();
    const dialog = page.locator('[data-test=diff-dialog]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('的变化');
    await shoot(page, '5-rulebooks-diff');
    await context.close();
  });
});

describe('遵从率', () => {
  it('shows the compliance API total and the reasons doctors gave', async () => {
    const { context, page } = await login(world, 'zhou');
    await page.goto('/console/compliance');
    const api = await apiGet(page, `/v1/compliance?from=${dayAgo(29)}&to=${dayAgo(0)}&by=rule`);
    await expect.poll(async () => (await page.locator('[data-kpi=warnings] .value').textContent())?.trim()).toBe(String(api.total.warnings));
    expect(api.total.continued).toBeGreaterThan(0);
    expect(await page.locator('[data-test=compliance]').textContent()).toContain('患者病情需要，已告知自费');
    await shoot(page, '6-compliance');
    await context.close();
  });
});

describe("the doctor's reminder", () => {
  it('shows the findings, takes 继续执行 with a reason and stores the 3103 feedback', async () => {
    const { context, page } = await newPage(world);
    await page.goto('/console/demo/doctor-station');
    await page.locator('#submit').click();
    const modal = page.locator('[data-preaudit-reminder] .box');
    await modal.waitFor();
    expect(await modal.locator('h2').textContent()).toBe('医保智能审核提醒');
    const cards = modal.locator('[data-finding]');
    const n = await cards.count();
    expect(n).toBeGreaterThan(0);
    expect(await cards.first().textContent()).toContain('明确违规');
    await shoot(page, '7-reminder');
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const card = cards.nth(i);
      ids.push((await card.getAttribute('data-finding'))!);
      await card.locator('input[value=继续执行]').check();
      await card.locator('[data-reason]').fill('患者病情需要，已告知');
    }
    await modal.locator('[data-action=submit]').click();
    await expect.poll(() => page.locator('#result').getAttribute('data-decision')).toBe('继续执行');
    expect(await page.locator('#result').textContent()).toContain('3103 成功');
    const rows = await world.app.db('feedback').whereIn('jr_id', ids).select('jr_id', 'dspo_way', 'dspo_way_rea');
    expect(rows).toHaveLength(n);
    for (const r of rows) expect(r).toMatchObject({ dspo_way: '1', dspo_way_rea: '患者病情需要，已告知' });
    await context.close();
  });

  it('lets the order through (放行) within the timeout when the service does not answer', async () => {
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // accepts and never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const { context, page } = await newPage(world);
    await page.goto('/console/demo/doctor-station');
    await page.locator('#timeout').fill('1500');
    await page.locator('#baseUrl').fill(`http://127.0.0.1:${port}`);
    const started = Date.now();
    await page.locator('#submit').click();
    await expect.poll(() => page.locator('#result').getAttribute('data-decision'), { timeout: 5000 }).toBe('放行');
    const took = Date.now() - started;
    expect(took).toBeLessThan(4000);
    expect(await page.locator('#result').textContent()).toContain('已放行');
    expect(await page.locator('[data-preaudit-reminder]').count()).toBe(0);
    await context.close();
    for (const s of sockets) s.destroy();
    silent.close();
  });
});
