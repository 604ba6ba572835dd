/**
 * The doctor's reminder for a browser-based HIS (事前提醒):
 *
 *   <script src="/console/reminder.js"></script>
 *   const result = await preauditReminder.check(envelope, { timeoutMs: 3000 });
 *   if (result.decision === '返回修改') { ... keep the order form open ... }
 *
 * It posts the 3101 (or 3102, by `envelope.infno`) envelope, shows the 医保智能审核提醒 modal
 * when there are findings, sends the doctor's dispositions as 3103 and resolves with the
 * decision. It never blocks the order: on a timeout, a network error or an error reply it
 * resolves 放行 at once (fail-open) without showing anything.
 */
import { reminderItems, type NationalFinding, type ReminderItem } from './findings.js';
import { showReminderModal, type Disposition } from './modal.js';

export { reminderItems, evidenceParts, SEVERITY } from './findings.js';
export type { NationalFinding, ReminderItem } from './findings.js';
export type { Disposition } from './modal.js';

/** Options of check(). */
export interface CheckOptions {
  /** How long the 3101/3102 call (and, separately, the 3103 call) may take before failing open; default 3000 ms. */
  timeoutMs?: number;
  /** The service's origin, e.g. `http://10.0.0.5:8080`; default the page's own origin. */
  baseUrl?: string;
  /** A doctor-station API key, when the service requires keys. */
  apiKey?: string;
  /** The document to show the modal in (default `document`). */
  document?: Document;
}

/** What check() resolves with. */
export interface CheckResult {
  /** 放行: nothing to stop (no findings, or the service failed → fail-open); 返回修改: at least one finding sent back; 继续执行: every finding continued with a reason. */
  decision: '放行' | '返回修改' | '继续执行';
  /** True when the decision is 放行 because the service did not answer in time or failed. */
  failOpen: boolean;
  /** Why it failed open (timeout, network error, error reply). */
  error?: string;
  findings: ReminderItem[];
  dispositions: Disposition[];
  /** Whether the 3103 feedback was accepted (undefined when none was due). */
  feedbackSent?: boolean;
}

type Envelope = Record<string, unknown> & { infno?: string; input?: unknown };

async function post(url: string, body: unknown, options: CheckOptions): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 3000);
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: controller.signal });
    const reply = (await res.json()) as Record<string, unknown>;
    if (!res.ok || reply.infcode !== 0) throw new Error(typeof reply.err_msg === 'string' && reply.err_msg ? reply.err_msg : `HTTP ${res.status}`);
    return reply;
  } catch (err) {
    throw controller.signal.aborted ? new Error(`超时（${options.timeoutMs ?? 3000} ms）`) : err;
  } finally {
    clearTimeout(timer);
  }
}

function feedbackEnvelope(envelope: Envelope, dispositions: readonly Disposition[]): Envelope {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const infTime = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const msgid = typeof envelope.msgid === 'string' && envelope.msgid.length > 4 ? `${envelope.msgid.slice(0, -4)}${String(Date.now() % 10000).padStart(4, '0')}` : envelope.msgid;
  return {
    ...envelope,
    infno: '3103',
    msgid,
    inf_time: infTime,
    input: {
      data: {
        warn_type: '1',
        warns: dispositions.map((d) => ({ warn_rslt_id: d.id, dspo_way: d.choice === '继续执行' ? '1' : '2', dspo_way_rea: d.reason })),
      },
    },
  };
}

/** Checks the envelope, shows the reminder when needed, sends 3103, resolves with the decision (never rejects). */
export async function check(envelope: Envelope, options: CheckOptions = {}): Promise<CheckResult> {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const infno = envelope.infno === '3102' ? '3102' : '3101';
  let reply: Record<string, unknown>;
  try {
    reply = await post(`${base}/nhsa/${infno}`, { ...envelope, infno }, options);
  } catch (err) {
    return { decision: '放行', failOpen: true, error: err instanceof Error ? err.message : String(err), findings: [], dispositions: [] };
  }
  const output = reply.output as { result?: NationalFinding[] } | undefined;
  const items = reminderItems(Array.isArray(output?.result) ? output.result : []);
  if (items.length === 0) return { decision: '放行', failOpen: false, findings: [], dispositions: [] };
  const dispositions = await showReminderModal(items, options.document ?? document);
  let feedbackSent = false;
  try {
    await post(`${base}/nhsa/3103`, feedbackEnvelope(envelope, dispositions), options);
    feedbackSent = true;
  } catch {
    feedbackSent = false; // feedback is best-effort: the doctor's decision stands either way
  }
  const decision = dispositions.some((d) => d.choice === '返回修改') ? '返回修改' : '继续执行';
  return { decision, failOpen: false, findings: items, dispositions, feedbackSent };
}
