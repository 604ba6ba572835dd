/**
 * The whole admission check of a bundle, the same for an upload, the feed and the CLI:
 * shape → signature → file hashes → version → schema (load + compile) → the rulebook's own
 * test cases. Nothing here touches the disk or the active rulebook; a bundle is only stored
 * once this returns ok, already compiled, so switching to it later is one reference swap.
 */
import { indexRulebook, compileRulebookFiles, runCases, type CompiledRulebook, type RulebookFiles } from '@preaudit/core-rules';
import { bundleRulebookFiles, checkFileHashes, parseBundle, type BundleRulebookInfo, type RulebookBundle } from './bundle.js';
import type { Refusal } from './refusals.js';
import { verifyBundleSignatures, type TrustedKeys } from './signing.js';
import { compareVersions } from './version.js';

/** A bundle that passed every check. */
export interface AcceptedBundle {
  /** The bundle as received. */
  bundle: RulebookBundle;
  /** Its rulebook files, as the core reads them. */
  files: RulebookFiles;
  /** Compiled and ready to evaluate. */
  compiled: CompiledRulebook;
  /** Key id of the trusted signature that verified (undefined when signatures were not required). */
  keyId?: string;
  /** The rulebook's own test cases: how many ran and passed. */
  cases: { passed: number; failed: number };
}

/** What the check needs to know beyond the bundle. */
export interface CheckBundleOptions {
  /** Trusted bureau keys. */
  trustedKeys: TrustedKeys;
  /** Skip the signature check (the CLI's `test`-like uses only; never the service). */
  skipSignature?: boolean;
  /** Versions already known for this rulebook id; the bundle must be newer than all of them. */
  knownVersions?: (rulebookId: string) => readonly string[];
}

/** Result of {@link checkBundle}: accepted, or refused with every reason found so far. */
export type CheckBundleResult = ({ ok: true } & AcceptedBundle) | { ok: false; refusals: Refusal[]; rulebook?: BundleRulebookInfo };

/** Checks a bundle (file text, bytes or parsed JSON) for admission. */
export function checkBundle(input: unknown, options: CheckBundleOptions): CheckBundleResult {
  const parsed = parseBundle(input);
  if (!parsed.ok) return parsed;
  const bundle = parsed.bundle;
  const rulebook = bundle.manifest.rulebook;

  // Signature and hashes are reported together: both say whether the content can be trusted,
  // and an officer fixing one wants to know about the other. Nothing untrusted gets compiled.
  const trust: Refusal[] = [];
  let keyId: string | undefined;
  if (!options.skipSignature) {
    const sig = verifyBundleSignatures(bundle, options.trustedKeys);
    if (sig.ok) keyId = sig.keyId;
    else trust.push(...sig.refusals);
  }
  trust.push(...checkFileHashes(bundle));
  if (trust.length) return { ok: false, refusals: trust, rulebook };

  const known = options.knownVersions?.(rulebook.id) ?? [];
  const newest = [...known].sort(compareVersions).at(-1);
  if (newest !== undefined && compareVersions(rulebook.version, newest) <= 0)
    return {
      ok: false,
      rulebook,
      refusals: [
        {
          reason: 'version_not_newer',
          field: 'manifest.rulebook.version',
          message: `规则库 ${rulebook.id} 版本 ${rulebook.version} 不高于已有的最新版本 ${newest}`,
        },
      ],
    };

  const files = bundleRulebookFiles(bundle);
  if (!files.ok) return { ok: false, refusals: files.refusals, rulebook };
  const validated = validateRulebookFiles(files.files);
  if (!validated.ok) return { ok: false, refusals: validated.refusals, rulebook };
  return { ok: true, bundle, files: files.files, compiled: validated.compiled, keyId, cases: validated.cases };
}

/**
 * Loads, compiles and runs the own test cases of a rulebook given as files: what `preaudit
 * rulebook test` and the admission check share.
 */
export function validateRulebookFiles(files: RulebookFiles): { ok: true; compiled: CompiledRulebook; cases: { passed: number; failed: number } } | { ok: false; refusals: Refusal[] } {
  const loaded = compileRulebookFiles(files);
  if (!loaded.ok)
    return {
      ok: false,
      refusals: loaded.problems.map((p) => ({
        reason: 'schema_error' as const,
        field: p.field,
        message: p.message,
        ...(p.rule_id ? { rule_id: p.rule_id } : {}),
      })),
    };
  let compiled: CompiledRulebook;
  try {
    compiled = indexRulebook(loaded.rulebook);
  } catch (err) {
    return { ok: false, refusals: [{ reason: 'schema_error', field: 'rules', message: `编译失败：${(err as Error).message}` }] };
  }
  const run = runCases(compiled);
  if (run.failed > 0)
    return {
      ok: false,
      refusals: run.failures.map((f) => ({ reason: 'failing_case' as const, field: f.name, message: f.message })),
    };
  if (run.passed === 0)
    // DESIGN: every rule ships test cases; a rulebook with none has shown nothing.
    return { ok: false, refusals: [{ reason: 'failing_case', field: 'cases', message: '规则库没有任何测试用例' }] };
  return { ok: true, compiled, cases: { passed: run.passed, failed: run.failed } };
}
