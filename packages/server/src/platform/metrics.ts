/**
 * Prometheus metrics (`app.metrics`), one registry per app so tests can build many apps:
 * requests, latency histogram, checks, findings by rule, errors by code, storage queue.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** Metric objects and their registry. */
    metrics: Metrics;
  }
}

/**
 * A counter whose increments are summed in a plain Map and handed to prom-client when scraped:
 * prom-client hashes the label set on every `inc`, which at ten findings a check costs more than
 * the rest of the metrics together.
 */
export class BufferedCounter<L extends string> {
  private readonly pending = new Map<string, { labels: Record<L, string | number>; n: number }>();
  /** The prom-client counter (what /metrics shows). */
  readonly counter: Counter<L>;
  private readonly names: readonly L[];

  constructor(config: { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }) {
    this.names = config.labelNames;
    const flush = () => this.flush();
    this.counter = new Counter<L>({
      ...config,
      collect() {
        flush();
      },
    });
  }

  /** Adds `value` (default 1) for these labels. */
  inc(labels: Record<L, string | number>, value = 1): void {
    let key = '';
    for (const n of this.names) key += `${labels[n]}\u0000`;
    const entry = this.pending.get(key);
    if (entry) entry.n += value;
    else this.pending.set(key, { labels, n: value });
  }

  /** Hands the sums to prom-client (called at scrape time). */
  flush(): void {
    for (const e of this.pending.values()) {
      if (e.n !== 0) this.counter.inc(e.labels, e.n);
      e.n = 0;
    }
  }
}

/** The service's metrics. */
export class Metrics {
  /** The registry /metrics serialises. */
  readonly registry = new Registry();
  /** HTTP requests by route, method and status. */
  readonly requests: BufferedCounter<'route' | 'method' | 'status'>;
  /** HTTP latency by route. */
  readonly latency: Histogram<'route'>;
  /** Checks evaluated by channel (nhsa, v1, cds, soap) and phase. */
  readonly checks: BufferedCounter<'channel' | 'infno'>;
  /** Engine time per check (ana_dura). */
  readonly analysis: Histogram;
  /** Findings by rule. */
  readonly findings: BufferedCounter<'rule_id'>;
  /** Errors answered, by stable code. */
  readonly errors: BufferedCounter<'code'>;
  /** Rules that failed while evaluating, by rule. */
  readonly ruleErrors: BufferedCounter<'rule_id'>;

  constructor() {
    const registers = [this.registry];
    this.requests = new BufferedCounter({ name: 'preaudit_http_requests_total', help: 'HTTP requests', labelNames: ['route', 'method', 'status'], registers });
    this.latency = new Histogram({
      name: 'preaudit_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.checks = new BufferedCounter({ name: 'preaudit_checks_total', help: 'Checks evaluated', labelNames: ['channel', 'infno'], registers });
    this.analysis = new Histogram({
      name: 'preaudit_check_analysis_seconds',
      help: 'Engine time per check (ana_dura)',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    });
    this.findings = new BufferedCounter({ name: 'preaudit_findings_total', help: 'Findings reported, by rule', labelNames: ['rule_id'], registers });
    this.errors = new BufferedCounter({ name: 'preaudit_errors_total', help: 'Error replies, by stable code', labelNames: ['code'], registers });
    this.ruleErrors = new BufferedCounter({ name: 'preaudit_rule_errors_total', help: 'Rules that failed while evaluating', labelNames: ['rule_id'], registers });
  }

  /** Adds a gauge read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}

export default fp(
  async (app) => {
    const metrics = new Metrics();
    collectDefaultMetrics({ register: metrics.registry, prefix: 'preaudit_' });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      // Unmatched URLs share one label, so scanners cannot blow up the label space.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requests.inc({ route, method: request.method, status: reply.statusCode });
      metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics' },
);
