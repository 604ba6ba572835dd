// @vitest-environment happy-dom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from './index.js';
import { showReminderModal } from './modal.js';
import { reminderItems } from './findings.js';

// A real HTTP server that behaves like a broken service: one route never answers, one answers an error.
let server: Server;
let base = '';
const received: unknown[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    // The HIS page is another origin here: answer CORS like a reverse proxy in front of the service would.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url, body: body ? JSON.parse(body) : null });
      if (req.url?.startsWith('/slow/')) return; // never answers
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ infcode: -1, err_msg: '数据库不可用' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('check() fails open', () => {
  it('resolves 放行 at the timeout when the service does not answer', async () => {
    const started = Date.now();
    const r = await check({ infno: '3101', input: {} }, { baseUrl: `${base}/slow`, timeoutMs: 300 });
    const took = Date.now() - started;
    expect(r).toMatchObject({ decision: '放行', failOpen: true, findings: [] });
    expect(r.error).toContain('超时');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
    expect(document.querySelector('[data-preaudit-reminder]')).toBeNull();
  });

  it('resolves 放行 on an error answer and when nothing listens', async () => {
    const r = await check({ infno: '3102' }, { baseUrl: base, timeoutMs: 2000 });
    expect(r).toMatchObject({ decision: '放行', failOpen: true, error: '数据库不可用' });
    expect(received.at(-1)).toMatchObject({ url: '/nhsa/3102' });
    const down = await check({ infno: '3101' }, { baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect(down).toMatchObject({ decision: '放行', failOpen: true });
  });
});

describe('the modal', () => {
  const items = reminderItems([
    { jr_id: 'J1', rule_name: '药品区分性别使用', sev_deg: '1', vola_cont: '「比卡鲁胺片」限男性使用', vola_evid: '项目：比卡鲁胺片；限定：男性', vola_amt: 35.5 },
    { jr_id: 'J2', rule_name: '药品儿童专用', sev_deg: '2', vola_cont: '儿童专用', vola_evid: '项目：儿童清肺口服液；限定：儿童（18岁以下）', vola_amt: 28 },
  ]);

  it('lists findings by severity and requires a reason for 继续执行 before submitting', async () => {
    const done = showReminderModal(items);
    const root = document.querySelector('[data-preaudit-reminder]')!.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).toBe('医保智能审核提醒');
    const cards = [...root.querySelectorAll('[data-finding]')];
    expect(cards.map((c) => c.getAttribute('data-finding'))).toEqual(['J1', 'J2']);
    expect(cards[0].textContent).toContain('明确违规');
    expect(cards[0].textContent).toContain('限定：男性');
    const submit = root.querySelector<HTMLButtonElement>('[data-action=submit]')!;
    expect(submit.disabled).toBe(true);

    const pick = (card: Element, value: string) => {
      const input = card.querySelector<HTMLInputElement>(`input[value="${value}"]`)!;
      input.checked = true;
      input.dispatchEvent(new Event('change'));
    };
    pick(cards[0], '继续执行');
    pick(cards[1], '返回修改');
    expect(submit.disabled).toBe(true); // the reason is still empty
    const reason = cards[0].querySelector<HTMLInputElement>('[data-reason]')!;
    reason.value = '患者已签署自费知情同意书';
    reason.dispatchEvent(new Event('input'));
    expect(submit.disabled).toBe(false);
    submit.click();
    expect(await done).toEqual([
      { id: 'J1', choice: '继续执行', reason: '患者已签署自费知情同意书' },
      { id: 'J2', choice: '返回修改', reason: '' },
    ]);
    expect(document.querySelector('[data-preaudit-reminder]')).toBeNull();
  });
});
