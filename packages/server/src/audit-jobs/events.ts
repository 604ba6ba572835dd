/**
 * Live progress of a job as server-sent events (GET /v1/audit-jobs/:id/events): the job is read
 * from the database on a short interval (so it follows a job run by any instance or worker) and
 * an event is written only when something changed:
 *   event: progress   the job (as GET /v1/audit-jobs/:id), at once and on every change
 *   event: done       the job once it is done, failed or cancelled; then the stream ends
 *   : ping            a comment every heartbeat, so proxies and idle timers keep the connection
 * Each open stream costs one small read per interval; an instance serves at most
 * `maxEventStreams` of them at once (503 beyond).
 */
import { PassThrough } from 'node:stream';
import type { JobView } from './job-store.js';

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

/** What a stream reads. */
export interface JobEventSource {
  /** The job now, or undefined when it is gone. */
  read(): Promise<JobView | undefined>;
  /** Read interval, ms. */
  intervalMs: number;
  /** Heartbeat interval, ms. */
  heartbeatMs: number;
  /** Called once when the stream ends or the client goes away. */
  onClose(): void;
  /** Where read failures go. */
  onError(err: unknown): void;
}

/** One server-sent event. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The fields whose change is worth an event (rate and ETA move with the clock alone). */
function changeKey(job: JobView): string {
  const { rate: _rate, eta_seconds: _eta, ...rest } = job;
  return JSON.stringify(rest);
}

/** A readable event stream for one job, starting with its current state. */
export function jobEventStream(first: JobView, src: JobEventSource): PassThrough {
  const out = new PassThrough();
  let last = '';
  let poll: NodeJS.Timeout | undefined;
  let closed = false;
  const heartbeat = setInterval(() => out.write(': ping\n\n'), src.heartbeatMs);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(poll);
    src.onClose();
  };
  out.on('close', close);
  out.on('finish', close);

  const emit = (job: JobView): boolean => {
    const key = changeKey(job);
    if (key !== last) {
      last = key;
      out.write(sseEvent('progress', job));
    }
    if (TERMINAL.has(job.state)) {
      out.end(sseEvent('done', job));
      return true;
    }
    return false;
  };

  const next = () => {
    poll = setTimeout(() => {
      src
        .read()
        .then((job) => {
          if (closed) return;
          if (!job) {
            out.end(sseEvent('error', { message: '任务已不存在' }));
            return;
          }
          if (!emit(job)) next();
        })
        .catch((err) => {
          src.onError(err);
          if (!closed) next();
        });
    }, src.intervalMs);
  };
  // A retry hint for EventSource, then the state as it is now.
  out.write('retry: 3000\n\n');
  if (!emit(first)) next();
  return out;
}
