/**
 * The versioned rulebook store behind `app.rulebooks`: which versions the service holds, which
 * one is active, what activates when, and the switch itself.
 *
 * The switch is one reference assignment. A candidate is verified, tested and compiled in full
 * before it is stored, so activating it later only swaps `current`; a request reads `active()`
 * once and keeps that compiled rulebook to the end, so requests in flight finish on the old
 * version and the next ones see the new one, never half of each. Every state change goes
 * through one queue (`serial`) and is written to the database before the swap, so the database
 * and memory agree on the order of activations.
 */
import type { Knex } from 'knex';
import { withDatabaseLock } from '../platform/storage/db-lock.js';
import { indexRulebook, compileRulebookFiles, parseDateTime, toWallClock, type CompiledRulebook, type RulebookFiles } from '@preaudit/core-rules';
import { bundleRulebookFiles, parseBundle, rulebookInfoOf, serializeBundle, sha256Hex, checkBundle, REFUSAL_INFO, type TrustedKeys, compareVersions } from '@preaudit/rulebook-bundle';
import { PreauditError, rulebookRefused, type ErrorCodeValue } from '../platform/errors.js';
import { shadowRun, type ShadowOptions, type ShadowReport } from './shadow.js';
import type { CheckLimits } from '../checks/check-limits.js';
import type { TrailEntry } from '../trail/plugin.js';
import {
  type ActivationKind,
  type ActivationRecord,
  type RulebookVersion,
  type VersionSource,
  insertActivation,
  insertVersion,
  lastActivation,
  readActivations,
  readBundleText,
  readVersions,
  updateVersion,
} from './version-rows.js';

/** Who asks for a change (goes into the trail and the version rows). */
export interface Caller {
  /** API key label, `feed`, `system`. */
  actor: string;
  /** Role. */
  role: string;
  /** Route or operation, for the trail. */
  route?: string;
}

/** A trail entry as the store writes it: what `app.trail.append` takes. */
export type StoreTrailEntry = TrailEntry;

/** What the store needs from the service. */
export interface RulebookStoreOptions {
  /** Storage (migrated). */
  db: Knex;
  /** Clock (tests pin it). */
  now: () => Date;
  /** Trusted bureau keys. */
  trustedKeys: TrustedKeys;
  /** The trail (the hash-chained log of every call). */
  trail: (entry: StoreTrailEntry) => void;
  /** Logger. */
  log?: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
  /** Told the id@version each time `active()` hands out the rulebook (the service notes it per request). */
  onActive?: (ref: string) => void;
  /** First retry delay after a scheduled activation failed on storage, ms (default 1000; doubles up to 5 minutes). */
  retryBaseMs?: number;
  /** Limits of one check: shadow runs replay within the same ones (default DEFAULT_CHECK_LIMITS). */
  checkLimits?: CheckLimits;
  /** Told after this instance changed the versions in the database (stored one, switched), so other instances can follow at once. */
  onChange?: () => void;
}

/** A failed store operation: the service's error (stable code, status, message, and the refusals of an upload). */
export interface StoreFailure {
  ok: false;
  error: PreauditError;
}

/** Result of a store operation. */
export type StoreResult<T> = ({ ok: true } & T) | StoreFailure;

/** How an accepted upload becomes active. */
export type ActivationMode = 'scheduled' | 'manual';

const refOf = (rb: { id: string; version: string }) => `${rb.id}@${rb.version}`;

function manifestObject(files: RulebookFiles): Record<string, unknown> {
  try {
    const m: unknown = typeof files.manifest === 'string' ? JSON.parse(files.manifest) : files.manifest;
    return typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** See the file comment. */
export class RulebookStore {
  private current: { ref: string; compiled: CompiledRulebook };
  private readonly compiled = new Map<string, CompiledRulebook>();
  private versionList: RulebookVersion[] = [];
  private serial: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private nextDue = Infinity;
  private closed = false;
  private tickQueued = false;
  /** Scheduled activations that failed in a row (storage errors); sets the retry backoff. */
  private tickFailures = 0;

  private constructor(
    private readonly opts: RulebookStoreOptions,
    initial: { ref: string; compiled: CompiledRulebook },
  ) {
    this.current = initial;
  }

  /**
   * Opens the store: restores the versions and the active one from the database, registering
   * the built-in rulebook (the one shipped with the service) on first start or after an
   * upgrade, then applies any activation that fell due while the service was down.
   */
  static async open(opts: RulebookStoreOptions, builtin: CompiledRulebook): Promise<RulebookStore> {
    const builtinRef = refOf(builtin);
    const store = new RulebookStore(opts, { ref: builtinRef, compiled: builtin });
    store.compiled.set(builtinRef, builtin);
    // Instances starting together on one database register the built-in rulebook once.
    await withDatabaseLock(opts.db, '.preaudit_rulebooks', () => store.restore(builtin));
    await store.tick();
    return store;
  }

  private async restore(builtin: CompiledRulebook): Promise<void> {
    const { db } = this.opts;
    const builtinRef = refOf(builtin);
    let versions = await readVersions(db);
    let active = versions.find((v) => v.state === 'active');
    const system: Caller = { actor: 'system', role: 'system', route: 'startup' };
    if (!versions.some((v) => v.ref === builtinRef)) {
      const sameId = versions.filter((v) => v.rulebook_id === builtin.id);
      const newest = sameId
        .map((v) => v.version)
        .sort(compareVersions)
        .at(-1);
      const newer = newest === undefined || compareVersions(builtin.version, newest) > 0;
      await insertVersion(db, this.row(builtin, { state: newer ? 'pending' : 'retired', source: 'builtin', caller: system }), null);
      this.opts.trail({ ...this.entry(system, 'rulebook.load', builtinRef, 'ok'), detail: { source: 'builtin' } });
      // A service upgrade that ships a newer national rulebook replaces the older built-in one,
      // never a rulebook the bureau sent.
      const upgrade = active && active.source === 'builtin' && active.rulebook_id === builtin.id && newer;
      if (!active || upgrade) {
        await this.persistActivation(builtinRef, active?.ref ?? null, active ? 'upgrade' : 'start', system);
        this.opts.trail({ ...this.entry(system, 'rulebook.activate', builtinRef, 'ok'), detail: { kind: active ? 'upgrade' : 'start', previous: active?.ref ?? null } });
      }
      versions = await readVersions(db);
      active = versions.find((v) => v.state === 'active');
    } else if (!active) {
      await this.persistActivation(builtinRef, null, 'start', system);
      versions = await readVersions(db);
      active = versions.find((v) => v.state === 'active');
    }
    this.versionList = versions;
    if (active && active.ref !== builtinRef) {
      const compiled = await this.compiledOf(active.ref);
      if (compiled) this.current = { ref: active.ref, compiled };
      else {
        // The stored bundle no longer loads (an engine upgrade tightened the schema): run on the
        // built-in rulebook rather than not at all, and say so loudly.
        this.opts.log?.error({ rulebook: active.ref }, 'active rulebook cannot be restored; falling back to the built-in one');
        this.opts.trail({ ...this.entry(system, 'rulebook.activate', builtinRef, 'fallback'), detail: { unrestorable: active.ref } });
        await this.persistActivation(builtinRef, active.ref, 'start', system);
        this.versionList = await readVersions(db);
      }
    }
    // Candidates are compiled now so activating them later is only a swap.
    for (const v of this.versionList) if (v.state === 'scheduled' || v.state === 'pending') await this.compiledOf(v.ref);
  }

  /** The rulebook to evaluate with now. Read it once per request and keep it. */
  active(): CompiledRulebook {
    if (this.nextDue !== Infinity && !this.tickQueued && toWallClock(this.opts.now()) >= this.nextDue) {
      // One queued tick is enough, however many requests notice the due time before it runs.
      this.tickQueued = true;
      void this.tick().finally(() => (this.tickQueued = false));
    }
    // One read of `current`: the ref reported and the rulebook returned are the same version.
    const current = this.current;
    this.opts.onActive?.(current.ref);
    return current.compiled;
  }

  /** Summary of the active rulebook (for /health). */
  info(): { id: string; version: string; name: string; issuer: string; rules: number; codes: number } {
    const rb = this.current.compiled;
    return { id: rb.id, version: rb.version, name: rb.name ?? rb.id, issuer: rb.issuer ?? '', rules: rb.rules.length, codes: rb.codeCount ?? 0 };
  }

  /** id@version of the active rulebook. */
  activeRef(): string {
    return this.current.ref;
  }

  /**
   * Brings this instance in line with the database, where another instance may have stored a
   * version or switched (several instances on one database): waiting versions are compiled
   * first, so the switch itself is a swap of one reference. Called on a NOTIFY and by the poll.
   * Returns whether the active version changed.
   */
  sync(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return this.exclusive(() => this.adopt());
  }

  private async adopt(): Promise<boolean> {
    const versions = await readVersions(this.opts.db);
    for (const v of versions) if (v.state === 'scheduled' || v.state === 'pending') await this.compiledOf(v.ref);
    const active = versions.find((v) => v.state === 'active');
    let changed = false;
    if (active && active.ref !== this.current.ref) {
      const compiled = await this.compiledOf(active.ref);
      if (compiled) {
        const from = this.current.ref;
        this.current = { ref: active.ref, compiled };
        changed = true;
        this.opts.log?.info({ rulebook: active.ref, previous: from }, 'rulebook switched (decided by another instance)');
      } else {
        this.opts.log?.error({ rulebook: active.ref }, 'the rulebook another instance activated cannot be restored here; the previous one stays');
      }
    }
    this.versionList = versions;
    this.arm();
    return changed;
  }

  /** Every version the service holds, newest first by load order. */
  versions(): RulebookVersion[] {
    return [...this.versionList].reverse();
  }

  /** One version by id@version. */
  version(ref: string): RulebookVersion | undefined {
    return this.versionList.find((v) => v.ref === ref);
  }

  /** Activation history, newest first. */
  activations(limit = 100): Promise<ActivationRecord[]> {
    return readActivations(this.opts.db, limit);
  }

  /** The compiled rulebook of a version (from memory, else compiled from its stored bundle). */
  async compiledOf(ref: string): Promise<CompiledRulebook | undefined> {
    const hit = this.compiled.get(ref);
    if (hit) return hit;
    const text = await readBundleText(this.opts.db, ref);
    if (!text) return undefined;
    const parsed = parseBundle(text);
    if (!parsed.ok) return undefined;
    const files = bundleRulebookFiles(parsed.bundle);
    if (!files.ok) return undefined;
    const loaded = compileRulebookFiles(files.files);
    if (!loaded.ok) {
      this.opts.log?.error({ rulebook: ref, problems: loaded.problems.slice(0, 5) }, 'stored rulebook no longer loads');
      return undefined;
    }
    const compiled = indexRulebook(loaded.rulebook);
    this.compiled.set(ref, compiled);
    return compiled;
  }

  /**
   * The files of a stored version (from its bundle), for a diff. The built-in rulebook has no
   * stored bundle: `builtinFiles` supplies its files when the service knows where they are.
   */
  async filesOf(ref: string, builtinFiles?: () => RulebookFiles | undefined): Promise<RulebookFiles | undefined> {
    const v = this.version(ref);
    if (!v) return undefined;
    if (v.source === 'builtin') {
      const files = builtinFiles?.();
      return files && refOf(rulebookInfoOf(manifestObject(files))) === ref ? files : undefined;
    }
    const text = await readBundleText(this.opts.db, ref);
    const parsed = text ? parseBundle(text) : undefined;
    if (!parsed?.ok) return undefined;
    const files = bundleRulebookFiles(parsed.bundle);
    return files.ok ? files.files : undefined;
  }

  /** Runs state changes one at a time, in call order. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * Admits a bundle (text, bytes or parsed JSON): verifies, tests, stores. `scheduled` (the
   * default) activates it at its effective time, at once if that has passed; `manual` keeps it
   * pending until `activate`. A refusal leaves everything as it was and is audited.
   */
  submit(input: unknown, caller: Caller, options: { source?: VersionSource; activation?: ActivationMode } = {}): Promise<StoreResult<{ version: RulebookVersion; activated: boolean }>> {
    return this.exclusive(async () => {
      await this.adopt();
      const source = options.source ?? 'upload';
      const result = checkBundle(input, {
        trustedKeys: this.opts.trustedKeys,
        knownVersions: (id) => this.versionList.filter((v) => v.rulebook_id === id).map((v) => v.version),
      });
      if (!result.ok) {
        const ref = result.rulebook ? refOf(result.rulebook) : null;
        this.opts.trail({
          ...this.entry(caller, 'rulebook.load', ref, `refused:${result.refusals[0].reason}`),
          detail: { source, refusals: result.refusals.slice(0, 20) },
        });
        const labels = [...new Set(result.refusals.map((r) => REFUSAL_INFO[r.reason].label))].join('；');
        return { ok: false as const, error: rulebookRefused(result.refusals, `${ref ? `${ref} ` : ''}${labels}`) };
      }
      const { compiled, bundle } = result;
      const ref = refOf(compiled);
      const text = serializeBundle(bundle);
      const mode = options.activation ?? 'scheduled';
      const row = this.row(compiled, {
        state: mode === 'manual' ? 'pending' : 'scheduled',
        source,
        caller,
        keyId: result.keyId ?? null,
        sha: sha256Hex(text),
        casesPassed: result.cases.passed,
      });
      await insertVersion(this.opts.db, row, text);
      this.opts.onChange?.();
      this.compiled.set(ref, compiled);
      this.versionList.push(row);
      this.opts.trail({
        ...this.entry(caller, 'rulebook.load', ref, 'ok'),
        detail: { source, key_id: result.keyId, state: row.state, effective_from: row.effective_from, cases: result.cases.passed },
      });
      const activated = mode === 'scheduled' ? await this.applyDue() : false;
      this.arm();
      return { ok: true as const, version: this.version(ref)!, activated: activated && this.current.ref === ref };
    });
  }

  /**
   * Activates a stored version now (a command). A version older than the newest one of its
   * rulebook that has been active is a downgrade (an old rulebook with rules the bureau has since
   * fixed): refused, since going back is what `rollback` is for, unless `force` carries a reason,
   * which lands in the audit trail. Who may force is the caller's business (the route: admin).
   */
  activate(ref: string, caller: Caller, options: { force?: { reason: string } } = {}): Promise<StoreResult<{ version: RulebookVersion; previous: string }>> {
    return this.exclusive(async () => {
      await this.adopt();
      const v = this.version(ref);
      if (!v) return this.fail(caller, 'rulebook.activate', ref, 'PA_NOT_FOUND', `没有规则库版本 ${ref}`);
      if (v.state === 'active') return this.fail(caller, 'rulebook.activate', ref, 'PA_RULEBOOK_CONFLICT', `${ref} 已是当前生效版本`);
      const reason = options.force?.reason.trim();
      if (options.force && !reason) return this.fail(caller, 'rulebook.activate', ref, 'PA_REASON_REQUIRED', 'reason: 强制启用旧版本须说明原因');
      const newest = this.versionList
        .filter((x) => x.rulebook_id === v.rulebook_id && (x.state === 'active' || x.activated_at !== null))
        .map((x) => x.version)
        .sort(compareVersions)
        .at(-1);
      const downgrade = newest !== undefined && compareVersions(v.version, newest) < 0;
      if (downgrade && !options.force)
        return this.fail(
          caller,
          'rulebook.activate',
          ref,
          'PA_RULEBOOK_CONFLICT',
          `${ref} 低于已生效过的版本 ${v.rulebook_id}@${newest}，不能直接启用：退回请用 rollback，或由管理员强制启用并说明原因（force、reason）`,
        );
      const previous = this.current.ref;
      const forced = downgrade ? { forced: true, reason } : undefined;
      const ok = await this.switchTo(ref, 'command', caller, previous, forced);
      if (!ok) return this.fail(caller, 'rulebook.activate', ref, 'PA_RULEBOOK_CONFLICT', `${ref} 的规则包无法恢复，不能启用`);
      return { ok: true as const, version: this.version(ref)!, previous };
    });
  }

  /**
   * Returns from the active version `ref` to the one it replaced, the same atomic way. Only the
   * active version can be rolled back (naming it guards against two officers crossing).
   */
  rollback(ref: string, caller: Caller): Promise<StoreResult<{ version: RulebookVersion; rolledBack: string }>> {
    return this.exclusive(async () => {
      await this.adopt();
      const v = this.version(ref);
      if (!v) return this.fail(caller, 'rulebook.rollback', ref, 'PA_NOT_FOUND', `没有规则库版本 ${ref}`);
      if (ref !== this.current.ref) return this.fail(caller, 'rulebook.rollback', ref, 'PA_RULEBOOK_CONFLICT', `${ref} 不是当前生效版本（当前为 ${this.current.ref}），不能回退`);
      const last = await lastActivation(this.opts.db, ref);
      const target = last?.previous_ref;
      if (!target || !this.version(target)) return this.fail(caller, 'rulebook.rollback', ref, 'PA_RULEBOOK_CONFLICT', `${ref} 之前没有可回退的版本`);
      // The target's own predecessor becomes the next rollback target: rollbacks walk back a stack.
      const before = (await lastActivation(this.opts.db, target))?.previous_ref ?? null;
      const ok = await this.switchTo(target, 'rollback', caller, before);
      if (!ok) return this.fail(caller, 'rulebook.rollback', ref, 'PA_RULEBOOK_CONFLICT', `上一版本 ${target} 的规则包无法恢复`);
      return { ok: true as const, version: this.version(target)!, rolledBack: ref };
    });
  }

  /**
   * Shadow run of a stored version against the active one over the stored checks of a period
   * (see shadow.ts). Changes nothing; audited.
   */
  async shadow(ref: string, options: ShadowOptions, caller: Caller): Promise<StoreResult<{ report: ShadowReport }>> {
    if (!this.version(ref)) return this.fail(caller, 'rulebook.shadow', ref, 'PA_NOT_FOUND', `没有规则库版本 ${ref}`);
    const compiled = await this.compiledOf(ref);
    if (!compiled) return this.fail(caller, 'rulebook.shadow', ref, 'PA_RULEBOOK_CONFLICT', `${ref} 的规则包无法恢复`);
    const report = await shadowRun(this.opts.db, { ref, compiled }, this.current, { ...options, now: this.opts.now(), limits: this.opts.checkLimits });
    this.opts.trail({
      ...this.entry(caller, 'rulebook.shadow', ref, 'ok'),
      detail: { baseline: report.baseline, period: report.period, checks: report.checks, totals: report.totals },
    });
    return { ok: true, report };
  }

  /**
   * Applies activations that have fallen due (called by the timer and when `active()` sees one).
   * Never rejects: it runs from timers and requests that cannot wait for it, and an unhandled
   * rejection ends the process. A failure (storage refusing) is logged, audited and retried
   * with backoff; the active rulebook stays in service meanwhile.
   */
  tick(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return this.exclusive(async () => {
      try {
        const changed = await this.applyDue();
        this.tickFailures = 0;
        this.arm();
        return changed;
      } catch (err) {
        this.retryLater(err);
        return false;
      }
    });
  }

  private retryLater(err: unknown): void {
    this.tickFailures++;
    const delay = Math.min((this.opts.retryBaseMs ?? 1000) * 2 ** Math.min(this.tickFailures - 1, 20), 5 * 60_000);
    const now = toWallClock(this.opts.now());
    const due = this.versionList.filter((v) => v.state === 'scheduled' && v.activate_at !== null && parseDateTime(v.activate_at) <= now).map((v) => v.ref);
    const code = (err as { code?: unknown })?.code;
    this.opts.log?.error({ err, rulebooks: due, failures: this.tickFailures, retryInMs: delay }, 'scheduled rulebook activation failed; the active rulebook stays, retrying');
    const system: Caller = { actor: 'system', role: 'system', route: 'schedule' };
    try {
      this.opts.trail({
        ...this.entry(system, 'rulebook.activate', due.at(-1) ?? null, 'PA_STORAGE_ERROR'),
        detail: { failures: this.tickFailures, retry_in_ms: delay, ...(typeof code === 'string' ? { code } : {}) },
      });
    } catch {
      // The trail is storage too; the log line above already says it.
    }
    // Requests must not re-trigger the failing activation before the retry is due.
    if (this.timer) clearTimeout(this.timer);
    this.nextDue = toWallClock(this.opts.now()) + delay;
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  /** Stops the timer (pending state changes still finish). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.serial;
  }

  /** Due scheduled versions: the latest-effective one activates; earlier ones it supersedes retire. */
  private async applyDue(): Promise<boolean> {
    const now = toWallClock(this.opts.now());
    const due = this.versionList
      .filter((v) => v.state === 'scheduled' && v.activate_at !== null && parseDateTime(v.activate_at) <= now)
      .sort((a, b) => parseDateTime(a.activate_at) - parseDateTime(b.activate_at) || compareVersions(a.version, b.version));
    const winner = due.at(-1);
    if (!winner) return false;
    const system: Caller = { actor: 'system', role: 'system', route: 'schedule' };
    const ok = await this.switchTo(winner.ref, 'scheduled', system, this.current.ref);
    if (!ok) {
      await updateVersion(this.opts.db, winner.ref, { state: 'retired', activate_at: null });
      this.patch(winner.ref, { state: 'retired', activate_at: null });
      this.opts.trail({ ...this.entry(system, 'rulebook.activate', winner.ref, 'failed'), detail: { reason: 'bundle cannot be restored' } });
    }
    return ok;
  }

  /**
   * The switch: compile (or fetch) the target fully, record it in the database, then swap the
   * one reference. Versions of the same rulebook older than the target stop waiting.
   */
  private async switchTo(ref: string, kind: ActivationKind, caller: Caller, previousForStack: string | null, extraDetail?: Record<string, unknown>): Promise<boolean> {
    const compiled = await this.compiledOf(ref);
    if (!compiled) return false;
    const from = this.current.ref;
    if (!(await this.persistActivation(ref, previousForStack, kind, caller))) {
      // Another instance applied this scheduled activation first: follow it, record nothing.
      await this.adopt();
      return true;
    }
    this.opts.onChange?.();
    this.versionList = await readVersions(this.opts.db);
    this.current = { ref, compiled };
    // Keep compiled only what may be switched to soon: active, waiting, and the rollback target.
    for (const v of this.versionList) if (v.state === 'retired' && v.ref !== from && v.ref !== previousForStack && v.source !== 'builtin') this.compiled.delete(v.ref);
    this.opts.trail({ ...this.entry(caller, kind === 'rollback' ? 'rulebook.rollback' : 'rulebook.activate', ref, 'ok'), detail: { kind, previous: from, ...extraDetail } });
    this.opts.log?.info({ rulebook: ref, previous: from, kind }, 'rulebook switched');
    return true;
  }

  /**
   * Database side of an activation, in one transaction. A scheduled activation is claimed: the
   * target moves to active only where it is still scheduled, so of several instances reaching
   * the due time together exactly one applies it (false for the others).
   */
  private async persistActivation(ref: string, previousRef: string | null, kind: ActivationKind, caller: Caller): Promise<boolean> {
    const time = this.opts.now().toISOString();
    const all = await readVersions(this.opts.db);
    const target = all.find((v) => v.ref === ref);
    const superseded = target
      ? all
          .filter((v) => (v.state === 'scheduled' || v.state === 'pending') && v.rulebook_id === target.rulebook_id)
          .filter((v) => compareVersions(v.version, target.version) < 0)
          .map((v) => v.ref)
      : [];
    return this.opts.db.transaction(async (trx) => {
      let target = trx('rulebook_versions').where({ ref });
      if (kind === 'scheduled') target = target.where({ state: 'scheduled' });
      if ((await target.update({ state: 'active', activated_at: time, activate_at: null })) === 0 && kind === 'scheduled') return false;
      await trx('rulebook_versions').where({ state: 'active' }).whereNot({ ref }).update({ state: 'retired', retired_at: time });
      if (superseded.length) await trx('rulebook_versions').whereIn('ref', superseded).update({ state: 'retired', retired_at: time, activate_at: null });
      await insertActivation(trx, { time, ref, previous_ref: previousRef, kind, actor: caller.actor });
      return true;
    });
  }

  /** Arms one timer for the next scheduled activation (capped, re-armed when it fires early). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = Math.min(...this.versionList.filter((v) => v.state === 'scheduled' && v.activate_at).map((v) => parseDateTime(v.activate_at)));
    this.nextDue = Number.isFinite(next) ? next : Infinity;
    if (this.closed || this.nextDue === Infinity) return;
    const wait = Math.max(0, Math.min(this.nextDue - toWallClock(this.opts.now()), 6 * 3600_000));
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }

  private patch(ref: string, fields: Partial<RulebookVersion>): void {
    const v = this.versionList.find((x) => x.ref === ref);
    if (v) Object.assign(v, fields);
  }

  private row(
    rb: CompiledRulebook,
    o: { state: RulebookVersion['state']; source: VersionSource; caller: Caller; keyId?: string | null; sha?: string | null; casesPassed?: number },
  ): RulebookVersion {
    return {
      ref: refOf(rb),
      rulebook_id: rb.id,
      version: rb.version,
      name: rb.name ?? null,
      issuer: rb.issuer ?? null,
      effective_from: rb.effective_from,
      effective_to: rb.effective_to ?? null,
      state: o.state,
      source: o.source,
      loaded_by: o.caller.actor,
      loaded_role: o.caller.role,
      loaded_at: this.opts.now().toISOString(),
      key_id: o.keyId ?? null,
      bundle_sha256: o.sha ?? null,
      activate_at: o.state === 'scheduled' ? rb.effective_from : null,
      activated_at: null,
      retired_at: null,
      rules: rb.rules.length,
      codes: rb.codeCount ?? 0,
      cases_passed: o.casesPassed ?? rb.cases?.length ?? 0,
    };
  }

  private entry(caller: Caller, action: string, ref: string | null, outcome: string): StoreTrailEntry {
    return { actor: caller.actor, role: caller.role, route: caller.route ?? action, action, ref, outcome };
  }

  private fail(caller: Caller, action: string, ref: string, code: ErrorCodeValue, message: string): StoreFailure {
    this.opts.trail({ ...this.entry(caller, action, ref, code), detail: { message } });
    return { ok: false, error: new PreauditError(code, message) };
  }
}
