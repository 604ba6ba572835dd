/**
 * Pull mode: polls the bureau's feed on an interval, fetches the bundles the service does not
 * have, and hands each to the same admission path as an upload. While the feed is down the
 * delay doubles up to a ceiling, so a hundred hospitals do not hammer a struggling server.
 */
import type { FeedEntry } from '@preaudit/rulebook-bundle';
import { fetchFeedBundle, readFeed, type FeedFetchOptions, type FeedValidators } from './feed-reader.js';

/** What a poll did. */
export interface PollOutcome {
  /** 'not-modified' = feed unchanged (304), 'ok' = read and processed, 'error' = feed or a bundle unreachable. */
  status: 'not-modified' | 'ok' | 'error';
  /** Bundles handed over and accepted. */
  accepted: string[];
  /** Bundles handed over and refused. */
  refused: string[];
  /** Why the poll failed. */
  error?: string;
}

/** Options of {@link FeedPoller}. */
export interface FeedPollerOptions extends FeedFetchOptions {
  /** Folder, feed.json path or URL. */
  source: string;
  /** Delay between polls while all is well. Default 5 minutes. */
  intervalMs?: number;
  /** Longest delay while the feed is down. Default 1 hour. */
  maxBackoffMs?: number;
  /** True when the service wants this bundle (it has no such version yet, and it is newer). */
  wants: (entry: FeedEntry) => boolean;
  /** Admits a fetched bundle (verify, test, store); resolves to whether it was accepted. */
  submit: (bundleText: string, entry: FeedEntry) => Promise<{ ok: boolean }>;
  /** Where problems are reported. */
  log?: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  /** Randomness for jitter, 0..1 (tests pin it). */
  random?: () => number;
}

/** Polls one feed. `start()` schedules itself; `pollOnce()` is what each tick runs. */
export class FeedPoller {
  private validators: FeedValidators = {};
  private readonly tried = new Set<string>();
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PollOutcome> | undefined;
  private stopped = true;

  constructor(private readonly options: FeedPollerOptions) {}

  /** Consecutive failed polls. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The delay before the next poll: the interval, doubled per consecutive failure, capped, ±10 % jitter. */
  nextDelayMs(): number {
    const interval = this.options.intervalMs ?? 5 * 60_000;
    const max = Math.max(interval, this.options.maxBackoffMs ?? 60 * 60_000);
    const base = Math.min(max, interval * 2 ** Math.min(this.failures, 30));
    const jitter = 0.9 + 0.2 * (this.options.random ?? Math.random)();
    return Math.round(base * jitter);
  }

  /** Polls now (joins a poll already under way). */
  pollOnce(): Promise<PollOutcome> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async poll(): Promise<PollOutcome> {
    const { source, timeoutMs, maxFeedBytes, maxBundleBytes, maxRedirects, allowedOrigins } = this.options;
    const limits: FeedFetchOptions = { timeoutMs, maxFeedBytes, maxBundleBytes, maxRedirects, allowedOrigins };
    const outcome: PollOutcome = { status: 'ok', accepted: [], refused: [] };
    try {
      const read = await readFeed(source, this.validators, limits);
      if (read.status === 'not-modified') {
        this.failures = 0;
        return { ...outcome, status: 'not-modified' };
      }
      for (const entry of read.feed.bundles) {
        // A bundle refused once is not fetched again unless the bureau re-publishes it (new hash).
        const key = `${entry.id}@${entry.version}#${entry.sha256 ?? ''}`;
        if (this.tried.has(key) || !this.options.wants(entry)) continue;
        const text = await fetchFeedBundle(source, entry, limits);
        const result = await this.options.submit(text, entry);
        this.tried.add(key);
        (result.ok ? outcome.accepted : outcome.refused).push(`${entry.id}@${entry.version}`);
      }
      // Only now: a bundle that could not be fetched must be tried again, not skipped by a 304.
      this.validators = read.validators;
      this.failures = 0;
      return outcome;
    } catch (err) {
      this.failures++;
      const error = (err as Error).message;
      this.options.log?.warn({ source, failures: this.failures, error }, 'rulebook feed unreachable; backing off');
      return { ...outcome, status: 'error', error };
    }
  }

  /** Starts polling: the first poll right away, then after each delay. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      // poll() turns failures into an outcome; the catch keeps a timer-driven promise from ever rejecting unhandled.
      void this.pollOnce()
        .catch((err: unknown) => this.options.log?.warn({ err }, 'rulebook feed poll failed'))
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.nextDelayMs());
          this.timer.unref();
        });
    };
    tick();
  }

  /** Stops polling and waits for a poll under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
