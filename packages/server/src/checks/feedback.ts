/**
 * 3103 feedback (事前事中服务反馈): the doctor's disposition of each warning, stored against its
 * jr_id (one disposition per warning; a later one replaces an earlier one, the trail keeps both).
 * dspo_way 1 (继续执行) needs a reason; the whole message is refused if any warning lacks one.
 *
 * A warning's disposition belongs to whoever asked for the check that produced it: the same API
 * key (its actor label), and, when both name one, the same hospital (fixmedins_code); admin keys
 * may dispose of any. jr_ids are predictable, so without this any doctor-station key could
 * overwrite any warning's disposition. Dispositions of ids no check of ours produced are still
 * stored (a HIS may report warnings whose check was lost), but bounded: at most
 * `feedbackUnknownPerRequest` per message and `feedbackUnknownMax` in storage; the first to dispose
 * of an unknown id owns it. Every refusal is the whole message, naming the warn_rslt_id.
 */
import { textProblem } from '@preaudit/core-rules';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { Ajv, type ErrorObject } from 'ajv';
import { ErrorCode, PreauditError, badInput, pointerToPath, type FieldProblem } from '../platform/errors.js';
import type { CheckStore } from './check-store.js';
import { dialectOf } from '../platform/storage/connect.js';

const REASON_REQUIRED = '继续执行(dspo_way=1)时必须填写原因';

/** One disposition. */
export interface Disposition {
  /** Path of its id in the message (`input.data.warns[0].warn_rslt_id`), for refusals. */
  field: string;
  jr_id: string;
  /** 1 事前, 2 事中. */
  warn_type: string | null;
  /** 1 继续执行, 2 返回修改. */
  dspo_way: '1' | '2';
  dspo_way_rea: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** warnRsltId → warn_rslt_id (legacy camelCase senders). */
const snakeKey = (k: string): string => (/[A-Z]/.test(k) ? k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : k);

function snake(obj: Record<string, unknown>): Record<string, unknown> {
  // Keys come from the input: an own `__proto__` (JSON.parse makes one) must not become this object's prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k in obj) out[snakeKey(k)] = obj[k];
  return out;
}

const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' || typeof v === 'number' ? String(v).trim() : null);

/**
 * 3103 `input.data` as validated, after `readable` has snake-cased the keys and made the codes
 * text (a HIS may send `dspo_way: 1` or `" 1 "`; absent, null and non-text values are left out,
 * so they read as missing).
 */
const feedbackDataValidation = {
  type: 'object',
  required: ['warns'],
  properties: {
    warn_type: { type: 'string', enum: ['1', '2'] },
    warns: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['warn_rslt_id', 'dspo_way'],
        properties: {
          warn_rslt_id: { type: 'string', minLength: 1, maxLength: 80, storable: true },
          dspo_way: { type: 'string', enum: ['1', '2'] },
          dspo_way_rea: { type: 'string', storable: true },
        },
        // 继续执行 needs a reason.
        if: { type: 'object', required: ['dspo_way'], properties: { dspo_way: { const: '1' } } },
        then: { type: 'object', required: ['dspo_way_rea'], properties: { dspo_way_rea: { type: 'string', minLength: 1 } } },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
// Text the database cannot store (NUL, lone surrogates) is refused with core-rules' wording.
ajv.addKeyword({
  keyword: 'storable',
  type: 'string',
  errors: true,
  validate: function storable(_schema: unknown, value: string) {
    const problem = textProblem(value);
    if (problem) (storable as unknown as { errors: Partial<ErrorObject>[] }).errors = [{ keyword: 'storable', message: problem, params: {} }];
    return problem === undefined;
  },
});
const validateFeedback = ajv.compile(feedbackDataValidation);

/** The message for each field and keyword, as 3103 callers have always been answered. */
const MESSAGES: Record<string, Record<string, string>> = {
  '': { type: '应为对象' },
  warn_type: { type: '取值应为 1(事前)/2(事中)', enum: '取值应为 1(事前)/2(事中)' },
  warns: { required: '缺少必填字段', type: '应为非空数组', minItems: '应为非空数组' },
  warn: { type: '应为对象' },
  warn_rslt_id: { required: '缺少必填字段', minLength: '缺少必填字段', maxLength: '长度超过 80' },
  dspo_way: { required: '缺少必填字段', type: '取值应为 1(继续执行)/2(返回修改)', enum: '取值应为 1(继续执行)/2(返回修改)' },
  dspo_way_rea: { required: REASON_REQUIRED, minLength: REASON_REQUIRED },
};

/** The snake_case copy of 3103 data that is validated: codes as trimmed text, absent values left out. */
function readable(raw: Record<string, unknown>): Record<string, unknown> {
  const data = snake(raw);
  const warnType = text(data.warn_type);
  if (warnType === null) delete data.warn_type;
  else data.warn_type = warnType;
  if (Array.isArray(data.warns)) {
    data.warns = data.warns.map((w: unknown) => {
      if (!isObject(w)) return w;
      const warn = snake(w);
      for (const field of ['warn_rslt_id', 'dspo_way', 'dspo_way_rea']) {
        const value = text(warn[field]);
        if (value === null) delete warn[field];
        else warn[field] = value;
      }
      return warn;
    });
  }
  return data;
}

/** An ajv error as a problem naming the field (`input.data.warns[0].dspo_way`). */
function problemOf(e: ErrorObject, base: string): FieldProblem {
  const missing = e.keyword === 'required' ? String(e.params.missingProperty) : undefined;
  const path = pointerToPath(e.instancePath);
  const field = [base, path, missing]
    .filter((x) => x)
    .join('.')
    .replace(/\.\[/g, '[');
  const name = missing ?? /\.?([a-z_]+)$/.exec(path)?.[1] ?? (path ? 'warn' : '');
  return { field, message: e.keyword === 'storable' ? (e.message ?? '') : (MESSAGES[name]?.[e.keyword] ?? e.message ?? '无效') };
}

/** Validates 3103 `data` (path prefix for messages given); throws PreauditError naming every bad field. */
export function parseFeedback(raw: unknown, base = 'input.data'): Disposition[] {
  if (!isObject(raw)) throw badInput([{ field: base, message: '应为对象' }]);
  const data = readable(raw);
  if (!validateFeedback(data)) {
    // `if` only says that `then` failed; the `then` errors name the field.
    const problems = validateFeedback.errors!.filter((e) => e.keyword !== 'if').map((e) => problemOf(e, base));
    const reasonOnly = problems.every((p) => p.message === REASON_REQUIRED);
    throw badInput(problems, reasonOnly ? ErrorCode.reasonRequired : ErrorCode.badInput);
  }
  const warnType = typeof data.warn_type === 'string' ? data.warn_type : null;
  return (data.warns as Array<Record<string, string | undefined>>).map((w, i) => ({
    field: `${base}.warns[${i}].warn_rslt_id`,
    jr_id: w.warn_rslt_id!,
    warn_type: warnType,
    dspo_way: w.dspo_way as '1' | '2',
    dspo_way_rea: w.dspo_way_rea || null,
  }));
}

/** Where a feedback came from. */
export interface FeedbackContext {
  msgid: string | null;
  actor: string;
  /** The caller's role (admin may dispose of any warning). */
  role: string;
  /** fixmedins_code of the 3103 envelope, when there is one. */
  hospital: string | null;
  channel: 'nhsa' | 'cds' | 'soap' | 'v1';
}

/** Who asked for the check behind a warning. `actor` null: a finding stored before owners were recorded. */
interface Owner {
  actor: string | null;
  hospital: string | null;
}

/** What storing feedback needs of the service, and nothing more. */
export interface FeedbackDeps {
  /** The database (findings and feedback tables). */
  db: Knex;
  /** The service clock. */
  now: () => Date;
  /** Bounds on dispositions of unknown warnings. */
  limits: FastifyInstance['config']['feedbackLimits'];
  /** Owners of findings still in the write-behind queue. */
  checkStore: Pick<CheckStore, 'pendingFindingOwner'>;
  /** Where a failed write is logged. */
  log: Pick<FastifyBaseLogger, 'error'>;
  /**
   * Several instances on one server database: a 3103 may reach another instance than its 3101
   * before that instance has written the check (write-behind). Ids found neither stored nor
   * pending here are looked up once more after this wait, ms (0 on SQLite: one instance).
   */
  peerWaitMs?: number;
}

/** The dependencies of `storeFeedback`, taken from the app once (when a door's routes register). */
export function feedbackDeps(app: FastifyInstance): FeedbackDeps {
  // Another instance writes a check within its flush interval plus a batch write or two.
  const peerWaitMs = dialectOf(app.db) === 'sqlite' ? 0 : Math.min(2000, app.config.flushIntervalMs * 3 + 100);
  return { db: app.db, now: app.config.now, limits: app.config.feedbackLimits, checkStore: app.checkStore, log: app.log, peerWaitMs };
}

function owns(owner: Owner, ctx: FeedbackContext): boolean {
  if (ctx.role === 'admin') return true;
  if (owner.actor !== null && owner.actor !== ctx.actor) return false;
  return !(owner.hospital && ctx.hospital && owner.hospital !== ctx.hospital);
}

async function chunked<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await query(ids.slice(i, i + 500))));
  return out;
}

/**
 * Stores dispositions (one transaction) after checking that each belongs to the caller (see the
 * top of this file); returns the jr_ids no check of ours produced (stored, within the bounds).
 * Throws PreauditError naming each refused warn_rslt_id.
 */
export async function storeFeedback(deps: FeedbackDeps, items: Disposition[], ctx: FeedbackContext): Promise<{ stored: number; unknown: string[] }> {
  // Ids go into WHERE clauses and columns: PostgreSQL refuses a NUL with a driver error.
  const unstorable = items.flatMap((d) => {
    const problem = textProblem(d.jr_id) ?? (d.jr_id.length > 80 ? '长度超过 80' : undefined);
    return problem ? [{ field: d.field, message: problem }] : [];
  });
  if (unstorable.length > 0) throw badInput(unstorable);
  const time = deps.now().toISOString();
  const ids = [...new Set(items.map((d) => d.jr_id))];
  const owners = new Map<string, Owner>();
  const found = await chunked(ids, (chunk) => deps.db('findings').whereIn('jr_id', chunk).select('jr_id', 'actor', 'hospital'));
  for (const r of found as Array<{ jr_id: string; actor: string | null; hospital: string | null }>) owners.set(r.jr_id, { actor: r.actor, hospital: r.hospital });
  for (const id of ids) {
    if (owners.has(id)) continue;
    const pending = deps.checkStore.pendingFindingOwner(id);
    if (pending) owners.set(id, pending);
  }
  let unknown = ids.filter((id) => !owners.has(id));
  if (unknown.length > 0 && deps.peerWaitMs) {
    await new Promise((r) => setTimeout(r, deps.peerWaitMs));
    const late = await chunked(unknown, (chunk) => deps.db('findings').whereIn('jr_id', chunk).select('jr_id', 'actor', 'hospital'));
    for (const r of late as Array<{ jr_id: string; actor: string | null; hospital: string | null }>) owners.set(r.jr_id, { actor: r.actor, hospital: r.hospital });
    unknown = ids.filter((id) => !owners.has(id));
  }
  // An unknown id already disposed of belongs to whoever did it first.
  const earlier = unknown.length === 0 ? [] : await chunked(unknown, (chunk) => deps.db('feedback').whereIn('jr_id', chunk).select('jr_id', 'actor'));
  const disposedBy = new Map((earlier as Array<{ jr_id: string; actor: string | null }>).map((r) => [r.jr_id, r.actor]));
  const fresh = new Set(unknown.filter((id) => !disposedBy.has(id)));

  const problems: FieldProblem[] = [];
  const limits = deps.limits;
  let freshSeen = 0;
  const counted = new Set<string>();
  for (const d of items) {
    const owner = owners.get(d.jr_id) ?? (disposedBy.has(d.jr_id) ? { actor: disposedBy.get(d.jr_id) ?? null, hospital: null } : undefined);
    if (owner && !owns(owner, ctx)) {
      problems.push({ field: d.field, message: '不是本调用方（同一密钥、同一机构）发起的审核提醒，不能反馈' });
      continue;
    }
    if (fresh.has(d.jr_id) && !counted.has(d.jr_id)) {
      counted.add(d.jr_id);
      if (++freshSeen > limits.unknownPerRequest) problems.push({ field: d.field, message: `未找到对应的审核记录（每条报文最多 ${limits.unknownPerRequest} 条未知标识）` });
    }
  }
  if (problems.length === 0 && fresh.size > 0) {
    const row = await deps.db('feedback').where({ known: false }).count({ n: '*' }).first();
    const stored = Number((row as { n?: unknown } | undefined)?.n ?? 0);
    if (stored + fresh.size > limits.unknownMax) {
      for (const d of items) if (fresh.has(d.jr_id)) problems.push({ field: d.field, message: `未找到对应的审核记录（未知标识已达上限 ${limits.unknownMax} 条）` });
    }
  }
  if (problems.length > 0) throw badInput(problems);

  // The last disposition of a warning in one message wins, as it would across messages.
  const latest = new Map<string, Disposition>();
  for (const d of items) latest.set(d.jr_id, d);
  const rows = [...latest.values()].map((d) => ({
    jr_id: d.jr_id,
    warn_type: d.warn_type,
    dspo_way: d.dspo_way,
    dspo_way_rea: d.dspo_way_rea,
    time,
    msgid: ctx.msgid?.slice(0, 64) ?? null,
    actor: ctx.actor.slice(0, 80),
    channel: ctx.channel,
    known: owners.has(d.jr_id),
  }));
  try {
    await deps.db.transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += 300) {
        await trx('feedback')
          .insert(rows.slice(i, i + 300))
          .onConflict('jr_id')
          .merge(['warn_type', 'dspo_way', 'dspo_way_rea', 'time', 'msgid', 'actor', 'channel']);
      }
    });
  } catch (err) {
    deps.log.error({ err }, 'feedback write failed');
    throw new PreauditError(ErrorCode.unavailable, '反馈保存失败，请重试');
  }
  return { stored: rows.length, unknown };
}

/** warn_msg for dispositions of unknown warnings. */
export function unknownWarning(unknown: string[]): string {
  if (unknown.length === 0) return '';
  return `以下违规标识未找到对应的审核记录（已保存）：${unknown.slice(0, 10).join('、')}${unknown.length > 10 ? ` 等 ${unknown.length} 条` : ''}`;
}
