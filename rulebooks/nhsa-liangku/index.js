// The national rulebook as a package: other packages find its folder by package resolution
// (import '@preaudit/nhsa-liangku'), never by a path relative to their own sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the national rulebook folder (rulebook.json, knowledge/, cases/). */
export const NATIONAL_RULEBOOK_DIR = dirname(fileURLToPath(import.meta.url));

/** Absolute path of the NHSA batch 1–8 CSV files the rulebook is built from (repository only; not packed). */
export const SOURCE_DIR = join(NATIONAL_RULEBOOK_DIR, 'source', '2025');
