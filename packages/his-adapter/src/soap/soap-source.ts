/**
 * A source over a HIS web service (SOAP): configured by WSDL URL, operation and a mapping of
 * the reply, with no code per hospital. The `soap` package is imported only when a SOAP
 * source is opened.
 */
import type { SoapSourceConfig } from '../config/source-config.js';
import type { ReadScope } from '../db/view-queries.js';
import type { CodeMapper } from '../mapping/code-mapper.js';
import { readAhead, type AuditSource, type PageOptions, type SourcePage } from '../source.js';
import { mapReply, payloadOf, pick } from './reply-mapping.js';

type Operation = (args: unknown) => Promise<[unknown, ...unknown[]]>;

/** Replaces {from}, {to}, {page}, {page_size}, {changed_after}, {changed_up_to} in string values. */
export function fillArgs(template: unknown, vars: Record<string, string | number | undefined>): unknown {
  if (typeof template === 'string') {
    const whole = /^\{(\w+)\}$/.exec(template);
    // A whole-value placeholder keeps the variable's type (a page number stays a number).
    if (whole && whole[1] in vars) return vars[whole[1]] ?? '';
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name] ?? '') : m));
  }
  if (Array.isArray(template)) return template.map((v) => fillArgs(v, vars));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillArgs(v, vars)]));
  }
  return template;
}

function usesPage(template: unknown): boolean {
  return JSON.stringify(template ?? {}).includes('{page}');
}

/** Reads the national model from a HIS web service. */
export class SoapSource implements AuditSource {
  readonly kind = 'soap' as const;
  readonly name: string;
  /** Problems met in replies (records skipped for a missing id), for the job's report. */
  readonly problems: string[] = [];

  private constructor(
    readonly config: SoapSourceConfig,
    private readonly call: Operation,
    readonly codeMapper?: CodeMapper,
    private readonly closeCodeMap?: () => Promise<void>,
  ) {
    this.name = config.name;
  }

  /** Fetches the WSDL and binds the operation; `codeMapper` supplies 对照 when the source has one. */
  static async open(config: SoapSourceConfig, codeMapper?: CodeMapper, closeCodeMap?: () => Promise<void>): Promise<SoapSource> {
    const soap = await import('soap');
    const client = await soap.createClientAsync(config.wsdl, {}, config.endpoint);
    const fn = (client as unknown as Record<string, unknown>)[`${config.operation}Async`];
    if (typeof fn !== 'function') {
      const ops = Object.keys(client)
        .filter((k) => k.endsWith('Async'))
        .map((k) => k.slice(0, -5));
      throw new Error(`the WSDL at ${config.wsdl} has no operation ${config.operation}; it has: ${ops.join(', ')}`);
    }
    return new SoapSource(config, (args) => (fn as Operation).call(client, args), codeMapper, closeCodeMap);
  }

  private vars(scope: ReadScope, page: number, size: number): Record<string, string | number | undefined> {
    return { from: scope.from, to: scope.to, changed_after: scope.changedAfter, changed_up_to: scope.changedUpTo, page, page_size: size };
  }

  /** Calls the operation once and returns the payload. */
  private async fetch(scope: ReadScope, page: number, size: number): Promise<unknown> {
    const [result] = await this.call(fillArgs(this.config.args, this.vars(scope, page, size)));
    return payloadOf(result, this.config.reply);
  }

  /** @inheritdoc */
  async count(scope: ReadScope): Promise<number | null> {
    if (!this.config.reply.total) return null;
    const total = pick(await this.fetch(scope, 1, this.config.page_size), this.config.reply.total);
    const n = Number(total);
    return Number.isFinite(n) ? n : null;
  }

  /** @inheritdoc */
  async maxChangeTime(): Promise<string | null> {
    return null;
  }

  private async readPage(scope: ReadScope, after: string | undefined, size: number): Promise<SourcePage | null> {
    const paged = usesPage(this.config.args);
    const page = after === undefined ? 1 : Number(after) + 1;
    if (!paged && page > 1) return null;
    const mapped = mapReply(await this.fetch(scope, page, size), this.config.reply);
    this.problems.push(...mapped.problems);
    if (mapped.encounters === 0 && mapped.problems.length === 0) return null;
    return { requests: mapped.requests, encounters: mapped.encounters, orders: mapped.orders, cursor: String(page) };
  }

  /** @inheritdoc */
  pages(scope: ReadScope, options: PageOptions = {}): AsyncIterable<SourcePage> {
    const size = options.pageSize ?? this.config.page_size;
    return readAhead((after) => this.readPage(scope, after, size), options.after);
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    await this.closeCodeMap?.();
  }
}
