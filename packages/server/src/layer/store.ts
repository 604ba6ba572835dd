/**
 * The hospital's layer store behind `app.layer`: its versions (draft → tested → active →
 * retired), the exemptions and exemption requests, and the compiled layer the request path uses.
 *
 * Like the rulebook store, the switch is one reference assignment: a version is compiled (with
 * the approved exemptions) in full before the database records it active, then `compiled`
 * is swapped; a check reads `effective()` once and keeps that layer to the end. The layer is
 * compiled against the active rulebook: when the bureau's rulebook switches, the next check
 * compiles it again (once) against the new one, so the bureau's rulebook stays as signed and
 * the hospital's layer follows it. State changes go through one queue (`serial`).
 *
 * Exemption uses (for caps) are counted in memory as checks suppress findings and written
 * behind (every `usageFlushMs`, and on close).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  compileLayer,
  diffLayers,
  evaluateWithLayer,
  layerConflicts,
  LAYER_FORMAT,
  runLayerCases,
  type CheckData,
  type CompiledLayer,
  type CompiledRulebook,
  type EvaluateOptions,
  type LayerCaseReport,
  type LayerConflict,
  type LayerDiff,
  type LayeredEvaluation,
  type LayerFile,
} from '@preaudit/core-rules';
import { badInput, ErrorCode, PreauditError, type ErrorCodeValue, type FieldProblem } from '../platform/errors.js';
import type { TrailEntry } from '../trail/plugin.js';
import type { CheckLimits } from '../checks/check-limits.js';
import { shadowRun, type ShadowOptions, type ShadowReport } from '../rulebooks/shadow.js';
import {
  addUses,
  engineExemption,
  insertExemption,
  newRecord,
  patientKey,
  readApproved,
  readExemption,
  readExemptions,
  syncFileExemptions,
  updateExemption,
  validExemptionOrThrow,
  type ExemptionInput,
  type ExemptionRecord,
  type ExemptionStatus,
} from './exemptions.js';
import {
  insertLayerActivation,
  insertLayerVersion,
  lastLayerActivation,
  readLayerActivations,
  readLayerFile,
  readLayerVersions,
  updateLayerVersion,
  type LayerActivation,
  type LayerSource,
  type LayerVersion,
} from './version-rows.js';

/** Who asks (goes into the trail and the rows). */
export interface LayerCaller {
  actor: string;
  role: string;
  route?: string;
  /** A department caller's departments (undefined: not limited). */
  departments?: readonly string[];
}

/** What the store needs of the service. */
export interface LayerStoreOptions {
  db: Knex;
  now: () => Date;
  trail: (entry: TrailEntry) => void;
  /** The bureau's rulebook (the base every layer is compiled against). */
  rulebooks: { active(): CompiledRulebook; activeRef(): string };
  log?: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
  /** Told the layer id@version each time `effective()` hands it out (the service notes it per request). */
  onActive?: (ref: string) => void;
  /** Limits of one check (shadow runs replay within them). */
  checkLimits?: CheckLimits;
  /** How often counted exemption uses are written, ms (default 1000). */
  usageFlushMs?: number;
}

/** A failed operation. */
export interface LayerFailure {
  ok: false;
  error: PreauditError;
}

/** Id of the implicit layer used when exemptions are approved but no layer version is active. */
const EXEMPTIONS_ONLY_ID = 'hospital-exemptions';

/** The active state: the version (or none), its file, the approved exemptions. */
interface ActiveState {
  ref: string | null;
  file: LayerFile | null;
  exemptions: ExemptionRecord[];
}

/** The compiled layer for one base rulebook. */
interface CompiledState {
  base: CompiledRulebook;
  state: ActiveState;
  layer: CompiledLayer | undefined;
  /** The name in x-layer-version. */
  name: string;
}

const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** See the file comment. */
export class LayerStore {
  private versionList: LayerVersion[] = [];
  private active: ActiveState = { ref: null, file: null, exemptions: [] };
  private compiled: CompiledState | undefined;
  private serial: Promise<unknown> = Promise.resolve();
  /** Uses counted in memory: loaded `used` plus suppressions since, by exemption id. */
  private readonly uses = new Map<string, number>();
  /** Uses not yet written. */
  private pendingUses = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bound once: handed to every evaluation. */
  private readonly usage = (id: string) => this.uses.get(id) ?? 0;

  private constructor(private readonly opts: LayerStoreOptions) {}

  /** Opens the store: restores the versions, the active one and the approved exemptions. */
  static async open(opts: LayerStoreOptions): Promise<LayerStore> {
    const store = new LayerStore(opts);
    store.versionList = await readLayerVersions(opts.db);
    const activeRef = store.versionList.find((v) => v.state === 'active')?.ref ?? null;
    const file = activeRef ? await store.fileOf(activeRef) : null;
    const exemptions = await readApproved(opts.db);
    store.active = { ref: activeRef, file: file ?? null, exemptions };
    for (const e of exemptions) store.uses.set(e.id, e.used);
    const every = opts.usageFlushMs ?? 1000;
    store.timer = setInterval(() => void store.flushUses().catch((err: unknown) => opts.log?.error({ err }, 'exemption uses write failed; kept for retry')), every);
    store.timer.unref();
    return store;
  }

  // ---------------------------------------------------------------- the request path

  /**
   * The compiled layer for the base rulebook `base`, or undefined when the hospital has none (no
   * active version, no approved exemption). Compiled once per (layer state, base) and cached.
   */
  effective(base: CompiledRulebook): CompiledLayer | undefined {
    let c = this.compiled;
    if (!c || c.base !== base || c.state !== this.active) c = this.compiled = this.compileFor(base, this.active);
    if (c.layer) this.opts.onActive?.(c.name);
    return c.layer;
  }

  /** Name of the layer in use (x-layer-version), or null. */
  activeRef(): string | null {
    return this.active.ref;
  }

  /**
   * Evaluates a check with the layer (when there is one): findings shown in `result`, those an
   * exemption suppressed in `suppressed`; the uses are counted against the caps.
   */
  evaluate(layer: CompiledLayer, data: CheckData, options: EvaluateOptions): LayeredEvaluation {
    const out = evaluateWithLayer(layer, data, { ...options, usage: this.usage, patientKey });
    for (const id in out.exemption_uses) {
      const n = out.exemption_uses[id];
      this.uses.set(id, (this.uses.get(id) ?? 0) + n);
      this.pendingUses.set(id, (this.pendingUses.get(id) ?? 0) + n);
    }
    return out;
  }

  private compileFor(base: CompiledRulebook, state: ActiveState): CompiledState {
    if (!state.file && state.exemptions.length === 0) return { base, state, layer: undefined, name: '' };
    const file = this.layerFile(base, state.file, state.exemptions);
    const r = compileLayer(base, file);
    if (r.ok) return { base, state, layer: r.layer, name: state.ref ?? EXEMPTIONS_ONLY_ID };
    // The bureau's new rulebook broke the layer (an override of a rule it no longer has …): the
    // exemptions stay in force, the rest waits for the insurance office (logged, audited, /v1/layer shows it).
    const problems = r.errors.slice(0, 20);
    this.opts.log?.error({ layer: state.ref, rulebook: `${base.id}@${base.version}`, problems }, 'layer does not compile on the active rulebook; only its exemptions apply');
    this.opts.trail({
      actor: 'system',
      role: 'system',
      route: 'layer',
      action: 'layer.degraded',
      ref: state.ref,
      outcome: 'PA_RULEBOOK_CONFLICT',
      detail: { rulebook: `${base.id}@${base.version}`, problems },
    });
    const fallback = compileLayer(base, this.layerFile(base, null, state.exemptions));
    return { base, state, layer: fallback.ok ? fallback.layer : undefined, name: `${EXEMPTIONS_ONLY_ID}(degraded:${state.ref ?? ''})` };
  }

  /** The file compiled: a version's (or an empty one) with the approved exemptions as its exemptions. */
  private layerFile(base: CompiledRulebook, file: LayerFile | null, exemptions: readonly ExemptionRecord[]): LayerFile {
    const f: LayerFile = file ?? { format: LAYER_FORMAT, id: EXEMPTIONS_ONLY_ID, version: '0', base: { id: base.id, version: base.version } };
    return { ...f, exemptions: exemptions.map(engineExemption) };
  }

  // ---------------------------------------------------------------- versions

  /** Every version, oldest first. */
  versions(): LayerVersion[] {
    return this.versionList.map((v) => ({ ...v }));
  }

  /** One version. */
  version(ref: string): LayerVersion | undefined {
    const v = this.versionList.find((x) => x.ref === ref);
    return v ? { ...v } : undefined;
  }

  /** Activations, newest first. */
  activations(limit = 50): Promise<LayerActivation[]> {
    return readLayerActivations(this.opts.db, limit);
  }

  /** A version's file, parsed. */
  async fileOf(ref: string): Promise<LayerFile | undefined> {
    const text = await readLayerFile(this.opts.db, ref);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as LayerFile;
    } catch {
      return undefined;
    }
  }

  /** How the active layer's compilation stands on the active rulebook. */
  status(): { active: string | null; in_use: string | null; rulebook: string; degraded: boolean; exemptions: number } {
    const base = this.opts.rulebooks.active();
    const layer = this.effectiveQuiet(base);
    return {
      active: this.active.ref,
      in_use: layer ? this.compiled!.name : null,
      rulebook: this.opts.rulebooks.activeRef(),
      degraded: (this.compiled?.name ?? '').includes('degraded'),
      exemptions: this.active.exemptions.length,
    };
  }

  private effectiveQuiet(base: CompiledRulebook): CompiledLayer | undefined {
    let c = this.compiled;
    if (!c || c.base !== base || c.state !== this.active) c = this.compiled = this.compileFor(base, this.active);
    return c.layer;
  }

  /**
   * Stores a layer file as a new draft: parsed, compiled against the active rulebook (every
   * problem named by its field, `file.` + path), refused when its id@version exists.
   */
  create(input: unknown, caller: LayerCaller, source: LayerSource = 'upload'): Promise<{ ok: true; version: LayerVersion; conflicts: LayerConflict[] } | LayerFailure> {
    return this.exclusive(async () => {
      const action = source === 'import' ? 'layer.import' : 'layer.create';
      let parsed: unknown = input;
      if (typeof input === 'string') {
        if (input.length > MAX_FILE_BYTES) return this.fail(caller, action, null, ErrorCode.bodyTooLarge, `本院规则层文件超过 ${MAX_FILE_BYTES} 字节`);
        try {
          parsed = JSON.parse(input);
        } catch (err) {
          return this.failWith(caller, action, null, badInput([{ field: 'file', message: `不是合法的 JSON：${(err as Error).message.slice(0, 120)}` }]));
        }
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return this.failWith(caller, action, null, badInput([{ field: 'file', message: '应为本院规则层文件（JSON 对象）' }]));
      const patients = keyPatients(parsed as Record<string, unknown>);
      if (patients.length) return this.failWith(caller, action, refOfUnknown(parsed), badInput(patients));
      const base = this.opts.rulebooks.active();
      const r = compileLayer(base, parsed);
      if (!r.ok) return this.failWith(caller, action, refOfUnknown(parsed), badInput(r.errors.map((e): FieldProblem => ({ field: `file.${e.field}`, message: e.message }))));
      const file = r.layer.file;
      const ref = `${file.id}@${file.version}`;
      if (this.versionList.some((v) => v.ref === ref)) return this.fail(caller, action, ref, ErrorCode.rulebookConflict, `本院规则层版本 ${ref} 已存在，请提高 version`);
      const text = JSON.stringify(file);
      const row: LayerVersion = {
        ref,
        layer_id: file.id,
        version: file.version,
        name: file.name ?? null,
        state: 'draft',
        source,
        file_sha256: createHash('sha256').update(text).digest('hex'),
        created_by: caller.actor,
        created_role: caller.role,
        created_at: this.opts.now().toISOString(),
        tested_against: null,
        tested_at: null,
        tested_by: null,
        cases_passed: 0,
        cases_failed: 0,
        activated_at: null,
        retired_at: null,
        local_rules: file.rules?.length ?? 0,
        overrides: file.overrides?.length ?? 0,
        exemptions: file.exemptions?.length ?? 0,
      };
      await insertLayerVersion(this.opts.db, row, text);
      this.versionList.push(row);
      const conflicts = layerConflicts(base, file);
      this.opts.trail({
        ...this.entry(caller, action, ref, 'ok'),
        detail: { sha256: row.file_sha256, rules: row.local_rules, overrides: row.overrides, exemptions: row.exemptions, conflicts: conflicts.length },
      });
      return { ok: true as const, version: { ...row }, conflicts };
    });
  }

  /**
   * Runs a version's cases on the active rulebook: its own cases (on the findings shown after
   * exemptions) and the national cases of the rules it overrides. All its own cases passing
   * makes a draft `tested` (against this rulebook).
   */
  test(ref: string, caller: LayerCaller): Promise<{ ok: true; version: LayerVersion; report: LayerCaseReport; rulebook: string } | LayerFailure> {
    return this.exclusive(async () => {
      const v = this.versionList.find((x) => x.ref === ref);
      if (!v) return this.fail(caller, 'layer.test', ref, ErrorCode.notFound, `没有本院规则层版本 ${ref}`);
      const file = await this.fileOf(ref);
      const base = this.opts.rulebooks.active();
      const rulebook = this.opts.rulebooks.activeRef();
      const r = file ? compileLayer(base, file) : undefined;
      if (!r?.ok)
        return this.fail(
          caller,
          'layer.test',
          ref,
          ErrorCode.rulebookConflict,
          `${ref} 不能在规则库 ${rulebook} 上编译：${
            r && !r.ok
              ? r.errors
                  .map((e) => `${e.field} ${e.message}`)
                  .slice(0, 5)
                  .join('；')
              : '文件无法读取'
          }`,
        );
      const report = runLayerCases(base, r.layer);
      const fields: Partial<LayerVersion> = {
        tested_against: rulebook,
        tested_at: this.opts.now().toISOString(),
        tested_by: caller.actor,
        cases_passed: report.layer.passed,
        cases_failed: report.layer.failed,
      };
      if (v.state === 'draft' && report.layer.failed === 0) fields.state = 'tested';
      if (v.state === 'tested' && report.layer.failed > 0) fields.state = 'draft';
      await updateLayerVersion(this.opts.db, ref, fields);
      Object.assign(v, fields);
      this.opts.trail({
        ...this.entry(caller, 'layer.test', ref, report.layer.failed === 0 ? 'ok' : 'failed'),
        detail: {
          rulebook,
          layer: { passed: report.layer.passed, failed: report.layer.failed },
          national: { passed: report.national.passed, failed: report.national.failed },
          state: v.state,
        },
      });
      return { ok: true as const, version: { ...v }, report, rulebook };
    });
  }

  /** The conflicts of a version on the active rulebook (what activation reports). */
  async conflicts(ref: string): Promise<LayerConflict[] | undefined> {
    const file = await this.fileOf(ref);
    return file ? layerConflicts(this.opts.rulebooks.active(), file) : undefined;
  }

  /**
   * Activates a tested version. Conflicts with the active rulebook (overrides of rules it no
   * longer has, or whose parameters changed since the override was written) refuse the
   * activation (409, each conflict named) unless `acceptConflicts` carries a reason, which
   * the activation row and the trail keep with the conflicts.
   */
  activate(
    ref: string,
    caller: LayerCaller,
    options: { acceptConflicts?: { reason: string } } = {},
  ): Promise<{ ok: true; version: LayerVersion; previous: string | null; conflicts: LayerConflict[] } | (LayerFailure & { conflicts?: LayerConflict[] })> {
    return this.exclusive(async () => {
      const v = this.versionList.find((x) => x.ref === ref);
      if (!v) return this.fail(caller, 'layer.activate', ref, ErrorCode.notFound, `没有本院规则层版本 ${ref}`);
      if (v.state === 'active') return this.fail(caller, 'layer.activate', ref, ErrorCode.rulebookConflict, `${ref} 已是当前生效版本`);
      if (v.tested_at === null || v.cases_failed > 0 || v.state === 'draft')
        return this.fail(caller, 'layer.activate', ref, ErrorCode.rulebookConflict, `${ref} 尚未通过测试（先调用 POST /v1/layer/versions/${ref}/test）`);
      const file = await this.fileOf(ref);
      const base = this.opts.rulebooks.active();
      const rulebook = this.opts.rulebooks.activeRef();
      if (!file) return this.fail(caller, 'layer.activate', ref, ErrorCode.rulebookConflict, `${ref} 的文件无法读取`);
      const conflicts = layerConflicts(base, file).filter((c) => c.kind !== 'base-changed');
      const reason = options.acceptConflicts?.reason.trim();
      if (options.acceptConflicts && !reason) return this.fail(caller, 'layer.activate', ref, ErrorCode.reasonRequired, 'reason: 接受冲突启用须说明原因');
      if (conflicts.length > 0 && !options.acceptConflicts) {
        const err = badInput(
          conflicts.map((c) => ({ field: c.field, message: c.message })),
          ErrorCode.rulebookConflict,
        );
        this.opts.trail({ ...this.entry(caller, 'layer.activate', ref, ErrorCode.rulebookConflict), detail: { rulebook, conflicts } });
        return { ok: false as const, error: err, conflicts };
      }
      const previous = this.active.ref;
      const ok = await this.switchTo(ref, file, 'command', caller, previous, conflicts, reason);
      if (!ok.ok) return ok;
      return { ok: true as const, version: this.version(ref)!, previous, conflicts };
    });
  }

  /** Returns from the active version `ref` to the one it replaced (or to no layer). */
  rollback(ref: string, caller: LayerCaller): Promise<{ ok: true; active: string | null; rolledBack: string } | LayerFailure> {
    return this.exclusive(async () => {
      if (!this.versionList.some((v) => v.ref === ref)) return this.fail(caller, 'layer.rollback', ref, ErrorCode.notFound, `没有本院规则层版本 ${ref}`);
      if (this.active.ref !== ref) return this.fail(caller, 'layer.rollback', ref, ErrorCode.rulebookConflict, `${ref} 不是当前生效版本（当前为 ${this.active.ref ?? '无'}），不能回退`);
      const last = await lastLayerActivation(this.opts.db, ref);
      const target = last?.previous_ref ?? null;
      const file = target ? await this.fileOf(target) : null;
      if (target && !file) return this.fail(caller, 'layer.rollback', ref, ErrorCode.rulebookConflict, `上一版本 ${target} 的文件无法读取`);
      const before = target ? ((await lastLayerActivation(this.opts.db, target))?.previous_ref ?? null) : null;
      const ok = await this.switchTo(target, file ?? null, 'rollback', caller, before, [], undefined);
      if (!ok.ok) return ok;
      return { ok: true as const, active: target, rolledBack: ref };
    });
  }

  /** The switch: compile first (so nothing is recorded that cannot serve), then the database, then one assignment. */
  private async switchTo(
    ref: string | null,
    file: LayerFile | null,
    kind: 'command' | 'rollback',
    caller: LayerCaller,
    previousForStack: string | null,
    conflicts: LayerConflict[],
    reason: string | undefined,
  ): Promise<{ ok: true } | LayerFailure> {
    const action = kind === 'rollback' ? 'layer.rollback' : 'layer.activate';
    const base = this.opts.rulebooks.active();
    const rulebook = this.opts.rulebooks.activeRef();
    const time = this.opts.now().toISOString();
    const from = this.active.ref;
    // What the approved exemptions will be: the non-file ones as they are, the file's entries.
    const current = await readApproved(this.opts.db);
    const fileEntries = file?.exemptions ?? [];
    const fileIds = new Set(fileEntries.map((e) => e.id.slice(0, 40)));
    const check = compileLayer(base, {
      ...(file ?? this.layerFile(base, null, [])),
      exemptions: [...current.filter((e) => e.origin !== 'layer' && !fileIds.has(e.id)).map(engineExemption), ...fileEntries],
    });
    if (!check.ok)
      return this.fail(
        caller,
        action,
        ref,
        ErrorCode.rulebookConflict,
        `${ref ?? '（无本院规则层）'} 不能在规则库 ${rulebook} 上编译：${check.errors
          .map((e) => `${e.field} ${e.message}`)
          .slice(0, 5)
          .join('；')}`,
      );
    await this.opts.db.transaction(async (trx) => {
      await trx('layer_versions').where({ state: 'active' }).update({ state: 'retired', retired_at: time });
      if (ref) await trx('layer_versions').where({ ref }).update({ state: 'active', activated_at: time });
      await syncFileExemptions(trx, fileEntries, ref, time, caller.actor);
      await insertLayerActivation(trx, { time, ref, previous_ref: previousForStack, kind, actor: caller.actor, rulebook, conflicts });
    });
    this.versionList = await readLayerVersions(this.opts.db);
    await this.reloadExemptions(file, ref);
    this.opts.trail({ ...this.entry(caller, action, ref, 'ok'), detail: { kind, previous: from, rulebook, ...(conflicts.length ? { conflicts, reason } : {}) } });
    this.opts.log?.info({ layer: ref, previous: from, kind }, 'hospital layer switched');
    return { ok: true };
  }

  /** Reloads the approved exemptions and swaps the active state (one assignment). */
  private async reloadExemptions(file: LayerFile | null = this.active.file, ref: string | null = this.active.ref): Promise<void> {
    await this.flushUses();
    const exemptions = await readApproved(this.opts.db);
    for (const e of exemptions) this.uses.set(e.id, e.used + (this.pendingUses.get(e.id) ?? 0));
    this.active = { ref, file, exemptions };
  }

  /** The diff from version `against` (default the active one) to `ref`, in Chinese. */
  async diff(ref: string, against?: string): Promise<LayerDiff> {
    const from = against ?? this.active.ref;
    const to = await this.fileOf(ref);
    if (!to) throw new PreauditError(ErrorCode.notFound, `没有本院规则层版本 ${ref}`);
    const fromFile = from ? await this.fileOf(from) : undefined;
    if (from && !fromFile) throw new PreauditError(ErrorCode.notFound, `没有本院规则层版本 ${from}`);
    return diffLayers(fromFile ?? { format: LAYER_FORMAT, id: to.id, version: '0', base: to.base }, to);
  }

  /**
   * Shadow run: replays stored checks with the active layer (baseline) and with version `ref`
   * (candidate), both on the active rulebook, with the approved exemptions the candidate would
   * keep. Findings that disappear or appear, by rule and department, with amounts. Changes
   * nothing (no exemption use is counted).
   */
  async shadow(ref: string, options: ShadowOptions, caller: LayerCaller): Promise<{ ok: true; report: ShadowReport } | LayerFailure> {
    const file = await this.fileOf(ref);
    if (!file) return this.fail(caller, 'layer.shadow', ref, ErrorCode.notFound, `没有本院规则层版本 ${ref}`);
    const base = this.opts.rulebooks.active();
    const fileIds = new Set((file.exemptions ?? []).map((e) => e.id.slice(0, 40)));
    const kept = this.active.exemptions.filter((e) => e.origin !== 'layer' && !fileIds.has(e.id)).map(engineExemption);
    const cand = compileLayer(base, { ...file, exemptions: [...kept, ...(file.exemptions ?? [])] });
    if (!cand.ok) return this.fail(caller, 'layer.shadow', ref, ErrorCode.rulebookConflict, `${ref} 不能在当前规则库上编译`);
    const current = this.effectiveQuiet(base);
    const usage = (id: string) => this.uses.get(id) ?? 0;
    const side = (name: string, layer: CompiledLayer | undefined) =>
      layer ? { ref: name, evaluate: (data: CheckData, o: EvaluateOptions) => evaluateWithLayer(layer, data, { ...o, usage, patientKey }) } : { ref: name, compiled: base };
    const report = await shadowRun(this.opts.db, side(ref, cand.layer), side(this.active.ref ?? this.opts.rulebooks.activeRef(), current), {
      ...options,
      now: this.opts.now(),
      limits: this.opts.checkLimits,
    });
    this.opts.trail({ ...this.entry(caller, 'layer.shadow', ref, 'ok'), detail: { baseline: report.baseline, period: report.period, checks: report.checks, totals: report.totals } });
    return { ok: true, report };
  }

  /**
   * The active layer as a file: the active version's (or an empty one) with every approved
   * exemption in it, patients as their keys.
   */
  async exportActive(caller: LayerCaller): Promise<LayerFile> {
    const base = this.opts.rulebooks.active();
    const file = this.layerFile(base, this.active.file, this.active.exemptions);
    this.opts.trail({ ...this.entry(caller, 'layer.export', this.active.ref, 'ok'), detail: { exemptions: file.exemptions?.length ?? 0 } });
    return file;
  }

  // ---------------------------------------------------------------- exemptions

  /** Exemptions and requests (a department caller sees its departments' and its own). */
  listExemptions(caller: LayerCaller, filter: { status?: ExemptionStatus[]; limit: number; offset: number }) {
    return readExemptions(this.opts.db, { ...filter, departments: caller.departments, actor: caller.departments ? caller.actor : undefined });
  }

  /** One exemption (undefined when unknown or outside a department caller's scope). */
  async getExemption(id: string, caller: LayerCaller): Promise<ExemptionRecord | undefined> {
    const e = await readExemption(this.opts.db, id);
    if (!e) return undefined;
    if (caller.departments && !inScope(e, caller)) return undefined;
    return e;
  }

  /**
   * A department's request: takes effect only once approved. It must name a department, and a
   * department caller only its own.
   */
  request(input: ExemptionInput, caller: LayerCaller): Promise<ExemptionRecord> {
    return this.exclusive(async () => {
      const v = validExemptionOrThrow(input);
      if (v.scope.dept_codg === undefined) throw this.failWith(caller, 'layer.exemption.request', null, badInput([{ field: 'dept_codg', message: '科室申请豁免须写明科室' }])).error;
      if (caller.departments && ![v.scope.dept_codg].flat().every((d) => caller.departments!.includes(d)))
        throw this.fail(caller, 'layer.exemption.request', null, ErrorCode.forbidden, `dept_codg: 只能为本科室（${caller.departments.join('、') || '无'}）申请豁免`).error;
      const rec = newRecord(v, { status: 'requested', origin: 'request', actor: caller.actor, role: caller.role, time: this.opts.now().toISOString() });
      await insertExemption(this.opts.db, rec);
      this.opts.trail({
        ...this.entry(caller, 'layer.exemption.request', rec.id, 'ok'),
        detail: { scope: scopeForTrail(rec), reason: rec.reason, valid_to: rec.valid_to, cap: rec.cap },
      });
      return rec;
    });
  }

  /** The insurance office's own exemption: approved at once. */
  createExemption(input: ExemptionInput, caller: LayerCaller): Promise<ExemptionRecord> {
    return this.exclusive(async () => {
      const v = validExemptionOrThrow(input);
      const rec = newRecord(v, { status: 'approved', origin: 'direct', actor: caller.actor, role: caller.role, time: this.opts.now().toISOString() });
      this.checkCompiles(rec);
      await insertExemption(this.opts.db, rec);
      await this.reloadExemptions();
      this.opts.trail({
        ...this.entry(caller, 'layer.exemption.create', rec.id, 'ok'),
        detail: { scope: scopeForTrail(rec), reason: rec.reason, valid_to: rec.valid_to, cap: rec.cap },
      });
      return rec;
    });
  }

  /** Approves, rejects (with a reason) or revokes an exemption. */
  decide(id: string, decision: 'approve' | 'reject' | 'revoke', reason: string | undefined, caller: LayerCaller): Promise<ExemptionRecord> {
    return this.exclusive(async () => {
      const action = `layer.exemption.${decision}`;
      const e = await readExemption(this.opts.db, id);
      if (!e) throw this.fail(caller, action, id, ErrorCode.notFound, `没有豁免 ${id}`).error;
      const want: Record<typeof decision, ExemptionStatus[]> = { approve: ['requested'], reject: ['requested'], revoke: ['approved'] };
      if (!want[decision].includes(e.status))
        throw this.fail(
          caller,
          action,
          id,
          ErrorCode.rulebookConflict,
          `豁免 ${id} 的状态为 ${e.status}，不能${decision === 'approve' ? '批准' : decision === 'reject' ? '驳回' : '撤销'}`,
        ).error;
      if (e.origin === 'layer' && decision === 'revoke')
        throw this.fail(caller, action, id, ErrorCode.rulebookConflict, `豁免 ${id} 来自本院规则层文件 ${e.layer_ref}：请发布不含它的新版本`).error;
      const why = reason?.trim();
      if (decision !== 'approve' && !why)
        throw this.failWith(caller, action, id, badInput([{ field: 'reason', message: decision === 'reject' ? '驳回须说明原因' : '撤销须说明原因' }])).error;
      if (decision === 'approve') this.checkCompiles(e);
      const fields: Partial<ExemptionRecord> = {
        status: decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'revoked',
        decided_by: caller.actor,
        decided_at: this.opts.now().toISOString(),
        decision_reason: why ?? null,
      };
      await updateExemption(this.opts.db, id, fields);
      await this.reloadExemptions();
      this.opts.trail({ ...this.entry(caller, action, id, 'ok'), detail: { requested_by: e.requested_by, scope: scopeForTrail(e), ...(why ? { reason: why } : {}) } });
      return { ...e, ...fields };
    });
  }

  /** Refuses an exemption the engine would not compile (e.g. a rule the rulebook does not have). */
  private checkCompiles(e: ExemptionRecord): void {
    const base = this.opts.rulebooks.active();
    const r = compileLayer(base, this.layerFile(base, null, [e]));
    if (!r.ok) throw badInput(r.errors.map((p) => ({ field: p.field.replace(/^exemptions\[\d+\]\.(scope\.)?/, ''), message: p.message })));
  }

  // ---------------------------------------------------------------- plumbing

  /** Writes the counted exemption uses. */
  async flushUses(): Promise<void> {
    if (this.pendingUses.size === 0) return;
    const batch = this.pendingUses;
    this.pendingUses = new Map();
    try {
      await addUses(this.opts.db, batch);
    } catch (err) {
      for (const [id, n] of batch) this.pendingUses.set(id, (this.pendingUses.get(id) ?? 0) + n);
      throw err;
    }
  }

  /** Stops the timer, writes pending uses. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.serial;
    await this.flushUses().catch((err: unknown) => this.opts.log?.error({ err }, 'exemption uses write failed at close'));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private entry(caller: LayerCaller, action: string, ref: string | null, outcome: string): TrailEntry {
    return { actor: caller.actor, role: caller.role, route: caller.route ?? action, action, ref, outcome };
  }

  private fail(caller: LayerCaller, action: string, ref: string | null, code: ErrorCodeValue, message: string): LayerFailure {
    return this.failWith(caller, action, ref, new PreauditError(code, message));
  }

  private failWith(caller: LayerCaller, action: string, ref: string | null, error: PreauditError): LayerFailure {
    this.opts.trail({ ...this.entry(caller, action, ref, error.code), detail: { message: error.message.slice(0, 500) } });
    return { ok: false, error };
  }
}

/** Is the exemption within a department caller's scope (its departments, or its own request)? */
function inScope(e: ExemptionRecord, caller: LayerCaller): boolean {
  if (!caller.departments) return true;
  if (e.requested_by === caller.actor) return true;
  const depts = e.dept_codg ? e.dept_codg.split(',') : [];
  return depts.length > 0 && depts.every((d) => caller.departments!.includes(d));
}

/** The scope as the trail keeps it (the patient as its masked key only). */
function scopeForTrail(e: ExemptionRecord): Record<string, unknown> {
  const { patient: _p, ...rest } = e.scope;
  return { ...rest, ...(e.patient_masked ? { patient: e.patient_masked } : {}) };
}

/**
 * The patients of a file's exemptions as the service keys them: a patient id becomes its key
 * (`pk:…`, so the stored file never holds the id), a key stays; a masked id (`33****34`) is
 * refused: it would match every patient whose id starts and ends the same way.
 */
function keyPatients(file: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const list = Array.isArray(file.exemptions) ? (file.exemptions as unknown[]) : [];
  list.forEach((ex, i) => {
    const scope = (ex as { scope?: Record<string, unknown> } | null)?.scope;
    if (!scope || typeof scope !== 'object' || scope.patient === undefined) return;
    const one = (v: unknown, field: string): unknown => {
      if (typeof v !== 'string' || v.startsWith('pk:')) return v;
      if (v.includes('*')) {
        problems.push({ field, message: '不能用脱敏的患者号（会匹配多名患者）：请写患者号 patn_id（上传时转换为患者键，不保存原号）或导出文件中的患者键 pk:…' });
        return v;
      }
      return patientKey(v);
    };
    const field = `file.exemptions[${i}].scope.patient`;
    scope.patient = Array.isArray(scope.patient) ? scope.patient.map((v, j) => one(v, `${field}[${j}]`)) : one(scope.patient, field);
  });
  return problems;
}

function refOfUnknown(x: unknown): string | null {
  const o = x as { id?: unknown; version?: unknown };
  return typeof o.id === 'string' && typeof o.version === 'string' ? `${o.id}@${o.version}`.slice(0, 120) : null;
}
