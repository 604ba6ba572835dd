/**
 * The shape of a rulebook bundle as a JSON Schema, validated by ajv, and the mapping of ajv's
 * errors to refusals that name the field (`manifest.files.<path>`, `signatures[3]`). The
 * rulebook identity reuses the core's rulebook.json schema, so a bundle cannot claim an id,
 * version or date its rulebook.json could never carry.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { rulebookJsonSchema } from '@preaudit/core-rules';
import type { Refusal } from './refusals.js';

/** Format tag of bundles this code writes and reads. */
export const BUNDLE_FORMAT = 'preaudit-rulebook-bundle/1';

/** At most this many signatures per bundle (a key rotation needs two; more is an attack on the verifier). */
export const MAX_SIGNATURES = 8;

/** At most this many files per bundle (the national rulebook has under 50). */
export const MAX_FILES = 1000;

/** Longest file path in a bundle, in characters. */
export const MAX_PATH_LENGTH = 200;

// One path segment: letters (any script), digits, `_`, `-`, `.`, not starting with a dot (no
// `.`/`..`, no hidden files), so no separators, drive letters, spaces or control characters.
const SEGMENT = '[\\p{L}\\p{N}_-][\\p{L}\\p{N}_.-]*';

/** A plain relative POSIX path (`knowledge/drug_gender.csv`): stays inside the folder on every OS. */
const PLAIN_PATH = { minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: `^${SEGMENT}(/${SEGMENT})*$` };

const PATH_RULE = `文件路径应为普通相对路径（字母、数字、_ - .，以 / 分隔，不以 . 开头，最长 ${MAX_PATH_LENGTH} 字符）`;

/**
 * A map of file path → value, at most MAX_FILES entries. The entries are looked at only when the
 * count is within bounds (`if`/`then`): the cost of a refusal stays bounded.
 */
const fileMap = (value: object) => ({
  type: 'object',
  maxProperties: MAX_FILES,
  if: { maxProperties: MAX_FILES },
  then: { propertyNames: PLAIN_PATH, additionalProperties: value },
});

const identity = rulebookJsonSchema.properties;

/** The bundle's shape (not its signatures, hashes or rulebook). */
const BUNDLE_SCHEMA = {
  type: 'object',
  required: ['format', 'manifest', 'files', 'signatures'],
  properties: {
    format: { const: BUNDLE_FORMAT },
    manifest: {
      type: 'object',
      required: ['rulebook', 'packed_at', 'files'],
      properties: {
        rulebook: {
          type: 'object',
          required: ['id', 'version', 'effective_from'],
          properties: { id: identity.id, version: identity.version, effective_from: identity.effective_from },
        },
        packed_at: { type: 'string' },
        files: fileMap({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
      },
    },
    files: fileMap({ type: 'string' }),
    signatures: {
      type: 'array',
      maxItems: MAX_SIGNATURES,
      if: { maxItems: MAX_SIGNATURES },
      then: {
        items: {
          type: 'object',
          required: ['key_id', 'alg', 'sig'],
          properties: {
            key_id: { type: 'string', pattern: '^[0-9a-f]{16}$' },
            alg: { const: 'ed25519' },
            sig: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(BUNDLE_SCHEMA);

/** The message for a problem at a fixed place of the bundle. */
const MESSAGES: Record<string, string> = {
  format: `format 应为 ${BUNDLE_FORMAT}`,
  manifest: '缺少 manifest',
  'manifest.rulebook': '缺少 manifest.rulebook',
  'manifest.packed_at': '应为字符串',
  'manifest.files': '缺少文件哈希清单',
  files: '缺少 files',
  signatures: 'signatures 应为数组',
};

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

const bad = (message: string, field: string): Refusal => ({ reason: 'malformed_bundle', message, field });

const clip = (path: string) => path.slice(0, MAX_PATH_LENGTH);

/** One ajv error as a refusal naming the field, or undefined for errors another one already names. */
function refusalOf(e: ErrorObject): Refusal | undefined {
  // `if` repeats its `then` errors; a propertyNames error repeats the name's own (reported below).
  if (e.keyword === 'if' || e.propertyName !== undefined) return undefined;
  const at = e.instancePath.split('/').slice(1).map(unescape);
  if (e.keyword === 'required') at.push((e.params as { missingProperty: string }).missingProperty);
  const [top, second, third] = at;
  const map = top === 'files' ? 'files' : top === 'manifest' && second === 'files' ? 'manifest.files' : undefined;
  if (map) {
    const entry = top === 'files' ? at.slice(1).join('/') : at.slice(2).join('/');
    if (e.keyword === 'maxProperties') return bad(`文件过多（${Object.keys(e.data as object).length} 个，最多 ${MAX_FILES} 个）`, map);
    if (e.keyword === 'propertyNames') return bad(PATH_RULE, `${map}.${clip((e.params as { propertyName: string }).propertyName)}`);
    if (entry) return bad(map === 'files' ? '文件内容应为文本' : '应为 64 位十六进制 SHA-256', `${map}.${clip(entry)}`);
    return bad(MESSAGES[map], map);
  }
  if (top === 'signatures') {
    if (e.keyword === 'maxItems') return bad(`签名过多（${(e.data as unknown[]).length} 个，最多 ${MAX_SIGNATURES} 个）`, 'signatures');
    if (second !== undefined) return bad('签名应为 { key_id: 16 位十六进制, alg: "ed25519", sig: base64 }', `signatures[${second}]`);
    return bad(MESSAGES.signatures, 'signatures');
  }
  if (top === 'manifest' && second === 'rulebook' && third !== undefined) {
    return bad(e.keyword === 'pattern' ? `格式不符（应匹配 ${(e.params as { pattern: string }).pattern}）` : '应为非空字符串', `manifest.rulebook.${third}`);
  }
  const field = at.slice(0, 2).join('.');
  return bad(MESSAGES[field] ?? 'JSON 结构不符', field);
}

/** The shape problems of a parsed bundle, each naming its field once; none when the shape is right. */
export function bundleShapeRefusals(value: unknown): Refusal[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  const refusals: Refusal[] = [];
  for (const e of validate.errors ?? []) {
    const r = refusalOf(e);
    if (!r || seen.has(`${r.field} ${r.message}`)) continue;
    seen.add(`${r.field} ${r.message}`);
    refusals.push(r);
  }
  return refusals;
}
