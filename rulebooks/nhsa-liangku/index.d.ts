/** Absolute path of the national rulebook folder (rulebook.json, knowledge/, cases/): pass it to loadRulebookDir. */
export declare const NATIONAL_RULEBOOK_DIR: string;

/**
 * Absolute path of the NHSA 两库 batch 1–8 CSV files the rulebook is built from
 * (source/2025; see source/README.md). Present in the repository only: not in the package files.
 */
export declare const SOURCE_DIR: string;
