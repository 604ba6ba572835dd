/**
 * `preaudit rulebook …`: the bureau's tools for a rulebook's life before it reaches a hospital.
 *
 *   test <dir>                        run the rulebook's own test cases (exit 1 on any problem)
 *   pack <dir> [-o file]              validate, then write one bundle file (every file + hashes)
 *   sign <bundle> --key <pem> [-o f]  add an Ed25519 signature (in place unless -o)
 *   verify <bundle> --pub <pem>…      what a hospital checks: signature, hashes, schema, cases
 *   diff <old> <new>                  what changed, in words (folders or bundles)
 *   keygen [-o prefix]                a new bureau key pair (prefix.key.pem, prefix.pub.pem)
 *   feed <dir>                        (re)write feed.json for a folder of *.bundle.json
 *
 * Each sub-command is a function returning its exit code and output, so tests call them directly.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { RulebookFiles } from '@preaudit/core-rules';
import { readRulebookDir } from '@preaudit/core-rules/node';
import { bundleRulebookFiles, packBundle, parseBundle, serializeBundle, sha256Hex } from './bundle.js';
import { checkBundle, validateRulebookFiles } from './check-bundle.js';
import { diffRulebooks, formatDiff } from './diff.js';
import { writeFeedFolder } from './feed.js';
import { REFUSAL_INFO, type Refusal } from './refusals.js';
import { generateSigningKeys, parseTrustedKeys, signBundle } from './signing.js';

/** What a sub-command did: exit code, standard output, standard error. */
export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

const done = (code: number, out = '', err = ''): CommandResult => ({ code, out, err });

/** Refusals as lines: label, where, what. */
export function formatRefusals(refusals: readonly Refusal[]): string {
  return refusals.map((r) => `  ✗ ${REFUSAL_INFO[r.reason].label}${r.rule_id ? ` [${r.rule_id}]` : ''}${r.field ? ` ${r.field}` : ''}: ${r.message}\n`).join('');
}

function readFolder(dir: string): { ok: true; files: RulebookFiles } | { ok: false; result: CommandResult } {
  try {
    return { ok: true, files: readRulebookDir(dir) };
  } catch (e) {
    return { ok: false, result: done(1, '', `无法读取规则库目录 ${dir}：${(e as Error).message}\n`) };
  }
}

/** `test <dir>`: load, compile and run the cases of a rulebook folder. */
export function rulebookTest(dir: string): CommandResult {
  const read = readFolder(dir);
  if (!read.ok) return read.result;
  const v = validateRulebookFiles(read.files);
  if (!v.ok) return done(1, '', `规则库 ${dir} 未通过：\n${formatRefusals(v.refusals)}`);
  const c = v.compiled;
  return done(0, `规则库 ${c.id}@${c.version}：启用规则 ${c.rules.length} 条，知识编码 ${c.codeCount} 个，测试用例 ${v.cases.passed} 个全部通过\n`);
}

/** `pack <dir>`: validate (unless told not to), then write the bundle. */
export function rulebookPack(dir: string, opts: { output?: string; test?: boolean; now?: Date } = {}): CommandResult {
  const read = readFolder(dir);
  if (!read.ok) return read.result;
  let summary = '';
  if (opts.test !== false) {
    const v = validateRulebookFiles(read.files);
    if (!v.ok) return done(1, '', `规则库 ${dir} 未通过，未打包：\n${formatRefusals(v.refusals)}`);
    summary = `，测试用例 ${v.cases.passed} 个通过`;
  }
  const bundle = packBundle(read.files, { packedAt: opts.now });
  const rb = bundle.manifest.rulebook;
  const output = opts.output ?? `${rb.id}-${rb.version}.bundle.json`;
  const text = serializeBundle(bundle);
  writeFileSync(output, text);
  return done(
    0,
    `已打包 ${rb.id}@${rb.version}（${Object.keys(bundle.files).length} 个文件${summary}）→ ${output}\nSHA-256 ${sha256Hex(text)}\n未签名：用 preaudit rulebook sign ${output} --key <私钥.pem> 签名\n`,
  );
}

function readBundleFile(file: string) {
  try {
    return parseBundle(readFileSync(file));
  } catch (e) {
    return { ok: false as const, refusals: [{ reason: 'malformed_bundle' as const, message: `无法读取 ${file}：${(e as Error).message}` }] };
  }
}

/** `sign <bundle> --key <pem>`: adds (or renews) this key's signature. */
export function rulebookSign(file: string, opts: { key: string; output?: string; now?: Date }): CommandResult {
  const parsed = readBundleFile(file);
  if (!parsed.ok) return done(1, '', `规则包 ${file} 无法签名：\n${formatRefusals(parsed.refusals)}`);
  let signed;
  try {
    signed = signBundle(parsed.bundle, readFileSync(opts.key, 'utf8'), { now: opts.now });
  } catch (e) {
    return done(1, '', `签名失败：${(e as Error).message}\n`);
  }
  const output = opts.output ?? file;
  writeFileSync(output, serializeBundle(signed));
  const s = signed.signatures.at(-1)!;
  const rb = signed.manifest.rulebook;
  return done(0, `已用密钥 ${s.key_id} 签名 ${rb.id}@${rb.version} → ${output}\n`);
}

/** `verify <bundle> --pub <pem>…`: the same admission check a hospital's service runs. */
export function rulebookVerify(file: string, opts: { pub: string[] }): CommandResult {
  let trusted;
  try {
    trusted = parseTrustedKeys(opts.pub.map((p) => readFileSync(p, 'utf8')));
  } catch (e) {
    return done(1, '', `无法读取公钥：${(e as Error).message}\n`);
  }
  let input: Buffer;
  try {
    input = readFileSync(file);
  } catch (e) {
    return done(1, '', `无法读取 ${file}：${(e as Error).message}\n`);
  }
  const r = checkBundle(input, { trustedKeys: trusted });
  if (!r.ok) {
    const name = r.rulebook ? `${r.rulebook.id}@${r.rulebook.version}` : file;
    return done(1, '', `规则包 ${name} 验证未通过：\n${formatRefusals(r.refusals)}`);
  }
  const rb = r.bundle.manifest.rulebook;
  return done(
    0,
    `规则包 ${rb.id}@${rb.version} 验证通过：签名密钥 ${r.keyId}，${Object.keys(r.bundle.files).length} 个文件哈希一致，` +
      `启用规则 ${r.compiled.rules.length} 条，测试用例 ${r.cases.passed} 个通过，生效时间 ${rb.effective_from}\n`,
  );
}

/** A folder or a bundle file, as rulebook files (bundles are not verified here: diff only reads). */
function readEither(path: string): { ok: true; files: RulebookFiles } | { ok: false; result: CommandResult } {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    return { ok: false, result: done(1, '', `无法读取 ${path}：${(e as Error).message}\n`) };
  }
  if (isDir) return readFolder(path);
  const parsed = readBundleFile(path);
  if (!parsed.ok) return { ok: false, result: done(1, '', `${path} 不是规则库目录或规则包：\n${formatRefusals(parsed.refusals)}`) };
  const files = bundleRulebookFiles(parsed.bundle);
  if (!files.ok) return { ok: false, result: done(1, '', `${path}：\n${formatRefusals(files.refusals)}`) };
  return files;
}

/** `diff <old> <new>`: rules and knowledge points added, removed, changed. */
export function rulebookDiff(oldPath: string, newPath: string, opts: { json?: boolean; limit?: number } = {}): CommandResult {
  const a = readEither(oldPath);
  if (!a.ok) return a.result;
  const b = readEither(newPath);
  if (!b.ok) return b.result;
  const d = diffRulebooks(a.files, b.files);
  return done(0, opts.json ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d, { limit: opts.limit }));
}

/** `keygen`: writes prefix.key.pem (private, mode 0600) and prefix.pub.pem; never overwrites. */
export function rulebookKeygen(opts: { output?: string } = {}): CommandResult {
  const prefix = opts.output ?? 'bureau';
  const keyFile = `${prefix}.key.pem`;
  const pubFile = `${prefix}.pub.pem`;
  for (const f of [keyFile, pubFile]) if (existsSync(f)) return done(1, '', `${f} 已存在，不覆盖\n`);
  const keys = generateSigningKeys();
  writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });
  writeFileSync(pubFile, keys.publicKeyPem);
  return done(0, `已生成 Ed25519 密钥 ${keys.keyId}\n  私钥（妥善保管，只用于签名）：${keyFile}\n  公钥（发给各医院配置为受信任）：${pubFile}\n`);
}

/** `feed <dir>`: lists the folder's bundles in feed.json. */
export function rulebookFeed(dir: string): CommandResult {
  try {
    const feed = writeFeedFolder(dir);
    const lines = feed.bundles.map((b) => `  ${b.id}@${b.version}  生效 ${b.effective_from}  ${b.file}\n`).join('');
    return done(0, `已写入 ${join(dir, 'feed.json')}（${feed.bundles.length} 个规则包）：\n${lines}`);
  } catch (e) {
    return done(1, '', `无法生成订阅清单：${(e as Error).message}\n`);
  }
}

function emit(r: CommandResult): void {
  if (r.out) process.stdout.write(r.out);
  if (r.err) process.stderr.write(r.err);
  process.exitCode = r.code;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `preaudit rulebook` and its sub-commands. */
export function register(program: Command): void {
  const rb = program.command('rulebook').description('rulebook tools for the bureau: test, pack, sign, verify, diff, keygen, feed');
  rb.command('test')
    .description("run a rulebook folder's own test cases (exit 1 on a schema problem or a failing case)")
    .argument('<dir>', 'rulebook folder (rulebook.json, knowledge/, cases/)')
    .action((dir: string) => emit(rulebookTest(dir)));
  rb.command('pack')
    .description('validate a rulebook folder and write it as one bundle file (every file plus a manifest of SHA-256 hashes)')
    .argument('<dir>', 'rulebook folder')
    .option('-o, --output <file>', 'bundle file (default <id>-<version>.bundle.json)')
    .option('--no-test', 'pack without running the test cases')
    .action((dir: string, opts: { output?: string; test?: boolean }) => emit(rulebookPack(dir, opts)));
  rb.command('sign')
    .description('sign a bundle with an Ed25519 private key (PEM)')
    .argument('<bundle>', 'bundle file')
    .requiredOption('--key <pem>', 'private key file (from `preaudit rulebook keygen`)')
    .option('-o, --output <file>', 'write the signed bundle here (default: in place)')
    .action((file: string, opts: { key: string; output?: string }) => emit(rulebookSign(file, opts)));
  rb.command('verify')
    .description('check a bundle as a hospital does: trusted signature, file hashes, schema, test cases')
    .argument('<bundle>', 'bundle file')
    .requiredOption('--pub <pem>', 'trusted public key file (repeat for several)', collect)
    .action((file: string, opts: { pub: string[] }) => emit(rulebookVerify(file, opts)));
  rb.command('diff')
    .description('what changed between two rulebooks (folders or bundle files): rules and knowledge points added, removed, changed')
    .argument('<old>', 'old rulebook folder or bundle')
    .argument('<new>', 'new rulebook folder or bundle')
    .option('--json', 'print the diff as JSON')
    .option('--limit <n>', 'at most n items per list', (v) => Number.parseInt(v, 10))
    .action((a: string, b: string, opts: { json?: boolean; limit?: number }) => emit(rulebookDiff(a, b, opts)));
  rb.command('keygen')
    .description('generate a bureau Ed25519 key pair')
    .option('-o, --output <prefix>', 'file prefix (default bureau → bureau.key.pem, bureau.pub.pem)')
    .action((opts: { output?: string }) => emit(rulebookKeygen(opts)));
  rb.command('feed')
    .description('write feed.json listing the *.bundle.json files of a folder the bureau publishes')
    .argument('<dir>', 'feed folder')
    .action((dir: string) => emit(rulebookFeed(dir)));
}
