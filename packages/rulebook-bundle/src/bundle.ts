/**
 * The rulebook bundle: one JSON file carrying a whole rulebook folder, a manifest of the
 * SHA-256 of every file, and Ed25519 signatures over the manifest. Signing the manifest signs
 * every file through its hash, so a bundle can be checked without touching the disk and its
 * files handed to the rules core as `RulebookFiles`.
 *
 * ```json
 * { "format": "preaudit-rulebook-bundle/1",
 *   "manifest": { "rulebook": { "id", "version", "name", "issuer", "effective_from", "effective_to" },
 *                 "packed_at": "2025-09-01T08:00:00.000Z",
 *                 "files": { "rulebook.json": "<sha256 hex>", "knowledge/x.csv": "<sha256 hex>" } },
 *   "files": { "rulebook.json": "<UTF-8 text>", "knowledge/x.csv": "<UTF-8 text>" },
 *   "signatures": [ { "key_id": "<16 hex>", "alg": "ed25519", "sig": "<base64>" } ] }
 * ```
 */
import { createHash } from 'node:crypto';
import { readText, type RulebookFiles } from '@preaudit/core-rules';
import type { Refusal } from './refusals.js';
import { BUNDLE_FORMAT, bundleShapeRefusals } from './bundle-schema.js';

export { BUNDLE_FORMAT, MAX_FILES, MAX_PATH_LENGTH, MAX_SIGNATURES } from './bundle-schema.js';

/** The rulebook's file inside a bundle. */
export const MANIFEST_FILE = 'rulebook.json';

/** Identity of the rulebook a bundle carries (copied from its rulebook.json when packed). */
export interface BundleRulebookInfo {
  /** Rulebook id, e.g. nhsa-liangku. */
  id: string;
  /** Rulebook version. */
  version: string;
  /** Display name. */
  name?: string;
  /** Issuer (国家医疗保障局, a city bureau). */
  issuer?: string;
  /** First moment in force. */
  effective_from: string;
  /** Last moment in force (exclusive), null = open-ended. */
  effective_to?: string | null;
}

/** What the signatures cover. */
export interface BundleManifest {
  /** Identity of the rulebook. */
  rulebook: BundleRulebookInfo;
  /** When the bundle was packed (ISO time). */
  packed_at: string;
  /** SHA-256 (hex) of each file's UTF-8 bytes, by relative POSIX path. */
  files: Record<string, string>;
}

/** One signature over the canonical manifest. */
export interface BundleSignature {
  /** Key id: first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  key_id: string;
  /** Always ed25519. */
  alg: 'ed25519';
  /** Signature, base64. */
  sig: string;
  /** When it was signed (ISO time), informational. */
  signed_at?: string;
}

/** A rulebook bundle. */
export interface RulebookBundle {
  /** BUNDLE_FORMAT. */
  format: typeof BUNDLE_FORMAT;
  /** Hashes and identity, covered by the signatures. */
  manifest: BundleManifest;
  /** Every file of the rulebook folder as UTF-8 text, rulebook.json included. */
  files: Record<string, string>;
  /** Signatures, possibly none (an unsigned bundle straight from `pack`). */
  signatures: BundleSignature[];
}

/** SHA-256 hex of a text's UTF-8 bytes. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Packs a rulebook (as the rules core reads it from a folder) into an unsigned bundle. */
export function packBundle(rulebook: RulebookFiles, options: { packedAt?: Date } = {}): RulebookBundle {
  const manifestText = typeof rulebook.manifest === 'string' ? rulebook.manifest : `${JSON.stringify(rulebook.manifest, null, 2)}\n`;
  const parsed = JSON.parse(manifestText) as Record<string, unknown>;
  const files: Record<string, string> = { [MANIFEST_FILE]: manifestText };
  for (const path of Object.keys(rulebook.files).sort()) {
    if (path === MANIFEST_FILE) continue;
    files[path] = rulebook.files[path];
  }
  const hashes: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) hashes[path] = sha256Hex(text);
  return {
    format: BUNDLE_FORMAT,
    manifest: {
      rulebook: rulebookInfoOf(parsed),
      packed_at: (options.packedAt ?? new Date()).toISOString(),
      files: hashes,
    },
    files,
    signatures: [],
  };
}

/** The identity fields of a parsed rulebook.json. */
export function rulebookInfoOf(manifest: Record<string, unknown>): BundleRulebookInfo {
  const info: BundleRulebookInfo = {
    id: readText(manifest.id),
    version: readText(manifest.version),
    effective_from: readText(manifest.effective_from),
    effective_to: manifest.effective_to == null ? null : readText(manifest.effective_to),
  };
  if (manifest.name != null) info.name = readText(manifest.name);
  if (manifest.issuer != null) info.issuer = readText(manifest.issuer);
  return info;
}

/** Writes a bundle as the text of one file. */
export function serializeBundle(bundle: RulebookBundle): string {
  return `${JSON.stringify(bundle, null, 1)}\n`;
}

/**
 * A copy of a JSON object as a map without a prototype: names such as `constructor` or
 * `__proto__` are then ordinary keys, never inherited members.
 */
function ownMap<T>(record: Record<string, T>): Record<string, T> {
  const map = Object.create(null) as Record<string, T>;
  for (const key of Object.keys(record)) map[key] = record[key];
  return map;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a bundle from its file text, bytes or parsed JSON, checking its shape only (not the
 * signatures, hashes or rulebook). Every shape problem is listed.
 */
export function parseBundle(input: unknown): { ok: true; bundle: RulebookBundle } | { ok: false; refusals: Refusal[] } {
  const bad = (message: string, field?: string): Refusal => ({ reason: 'malformed_bundle', message, ...(field ? { field } : {}) });
  let value = input;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      return { ok: false, refusals: [bad(`不是有效的 JSON：${(err as Error).message}`)] };
    }
  }
  if (!isRecord(value)) return { ok: false, refusals: [bad('规则包应为 JSON 对象')] };
  const refusals = bundleShapeRefusals(value);
  if (refusals.length) return { ok: false, refusals };
  const bundle = value as unknown as RulebookBundle;
  return {
    ok: true,
    bundle: {
      ...bundle,
      manifest: { ...bundle.manifest, files: ownMap(bundle.manifest.files) },
      files: ownMap(bundle.files),
    },
  };
}

/**
 * Compares every file with the manifest: a changed file, a missing file and a file the
 * manifest does not list are all tampering (the manifest is what the signature covers).
 */
export function checkFileHashes(bundle: RulebookBundle): Refusal[] {
  const refusals: Refusal[] = [];
  const listed = bundle.manifest.files;
  // Own keys only: `constructor` or `toString` must not be found on Object.prototype.
  for (const [path, hash] of Object.entries(listed)) {
    const text = Object.hasOwn(bundle.files, path) ? bundle.files[path] : undefined;
    if (typeof text !== 'string') refusals.push({ reason: 'tampered_file', field: path, message: '清单中的文件缺失' });
    else if (sha256Hex(text) !== hash) refusals.push({ reason: 'tampered_file', field: path, message: '文件内容与签名清单中的哈希不符' });
  }
  for (const path of Object.keys(bundle.files)) if (!Object.hasOwn(listed, path)) refusals.push({ reason: 'tampered_file', field: path, message: '文件不在签名清单中' });
  if (!Object.hasOwn(listed, MANIFEST_FILE)) refusals.push({ reason: 'tampered_file', field: MANIFEST_FILE, message: '清单中没有 rulebook.json' });
  return refusals;
}

/**
 * The bundle's files as the rules core takes them: rulebook.json parsed as the manifest and
 * every other file by path. Returns a schema refusal when rulebook.json is not JSON or does not
 * carry the identity the bundle manifest (the signed part) claims.
 */
export function bundleRulebookFiles(bundle: RulebookBundle): { ok: true; files: RulebookFiles } | { ok: false; refusals: Refusal[] } {
  const text = Object.hasOwn(bundle.files, MANIFEST_FILE) ? bundle.files[MANIFEST_FILE] : undefined;
  if (typeof text !== 'string') return { ok: false, refusals: [{ reason: 'schema_error', field: MANIFEST_FILE, message: '缺少 rulebook.json' }] };
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    return { ok: false, refusals: [{ reason: 'schema_error', field: MANIFEST_FILE, message: `不是有效的 JSON：${(err as Error).message}` }] };
  }
  if (!isRecord(manifest)) return { ok: false, refusals: [{ reason: 'schema_error', field: MANIFEST_FILE, message: '应为 JSON 对象' }] };
  const actual = rulebookInfoOf(manifest);
  const claimed = bundle.manifest.rulebook;
  const refusals: Refusal[] = [];
  for (const key of ['id', 'version', 'effective_from'] as const)
    if (actual[key] !== claimed[key])
      refusals.push({
        reason: 'schema_error',
        field: `manifest.rulebook.${key}`,
        message: `规则包清单写的是 ${claimed[key]}，rulebook.json 写的是 ${actual[key]}`,
      });
  if (refusals.length) return { ok: false, refusals };
  const files = Object.create(null) as Record<string, string>;
  for (const [path, content] of Object.entries(bundle.files)) if (path !== MANIFEST_FILE) files[path] = content;
  return { ok: true, files: { manifest, files } };
}
