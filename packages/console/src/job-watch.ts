/**
 * Follows one audit job: server-sent events from GET /v1/audit-jobs/:id/events when the service
 * has them, otherwise (the stream fails before its first event) polling GET /v1/audit-jobs/:id
 * once a second. Stops at done / failed / cancelled.
 */
import { api } from './api.js';

export interface JobView {
  id: string;
  source: string;
  phase: string;
  from: string | null;
  to: string | null;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  total: number | null;
  processed: number;
  findings: number;
  vola_amt: number;
  progress: number | null;
  rate: number | null;
  eta_seconds: number | null;
  created_by: string;
  created_at: string;
  error: string | null;
}

export interface JobWatch {
  close(): void;
}

const FINAL = new Set(['done', 'failed', 'cancelled']);

export function watchJob(id: string, handlers: { onUpdate(job: JobView): void; onMode?(mode: 'sse' | 'poll'): void; onEnd?(job: JobView | undefined): void }, pollMs = 1000): JobWatch {
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let source: EventSource | undefined;
  const end = (job?: JobView) => {
    if (closed) return;
    closed = true;
    source?.close();
    if (timer) clearTimeout(timer);
    handlers.onEnd?.(job);
  };
  const poll = async () => {
    if (closed) return;
    try {
      const job = await api<JobView>('GET', `/v1/audit-jobs/${id}`);
      handlers.onUpdate(job);
      if (FINAL.has(job.state)) return end(job);
    } catch {
      // a transient error: try again at the next tick
    }
    timer = setTimeout(() => void poll(), pollMs);
  };
  const startPolling = () => {
    handlers.onMode?.('poll');
    void poll();
  };
  if (typeof EventSource === 'undefined') {
    startPolling();
  } else {
    let received = false;
    source = new EventSource(`/v1/audit-jobs/${id}/events`, { withCredentials: true });
    const onJob = (e: MessageEvent) => {
      if (!received) handlers.onMode?.('sse');
      received = true;
      const job = JSON.parse(e.data as string) as JobView;
      handlers.onUpdate(job);
      if (FINAL.has(job.state)) end(job);
    };
    source.addEventListener('progress', onJob as EventListener);
    source.addEventListener('done', onJob as EventListener);
    source.onerror = () => {
      if (closed) return;
      // The stream never opened (no such route, or an error answer): fall back to polling;
      // after events have flowed EventSource reconnects by itself.
      if (!received) {
        source?.close();
        source = undefined;
        startPolling();
      }
    };
  }
  return { close: () => end() };
}
