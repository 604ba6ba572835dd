/**
 * Builds the national rulebook (rulebook.json + knowledge/*.csv) from the NHSA 两库 batch files.
 *
 *   node --import tsx rulebooks/nhsa-liangku/build.ts [--source <dir>] [--out <dir>] [--check]
 *
 * --source (or env PA_LIANGKU_DIR) defaults to the vendored batches in source/2025 (SOURCE_DIR);
 * the 2026 publications (index.csv with publication dates, the 2026-01 revision) are read from
 * the folder beside it (source/2026);
 * --out defaults to this folder; --check writes nothing and exits 1 when the committed files
 * differ from what the sources give. Same input → byte-identical output (sorted, no timestamps).
 * Any source row the build cannot interpret stops it with the file and line (exit 2).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RulebookManifest } from '@preaudit/core-rules';
import { writeCsv } from './build/csv.js';
import { RULES } from './build/rules.js';
import { SourceError } from './build/source.js';
import { buildTables, byText, tableCodes, type KnowledgeTable } from './build/tables.js';
import { NATIONAL_RULEBOOK_DIR, SOURCE_DIR } from './index.js';

/** Command-line options. */
interface Options {
  source: string;
  out: string;
  check: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    source: process.env.PA_LIANGKU_DIR || SOURCE_DIR,
    out: NATIONAL_RULEBOOK_DIR,
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if ((a === '--source' || a === '--out') && argv[i + 1] !== undefined) opts[a === '--source' ? 'source' : 'out'] = resolve(argv[++i]);
    else throw new Error(`unknown argument ${a}; usage: build.ts [--source <dir>] [--out <dir>] [--check]`);
  }
  return opts;
}

/** The rulebook's files (relative path → text), in a fixed order. */
function render(tables: KnowledgeTable[]): Map<string, string> {
  const files = new Map<string, string>();
  const manifest: RulebookManifest = {
    id: 'nhsa-liangku',
    version: '2026.2.0',
    name: '国家医保智能监管两库知识点（第一至十七批及2026年1月修订）',
    issuer: '国家医疗保障局',
    effective_from: '2025-01-01',
    effective_to: null,
    knowledge: Object.fromEntries(tables.map((t) => [t.id, { file: `knowledge/${t.id}.csv`, source: t.source }])),
    rules: RULES,
  };
  for (const r of RULES) {
    if (!tables.some((t) => t.id === r.knowledge)) throw new Error(`rule ${r.id} refers to a missing table ${r.knowledge}`);
  }
  files.set('rulebook.json', JSON.stringify(manifest, null, 2) + '\n');
  for (const t of tables) files.set(`knowledge/${t.id}.csv`, writeCsv(t.columns, t.rows));
  return files;
}

/** Per-rule and total figures. */
function summary(tables: KnowledgeTable[]): string {
  const all = new Set<string>();
  const lines = ['rule                 points  codes  name'];
  for (const r of RULES) {
    const t = tables.find((x) => x.id === r.knowledge)!;
    const codes = tableCodes(t);
    codes.forEach((c) => all.add(c));
    lines.push(`${r.id.padEnd(20)} ${String(t.rows.length).padStart(6)} ${String(codes.size).padStart(6)}  ${r.name}${t.id === 'item_duplicate_billing' ? '（points = pairs）' : ''}`);
  }
  lines.push(`${RULES.length} rules, ${tables.reduce((n, t) => n + t.rows.length, 0)} knowledge points, ${all.size} distinct national codes`);
  return lines.join('\n');
}

function main(): number {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  let tables: KnowledgeTable[];
  try {
    tables = buildTables(opts.source);
  } catch (err) {
    if (err instanceof SourceError) {
      console.error(`rulebook build failed: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const files = render(tables);
  if (opts.check) {
    const stale = [...files].filter(([rel, text]) => !existsSync(join(opts.out, rel)) || readFileSync(join(opts.out, rel), 'utf8') !== text).map(([rel]) => rel);
    const knowledgeDir = join(opts.out, 'knowledge');
    const extra = existsSync(knowledgeDir)
      ? readdirSync(knowledgeDir)
          .map((f) => `knowledge/${f}`)
          .filter((f) => !files.has(f))
      : [];
    if (stale.length + extra.length > 0) {
      console.error(`rulebook is out of date in ${opts.out}: ${[...stale, ...extra.map((f) => `${f} (not built)`)].join(', ')}`);
      return 1;
    }
    console.log(`rulebook in ${opts.out} matches ${opts.source}`);
    return 0;
  }
  mkdirSync(join(opts.out, 'knowledge'), { recursive: true });
  // Tables dropped from the build must not linger beside the fresh ones.
  for (const f of readdirSync(join(opts.out, 'knowledge')).sort(byText)) {
    if (!files.has(`knowledge/${f}`) && /\.(csv|json)$/.test(f)) rmSync(join(opts.out, 'knowledge', f));
  }
  for (const [rel, text] of files) writeFileSync(join(opts.out, rel), text);
  console.log(`wrote ${files.size} files to ${opts.out} from ${opts.source}`);
  console.log(summary(tables));
  return 0;
}

process.exitCode = main();
